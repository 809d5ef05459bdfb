/** The installation's holder id for the CRM lease (EngineWiring.holderId), kept in roaming settings. */
import type { Host } from '../../host/host';

/** Roaming setting: one id per installation for the CRM lease (EngineWiring.holderId). */
export const holderIdSettingKey = 'syncHolderId';

function randomId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') {
    return crypto.randomUUID();
  }
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/** The installation's holder id: kept in the roaming settings, made once. */
export async function holderId(host: Host): Promise<string> {
  const saved = host.getSetting(holderIdSettingKey);
  if (typeof saved === 'string' && saved !== '') return saved;
  const id = randomId();
  try {
    await host.setSetting(holderIdSettingKey, id);
  } catch (error) {
    console.warn('Could not save the sync holder id', error);
  }
  return id;
}
