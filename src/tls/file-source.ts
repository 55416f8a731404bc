import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import type { Logger } from '../telemetry/logger.js';
import { checkServingPair, InvalidMaterialError } from './material.js';
import type { KeyPair } from './pki.js';

function readOne(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new InvalidMaterialError(`cannot read the ${what} file ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** The pair in the two files, checked; errors name the file and the problem, never its content. */
export function loadPairFiles(certFile: string, keyFile: string): KeyPair {
  const pair = { cert: readOne(certFile, 'certificate'), key: readOne(keyFile, 'key') };
  checkServingPair(pair, `certificate in ${certFile} with ${keyFile}:`);
  return pair;
}

/**
 * Bring-your-own certificate: serves the files as they are and reloads them when they
 * change. Polling stat (fs.watchFile) rather than inotify, because a mounted Secret is
 * renewed by swapping a symlink, which an inotify watch on the old target never sees.
 */
export class FileTls {
  private debounce?: NodeJS.Timeout;
  private current: KeyPair;
  private readonly listeners: Array<(pair: KeyPair) => void> = [];

  constructor(private readonly certFile: string, private readonly keyFile: string, private readonly log: Logger, private readonly intervalMs = 2_000) {
    this.current = loadPairFiles(certFile, keyFile);
  }

  get pair(): KeyPair {
    return this.current;
  }

  onChange(listener: (pair: KeyPair) => void): void {
    this.listeners.push(listener);
  }

  start(): void {
    const changed = () => {
      // The certificate and the key are rarely written in the same instant: let both land.
      if (this.debounce) clearTimeout(this.debounce);
      this.debounce = setTimeout(() => this.reload(), 200);
    };
    watchFile(this.certFile, { interval: this.intervalMs, persistent: false }, changed);
    watchFile(this.keyFile, { interval: this.intervalMs, persistent: false }, changed);
  }

  stop(): void {
    if (this.debounce) clearTimeout(this.debounce);
    unwatchFile(this.certFile);
    unwatchFile(this.keyFile);
  }

  private reload(): void {
    let next: KeyPair;
    try {
      next = loadPairFiles(this.certFile, this.keyFile);
    } catch (err) {
      const message = err instanceof InvalidMaterialError ? err.message : 'unreadable';
      this.log.warn({ certFile: this.certFile, keyFile: this.keyFile, reason: message }, 'certificate files changed but are not usable; serving the previous certificate');
      return;
    }
    if (next.cert === this.current.cert && next.key === this.current.key) return;
    this.current = next;
    this.log.info({ certFile: this.certFile }, 'certificate files changed: serving the new certificate');
    for (const listener of this.listeners) listener(next);
  }
}
