// jsdom has no WebCrypto subtle; Node's implementation is the real thing (STACK.md).
import { webcrypto } from 'node:crypto';

if (!globalThis.crypto?.subtle) {
  Object.defineProperty(globalThis, 'crypto', { value: webcrypto, configurable: true });
}
