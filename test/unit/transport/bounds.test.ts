/**
 * The small pieces of issue 14's transport bounds that Node's fetch cannot show: a browser's
 * opaque-redirect answer, the page guard's two stops, and the refresh lock's exclusivity.
 */
import { InProcessLocks, WebLocks, type LockManagerLike } from '../../../src/crm/refreshLock';
import { SyncError } from '../../../src/sync/core/errors';
import { isRedirect, PageGuard } from '../../../src/transport/bounds';

describe('isRedirect', () => {
  it.each([
    [{ type: 'opaqueredirect', status: 0 }, true], // a browser with redirect: 'manual'
    [{ type: 'basic', status: 307 }, true], // Node's undici
    [{ type: 'cors', status: 302 }, true],
    [{ type: 'cors', status: 200 }, false],
    [{ type: 'basic', status: 404 }, false],
  ] as const)('%j → %s', (res, expected) => {
    expect(isRedirect(res)).toBe(expected);
  });
});

describe('PageGuard', () => {
  it('stops a cycle at the first repeated link', () => {
    const guard = new PageGuard('Graph', 10);
    guard.next('a');
    guard.next('b');
    expect(() => guard.next('a')).toThrow(SyncError);
  });

  it('stops an endless listing past its page bound', () => {
    const guard = new PageGuard('the CRM', 3);
    for (const link of ['1', '2', '3']) guard.next(link);
    expect(() => guard.next('4')).toThrow(/more pages \(over 3\)/);
  });
});

describe('refresh locks', () => {
  it('in process: one holder at a time, in order, and a failing holder frees the lock', async () => {
    const locks = new InProcessLocks();
    const events: string[] = [];
    let release!: () => void;
    const first = locks.run('r', async () => {
      events.push('a in');
      await new Promise<void>((r) => (release = r));
      events.push('a out');
      throw new Error('refresh failed');
    });
    const second = locks.run('r', async () => void events.push('b in'));
    const other = locks.run('another CRM', async () => void events.push('c in'));
    await other;
    expect(events).toEqual(['a in', 'c in']);
    release();
    await expect(first).rejects.toThrow('refresh failed');
    await second;
    expect(events).toEqual(['a in', 'c in', 'a out', 'b in']);
  });

  it('Web Locks: asks the LockManager for an exclusive lock by name', async () => {
    const asked: [string, unknown][] = [];
    const manager: LockManagerLike = {
      request: async (name, options, task) => {
        asked.push([name, options]);
        return task({ name });
      },
    };
    expect(await new WebLocks(manager).run('crm-sync:refresh:x', async () => 7)).toBe(7);
    expect(asked).toEqual([['crm-sync:refresh:x', { mode: 'exclusive' }]]);
  });
});
