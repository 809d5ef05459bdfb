/** SPEC E5: error reports hold technical fields only — no message text, no appointment content. */
import { buildErrorReport } from '../../../src/crm/errorReport';

describe('buildErrorReport', () => {
  it('keeps stack frames only and cleans every token field', () => {
    const stack = [
      'SyncError: could not save "Secret merger talk" with ceo@contoso.example',
      '    at HttpCrmActivities.update (https://addin.example/taskpane.js?x=Secret:10:5)',
      '    at async run (https://addin.example/taskpane.js:20:1)',
    ].join('\n');
    const report = buildErrorReport({
      appVersion: '1.4.2',
      platform: 'PC/16.0 (Outlook)',
      errorKind: 'SyncError',
      messageCode: 'errors.offline.message',
      stack,
    });
    expect(report).toEqual({
      appVersion: '1.4.2',
      platform: 'PC/16.0Outlook',
      errorKind: 'SyncError',
      messageCode: 'errors.offline.message',
      stack: [
        'at HttpCrmActivities.update (https://addin.example/taskpane.js:10:5)',
        'at async run (https://addin.example/taskpane.js:20:1)',
      ].join('\n'),
    });
    expect(JSON.stringify(report)).not.toMatch(/Secret|ceo@/);
  });
});
