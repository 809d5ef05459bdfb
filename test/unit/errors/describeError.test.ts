import { createI18n } from '../../../src/i18n/createI18n';
import { describeError } from '../../../src/taskpane/errors/describeError';
import { ConflictError, SyncError } from '../../../src/sync/core/errors';

test('mailboxMismatch names both addresses, in the chosen language', async () => {
  const error = new SyncError('mailboxMismatch', 'emails differ', {
    params: { mailbox: 'anna@contoso.example', crmEmail: 'anna.v@contoso.example' },
  });
  const en = describeError(error, (await createI18n('en')).t);
  expect(en.title).toBe(
    "The mailbox anna@contoso.example does not match the CRM user's e-mail anna.v@contoso.example.",
  );
  expect(en.remedy).toMatch(/CRM user whose e-mail/);
  const fi = describeError(error, (await createI18n('fi')).t);
  expect(fi.title).toContain('anna@contoso.example');
  expect(fi.title).toContain('anna.v@contoso.example');
  expect(fi.title).not.toBe(en.title);
});

test.each([
  ['throttled', /retry by itself/],
  ['offline', /retry by itself/],
  ['wrongApiKeyType', /type "Outlook"/],
  ['passwordExpired', /new password/],
] as const)('%s says what to do', async (code, remedy) => {
  const { t } = await createI18n('en');
  const description = describeError(new SyncError(code, 'detail for the log'), t);
  expect(description.remedy).toMatch(remedy);
  expect(description.title).not.toContain('detail for the log');
});

test('German texts for throttled say it retries by itself', async () => {
  const { t } = await createI18n('de');
  expect(describeError(new SyncError('throttled', 'x'), t).remedy).toMatch(/selbst erneut/);
});

test('subclasses of SyncError use their code (ConflictError → editConflict)', async () => {
  const { t } = await createI18n('sv');
  const description = describeError(new ConflictError('412', null), t);
  expect(description.title).toBe(t('errors.editConflict.message'));
});

test.each([
  ['an Error with a secret in its message', new Error('refresh_token=rt.SECRET123 rejected')],
  ['a string', 'Bearer sbx.SECRET123.mac'],
  ['undefined', undefined],
])('%s gets the generic text, never the raw one', async (_what, error) => {
  const { t } = await createI18n('it');
  const description = describeError(error, t);
  expect(description).toEqual({
    title: t('errors.unknown.message'),
    remedy: t('errors.unknown.remedy'),
  });
  expect(JSON.stringify(description)).not.toContain('SECRET123');
});
