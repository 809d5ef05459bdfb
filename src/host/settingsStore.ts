import type { SettingValue } from './host';

/** Where the standalone host keeps "roaming" settings: localStorage when usable, else memory. */
export interface SettingsStore {
  get(key: string): SettingValue | undefined;
  set(key: string, value: SettingValue): void;
  remove?(key: string): void;
}

/** Where a host has no device store (test fakes): one memory store per host object. */
const fallbackDeviceStores = new WeakMap<object, SettingsStore>();

/** The host's per-installation store (Host.deviceSettings), or memory for this page. */
export function deviceStoreOf(host: { readonly deviceSettings?: SettingsStore }): SettingsStore {
  if (host.deviceSettings) return host.deviceSettings;
  let store = fallbackDeviceStores.get(host);
  if (!store) {
    store = memorySettingsStore();
    fallbackDeviceStores.set(host, store);
  }
  return store;
}

export function memorySettingsStore(): SettingsStore {
  const values = new Map<string, SettingValue>();
  return {
    get: (key) => values.get(key),
    set: (key, value) => void values.set(key, value),
    remove: (key) => void values.delete(key),
  };
}

/**
 * localStorage under one prefix per mailbox, as Outlook keeps roaming settings per mailbox.
 * Falls back to memory when storage is blocked (private windows, sandboxed iframes).
 */
export function browserSettingsStore(prefix: string): SettingsStore {
  let storage: Storage;
  try {
    storage = window.localStorage;
    storage.getItem(prefix);
  } catch {
    return memorySettingsStore();
  }
  return {
    get(key) {
      const raw = storage.getItem(prefix + key);
      if (raw === null) return undefined;
      try {
        return JSON.parse(raw) as SettingValue;
      } catch {
        return undefined;
      }
    },
    set(key, value) {
      storage.setItem(prefix + key, JSON.stringify(value));
    },
    remove(key) {
      storage.removeItem(prefix + key);
    },
  };
}
