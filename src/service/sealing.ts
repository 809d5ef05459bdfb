/**
 * Issue 17, item 5: the service's secrets at rest — the Graph client secret, the CRM service key
 * and (issue 18) the PostgreSQL store's password — sealed with AES-256-GCM (node:crypto) under a
 * 32-byte key the service gets from its environment (SYNC_SERVICE_SEALING_KEY, base64), never
 * from the file it protects.
 *
 * A sealed document is one line: `sealed.v1.<iv>.<ciphertext>.<tag>` (base64url), a fresh
 * 96-bit IV per sealing (NIST SP 800-38D), and a fixed associated-data label, so a document is
 * bound to its purpose. A wrong key or any change to the file fails the tag check: the service
 * refuses to start rather than run with a guess. Nothing here logs or returns a secret in an
 * error message.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import * as z from 'zod';

const PREFIX = 'sealed.v1';
const AAD = Buffer.from('outlook-crm-sync/service-secrets/v1');
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** What the service keeps sealed. */
export const ServiceSecretsSchema = z.strictObject({
  /** The CRM's API key of type `service` (docs/crm-sync-api.yaml, POST /sessions/service). */
  crmServiceKey: z.string().min(1, 'crmServiceKey must not be empty').max(500),
  /** The Entra application's client secret (client credentials); absent against the emulator. */
  graphClientSecret: z.string().min(1).max(500).optional(),
  /** The password of config.postgresUrl's user, with `store: postgres` (issue 18). */
  postgresPassword: z.string().min(1).max(500).optional(),
});
export type ServiceSecrets = z.infer<typeof ServiceSecretsSchema>;

export class SealingError extends Error {
  override readonly name = 'SealingError';
}

/** The sealing key from its base64 text: exactly 32 bytes. */
export function sealingKeyFrom(base64: string): Buffer {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== KEY_BYTES || key.toString('base64') !== base64.trim()) {
    throw new SealingError(`The sealing key must be ${KEY_BYTES} bytes in base64 (44 characters)`);
  }
  return key;
}

/** A new random sealing key, base64 (`npm run service -- new-key`). */
export function newSealingKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

export function seal(secrets: ServiceSecrets, key: Buffer): string {
  const plain = Buffer.from(JSON.stringify(ServiceSecretsSchema.parse(secrets)), 'utf8');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(AAD);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  const parts = [iv, body, cipher.getAuthTag()].map((b) => b.toString('base64url'));
  return `${PREFIX}.${parts.join('.')}`;
}

export function unseal(document: string, key: Buffer): ServiceSecrets {
  const match = /^sealed\.v1\.([\w-]+)\.([\w-]+)\.([\w-]+)$/.exec(document.trim());
  if (!match) throw new SealingError('The secrets file is not a sealed document (sealed.v1)');
  const [iv, body, tag] = [match[1], match[2], match[3]].map((p) =>
    Buffer.from(p ?? '', 'base64url'),
  ) as [Buffer, Buffer, Buffer];
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new SealingError('The secrets file is damaged');
  }
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(AAD);
    decipher.setAuthTag(tag);
    plain = Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    // GCM's tag check: the wrong key, or a changed file. Which one is not told (nor any byte).
    throw new SealingError('The secrets file does not open with this sealing key');
  }
  const parsed = ServiceSecretsSchema.safeParse(JSON.parse(plain.toString('utf8')));
  if (!parsed.success) {
    // Paths only: values are secrets.
    const where = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
    throw new SealingError(`The sealed secrets are not valid at: ${where}`);
  }
  return parsed.data;
}
