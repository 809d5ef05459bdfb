/**
 * Looks for a secret in everything a browser profile keeps: every IndexedDB database and object
 * store (raw cursors, not Dexie, so nothing our code does can hide a value), localStorage, and
 * roaming-settings values handed in by the test. It searches the text, its base64 forms and its
 * UTF-8 and UTF-16 bytes inside strings and binary values alike.
 */
export interface Finding {
  readonly where: string;
  readonly form: string;
}

function needles(secret: string): { form: string; bytes: Uint8Array }[] {
  const utf8 = new TextEncoder().encode(secret);
  const utf16 = new Uint8Array(secret.length * 2);
  for (let i = 0; i < secret.length; i++) {
    const code = secret.charCodeAt(i);
    utf16[i * 2] = code & 0xff;
    utf16[i * 2 + 1] = code >> 8;
  }
  const base64 = Buffer.from(secret, 'utf8').toString('base64');
  const base64url = Buffer.from(secret, 'utf8').toString('base64url');
  return [
    { form: 'utf8', bytes: utf8 },
    { form: 'utf16le', bytes: utf16 },
    { form: 'base64', bytes: new TextEncoder().encode(base64) },
    { form: 'base64url', bytes: new TextEncoder().encode(base64url) },
  ];
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** Every string and byte run inside a stored value, as bytes (strings as UTF-8 and UTF-16). */
function* blobsOf(value: unknown, seen = new Set<unknown>()): Generator<Uint8Array> {
  if (value === null || value === undefined) return;
  if (typeof value === 'string') {
    yield new TextEncoder().encode(value);
    yield Buffer.from(value, 'utf16le');
    return;
  }
  if (typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (value instanceof ArrayBuffer) return void (yield new Uint8Array(value));
  if (ArrayBuffer.isView(value)) {
    return void (yield new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  }
  // A CryptoKey has no readable bytes: that is the point of extractable: false.
  if (typeof CryptoKey !== 'undefined' && value instanceof CryptoKey) return;
  const entries: [unknown, unknown][] =
    value instanceof Map ? [...value.entries()] : Object.entries(value);
  for (const [key, item] of entries) {
    yield* blobsOf(key, seen);
    yield* blobsOf(item, seen);
  }
}

const request = <T>(req: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });

async function indexedDbValues(): Promise<{ where: string; value: unknown }[]> {
  const out: { where: string; value: unknown }[] = [];
  for (const info of await indexedDB.databases()) {
    if (!info.name) continue;
    const db = await request(indexedDB.open(info.name));
    try {
      for (const store of Array.from(db.objectStoreNames)) {
        const tx = db.transaction(store, 'readonly');
        await new Promise<void>((resolve, reject) => {
          const cursorRequest = tx.objectStore(store).openCursor();
          cursorRequest.onerror = () => reject(cursorRequest.error);
          cursorRequest.onsuccess = () => {
            const cursor = cursorRequest.result;
            if (!cursor) return resolve();
            out.push({
              where: `indexedDB:${info.name}/${store}`,
              value: [cursor.key, cursor.value],
            });
            cursor.continue();
          };
        });
      }
    } finally {
      db.close();
    }
  }
  return out;
}

/** All places the secret shows up; an empty list means it is nowhere in plain text. */
export async function findSecret(
  secret: string,
  extra: Readonly<Record<string, unknown>> = {},
): Promise<Finding[]> {
  const values = await indexedDbValues();
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i) ?? '';
    values.push({ where: `localStorage:${key}`, value: [key, localStorage.getItem(key)] });
  }
  for (const [where, value] of Object.entries(extra)) values.push({ where, value });
  const findings: Finding[] = [];
  for (const { where, value } of values) {
    for (const blob of blobsOf(value)) {
      for (const needle of needles(secret)) {
        if (contains(blob, needle.bytes)) findings.push({ where, form: needle.form });
      }
    }
  }
  return findings;
}

/** How many records the IndexedDB scan walked: proves the scan looked at something. */
export async function countStoredRecords(): Promise<number> {
  return (await indexedDbValues()).length;
}
