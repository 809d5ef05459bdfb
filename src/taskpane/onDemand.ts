/**
 * Loading on demand (issue 6): the pane's first screen, the sign-in form or the connected summary,
 * needs neither the sync engine nor the sync store, so the services over them are thin wrappers
 * that import their module — an async chunk webpack emits — the first time one is used.
 */
import type { Live } from './status/statusService';

/**
 * `load` called once and its promise kept; a failed load (the chunk's request failed) is
 * forgotten, so the next call tries again.
 */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => {
    if (pending === null) {
      const loading = load();
      pending = loading;
      loading.catch(() => {
        if (pending === loading) pending = null;
      });
    }
    return pending;
  };
}

/**
 * One `T` per mailbox, made on first use and kept, keyed by the address lower-cased; `make` gets
 * that key and the address as it was first asked for.
 */
export function perMailbox<T>(make: (key: string, mailbox: string) => T): (mailbox: string) => T {
  const made = new Map<string, T>();
  return (mailbox) => {
    const key = mailbox.trim().toLowerCase();
    let value = made.get(key);
    if (value === undefined) {
      value = make(key, mailbox);
      made.set(key, value);
    }
    return value;
  };
}

/**
 * A live query whose source is only known once its module has loaded: subscribing starts the
 * load, then subscribes to the real one (unless unsubscribed meanwhile). A failed load is the
 * query's error.
 */
export function liveOnDemand<T>(source: () => Promise<Live<T>>): Live<T> {
  return {
    subscribe(observer) {
      let inner: { unsubscribe(): void } | null = null;
      let closed = false;
      source().then(
        (live) => {
          if (!closed) inner = live.subscribe(observer);
        },
        (error: unknown) => {
          if (!closed) observer.error?.(error);
        },
      );
      return {
        unsubscribe() {
          closed = true;
          inner?.unsubscribe();
        },
      };
    },
  };
}
