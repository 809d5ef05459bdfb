/**
 * What a person types (or roaming settings hand back) into the pane: the connection form and the
 * preferences. Each is rejected with a clear message for its field, or accepted — never a crash.
 */
import type { CorpusCase, Json } from './types';

const connection = (
  id: string,
  title: string,
  input: Record<string, Json>,
  expect: { field: string; message?: RegExp } | 'accepted',
): CorpusCase => ({
  id,
  area: 'pane',
  form: 'connection',
  title,
  input,
  expect: expect === 'accepted' ? { kind: 'accepted' } : { kind: 'rejected', ...expect },
});

const days = (
  id: string,
  title: string,
  input: Record<string, Json>,
  expect: { field: string; message?: RegExp } | 'accepted',
): CorpusCase => ({
  id,
  area: 'pane',
  form: 'preferences',
  title,
  input,
  expect: expect === 'accepted' ? { kind: 'accepted' } : { kind: 'rejected', ...expect },
});

const stored = (id: string, title: string, value: Json): CorpusCase => ({
  id,
  area: 'pane',
  form: 'storedPreferences',
  title,
  input: { stored: value },
  expect: { kind: 'accepted' },
});

const invalidAddress = { field: 'address', message: /not valid/ };

/** `{"a":{"a":…}}` nested n deep, without recursion. */
function nested(n: number): Json {
  let value: Json = 'bottom';
  for (let i = 0; i < n; i += 1) value = { outlookToCrm: value };
  return value;
}

