import { selectHost } from '../../../src/host/selectHost';
import { sandboxConfig } from '../pane/renderPane';
import { fakeOfficeContext } from './fakeOffice';

test('an Office host is always used when Office.js reports one', () => {
  const selection = selectHost(
    { kind: 'office', context: fakeOfficeContext({}).context },
    {
      ...sandboxConfig,
      hostFallback: { kind: 'none' },
    },
  );
  expect(selection.kind === 'ready' && selection.host.kind).toBe('office');
});

test('without Office, hostFallback picks the standalone demo host or nothing', () => {
  const standalone = selectHost({ kind: 'no-host' }, sandboxConfig);
  expect(standalone.kind === 'ready' && standalone.host.mailboxAddress()).toBe(
    'anna@contoso.example',
  );
  expect(
    selectHost({ kind: 'no-host' }, { ...sandboxConfig, hostFallback: { kind: 'none' } }),
  ).toEqual({ kind: 'unavailable' });
});
