/**
 * The set-up the activity-write, bulk and pairing suites share: one test server for the
 * enclosing describe, with Anna, Ben and Carla (the first three demo users) signed in before its
 * tests, and the server closed after them.
 */
import { DEMO } from '../../../../sandbox/crm/index';
import { type Api, startTestServer, type TestServer } from '../harness';

export interface SignedInTeam {
  readonly server: TestServer;
  readonly anna: Api;
  readonly ben: Api;
  readonly carla: Api;
}

/** Call inside a describe; read the fields inside its tests (they exist once beforeAll ran). */
export function serverWithTeam(): SignedInTeam {
  let team: SignedInTeam | null = null;
  const ready = (): SignedInTeam => {
    if (!team) throw new Error('serverWithTeam(): read the team inside a test, after beforeAll');
    return team;
  };
  beforeAll(async () => {
    const server = await startTestServer();
    team = {
      server,
      anna: await server.signIn(),
      ben: await server.signIn(DEMO.users[1]),
      carla: await server.signIn(DEMO.users[2]),
    };
  });
  afterAll(() => team?.server.close());
  return {
    get server() {
      return ready().server;
    },
    get anna() {
      return ready().anna;
    },
    get ben() {
      return ready().ben;
    },
    get carla() {
      return ready().carla;
    },
  };
}
