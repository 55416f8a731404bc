import { readFile } from 'node:fs/promises';
import { ConfigError, loadConfigText } from './load.js';
import type { Config } from './schema.js';

export interface ConfigWatchOptions {
  path: string;
  /** How often the file is read; a mounted ConfigMap changes by a symlink swap, which polling sees reliably. */
  intervalMs: number;
  onChange(config: Config): void;
  onRejected(error: ConfigError): void;
}

/**
 * Re-reads the configuration file and hands over each new version that validates; a
 * version that does not is reported once and the running configuration stays in force.
 */
export class ConfigWatcher {
  private last: string | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly o: ConfigWatchOptions) {}

  async start(): Promise<void> {
    this.last = await readFile(this.o.path, 'utf8').catch(() => undefined);
    this.timer = setInterval(() => void this.check(), this.o.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Reads the file once; exported for tests that do not want to wait for the timer. */
  async check(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.o.path, 'utf8');
    } catch (err) {
      if (this.last === undefined) return;
      this.last = undefined;
      this.o.onRejected(new ConfigError(this.o.path, [`cannot read the file: ${(err as Error).message}`]));
      return;
    }
    if (text === this.last) return;
    this.last = text;
    try {
      this.o.onChange(loadConfigText(text, this.o.path));
    } catch (err) {
      this.o.onRejected(err instanceof ConfigError ? err : new ConfigError(this.o.path, [(err as Error).message]));
    }
  }
}
