/** Opt-in error reports (SPEC E5): technical fields only. */
import { type Api, startTestServer, type TestServer } from '../harness';

export function errorReportsSuite(): void {
  describe('error reports', () => {
    let s: TestServer;
    let anna: Api;
    beforeAll(async () => {
      s = await startTestServer();
      anna = await s.signIn();
    });
    afterAll(() => s.close());

    const report = {
      appVersion: '1.4.2',
      errorKind: 'GraphThrottled',
      messageCode: 'sync.error.throttled',
      platform: 'OutlookWebApp',
      stack: 'GraphThrottled: 429\n    at send (graph.ts:10:5)',
      occurredAt: '2026-03-04T09:59:00Z',
    };

    it('accepts a technical report', async () => {
      const res = await anna.post<{ id: string }>('/api/v1/error-reports', report);
      expect(res.status).toBe(202);
      expect(res.body.id).toMatch(/^err_/);
    });

    it('refuses anything that could carry appointment content', async () => {
      for (const bad of [
        { ...report, subject: 'Dentist' },
        { ...report, messageCode: 'Meeting with Sven about the deal' },
        { ...report, stack: 'Error: Tapaaminen Jyväskylässä' },
      ]) {
        expect((await anna.post('/api/v1/error-reports', bad)).status).toBe(400);
      }
    });
  });
}