export const cases: readonly CorpusCase[] = [
  connection(
    'pane-empty-key',
    'an empty API key',
    { apiKey: '' },
    { field: 'apiKey', message: /Enter the API key/ },
  ),
  connection(
    'pane-blank-address',
    'an address of blanks',
    { address: '   ' },
    { field: 'address', message: /Enter the CRM address/ },
  ),
  connection(
    'pane-javascript-url',
    'a javascript: URL',
    { address: 'javascript:alert(1)' },
    invalidAddress,
  ),
  connection('pane-file-url', 'a file: URL', { address: 'file:///etc/passwd' }, invalidAddress),
  connection('pane-ftp-url', 'an ftp: URL', { address: 'ftp://crm.example.com' }, invalidAddress),
  connection(
    'pane-data-url',
    'a data: URL with a script',
    { address: 'data:text/html,<script>alert(1)</script>' },
    invalidAddress,
  ),
  connection(
    'pane-http-remote',
    'plain http to a remote host',
    { address: 'http://crm.example.com' },
    { field: 'address', message: /secure/ },
  ),
  connection(
    'pane-credentials-in-url',
    'a user name and password in the address',
    { address: 'https://anna:secret@crm.example.com' },
    invalidAddress,
  ),
  connection(
    'pane-query-in-url',
    'a query in the address',
    { address: 'https://crm.example.com/?next=https://evil.example' },
    invalidAddress,
  ),
  connection(
    'pane-fragment-in-url',
    'a fragment in the address',
    { address: 'https://crm.example.com/#admin' },
    invalidAddress,
  ),
  connection(
    'pane-space-in-host',
    'a space in the host',
    { address: 'https://crm example.com' },
    invalidAddress,
  ),
  connection(
    'pane-rlo-address',
    'a right-to-left override before the address',
    { address: '\u202ehttps://crm.example.com' },
    invalidAddress,
  ),
  connection(
    'pane-huge-address',
    'an address of 100,000 characters',
    { address: `crm.example.com/${'a'.repeat(100_000)}` },
    { field: 'address', message: /2048/ },
  ),
  connection(
    'pane-huge-username',
    'a user name of 10,000 characters',
    { username: 'u'.repeat(10_000) },
    { field: 'username', message: /254/ },
  ),
  connection(
    'pane-huge-password',
    'a password of a million characters',
    { password: 'p'.repeat(1_000_000) },
    { field: 'password', message: /200/ },
  ),
  connection(
    'pane-key-with-nul',
    'an API key with a NUL (no header can carry it)',
    { apiKey: 'abc\u0000def' },
    { field: 'apiKey', message: /API key/ },
  ),
  connection(
    'pane-key-with-emoji',
    'an API key with an emoji',
    { apiKey: 'key-😀' },
    { field: 'apiKey', message: /API key/ },
  ),
  connection(
    'pane-key-with-newline',
    'an API key pasted with an inner line break',
    { apiKey: 'abc\r\nX-Evil: 1' },
    { field: 'apiKey' },
  ),
  connection(
    'pane-loopback-http',
    'http to this machine (the reference server)',
    { address: 'http://127.0.0.1:3001' },
    'accepted',
  ),
  connection(
    'pane-idn-address',
    'an internationalised host name',
    { address: 'https://bücher.example' },
    'accepted',
  ),
  connection(
    'pane-password-spaces',
    'a password that starts and ends with spaces',
    { password: '  secret  ' },
    'accepted',
  ),
  connection(
    'pane-username-markup',
    'a user name that is markup (the server decides)',
    { username: '<script>alert(1)</script>' },
    'accepted',
  ),
  days(
    'pane-days-empty',
    'days back left empty',
    { 'outlookToCrm.daysBack': '' },
    { field: 'outlookToCrm.daysBack', message: /Enter a number/ },
  ),
  days(
    'pane-days-negative',
    'days back of -1',
    { 'outlookToCrm.daysBack': '-1' },
    { field: 'outlookToCrm.daysBack', message: /whole days/ },
  ),
  days(
    'pane-days-exponent',
    'days ahead written 1e3',
    { 'crmToOutlook.daysAhead': '1e3' },
    { field: 'crmToOutlook.daysAhead', message: /whole days/ },
  ),
  days(
    'pane-days-fraction',
    'days back of 5.5',
    { 'crmToOutlook.daysBack': '5.5' },
    { field: 'crmToOutlook.daysBack' },
  ),
  days(
    'pane-days-arabic-digits',
    'days in Arabic-Indic digits',
    { 'outlookToCrm.daysAhead': '٣٠' },
    { field: 'outlookToCrm.daysAhead' },
  ),
  days(
    'pane-days-over',
    'days back of 61 (W1 allows 60)',
    { 'outlookToCrm.daysBack': '61' },
    { field: 'outlookToCrm.daysBack', message: /0 to 60/ },
  ),
  days(
    'pane-days-huge',
    'days ahead of 10^25',
    { 'outlookToCrm.daysAhead': '9'.repeat(25) },
    { field: 'outlookToCrm.daysAhead', message: /0 to 365/ },
  ),
  days(
    'pane-days-script',
    'markup typed as days',
    { 'crmToOutlook.daysAhead': '<img src=x onerror=alert(1)>' },
    { field: 'crmToOutlook.daysAhead' },
  ),
  days(
    'pane-days-padded',
    'days with blanks around them',
    { 'outlookToCrm.daysBack': ' 7 ' },
    'accepted',
  ),
  stored('pane-stored-null', 'roaming settings hand back null', null),
  stored('pane-stored-string', 'a string where an object belongs', 'not preferences'),
  stored('pane-stored-array', 'an array where an object belongs', [1, 2, 3]),
  stored('pane-stored-out-of-range', 'days of a billion and a language no one speaks', {
    outlookToCrm: { daysBack: 1e9, daysAhead: -5 },
    language: 'tlh',
  }),
  stored('pane-stored-wrong-types', 'switches that are strings, a policy that is a number', {
    options: { sendErrorReports: 'yes', syncAutomatically: 1 },
    conflictPolicy: 7,
  }),
  stored(
    'pane-stored-proto',
    'a __proto__ member (prototype pollution)',
    JSON.parse(
      '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
    ) as Json,
  ),
  stored('pane-stored-deep', 'an object nested 5,000 deep', nested(5000)),
  stored('pane-stored-huge-types', 'a list of 100,000 type ids', {
    outlookToCrm: { createTypes: Array.from({ length: 100_000 }, (_, i) => `typ_${i}`) },
  }),
];
