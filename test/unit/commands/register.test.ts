/** commands.ts associates every handler with Office.actions when it loads. */
test('loading commands.ts associates the manifest function names', async () => {
  const associated: string[] = [];
  Object.defineProperty(globalThis, 'Office', {
    configurable: true,
    value: { actions: { associate: (name: string) => associated.push(name) }, context: {} },
  });
  await jest.isolateModulesAsync(async () => {
    await import('../../../src/commands/commands');
  });
  expect(associated.sort()).toEqual([
    'onAppointmentAttendeesChanged',
    'onAppointmentRecurrenceChanged',
    'onAppointmentTimeChanged',
    'onNewAppointmentOrganizer',
    'openPreferences',
    'signIn',
    'syncNow',
  ]);
});
