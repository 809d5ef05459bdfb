import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EmulatorState } from './types';

export function loadSnapshot(file: string | undefined): EmulatorState | null {
  if (!file || !existsSync(file)) return null;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<EmulatorState>;
  if (parsed.version !== 1 || !parsed.mailboxes || typeof parsed.secret !== 'string') {
    throw new Error(`${file} is not a Graph emulator snapshot (version 1)`);
  }
  return {
    version: 1,
    secret: parsed.secret,
    mailboxes: parsed.mailboxes,
    deltaStates: parsed.deltaStates ?? {},
    contactDeltaStates: parsed.contactDeltaStates ?? {},
    applications: parsed.applications ?? {},
    subscriptions: parsed.subscriptions ?? {},
  };
}

/** Writes the state after mutations, debounced, atomically (temp file + rename). */
export class SnapshotWriter {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly file: string | undefined,
    private readonly state: () => EmulatorState,
    private readonly delayMs = 50,
  ) {}

  schedule(): void {
    if (!this.file || this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.delayMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state()));
    renameSync(tmp, this.file);
  }
}
