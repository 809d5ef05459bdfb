/** commands.ts initialises Office.js and associates the manifest's function names at load. */
test('loading commands.ts calls Office.onReady and associates syncNow only', async () => {
  const associated: string[] = [];
  let readyCalls = 0;
  Object.defineProperty(globalThis, 'Office', {
    configurable: true,
    value: {
      onReady: () => {
        readyCalls += 1;
        return Promise.resolve({ host: 'Outlook', platform: 'OfficeOnline' });
      },
      actions: { associate: (name: string) => associated.push(name) },
      context: {},
    },
  });
  await jest.isolateModulesAsync(async () => {
    await import('../../../src/commands/commands');
  });
  expect(readyCalls).toBe(1);
  expect(associated).toEqual(['syncNow']);
});
