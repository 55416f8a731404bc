import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** True when `taskset` exists: then children are pinned so load generator and server do not steal each other's core. */
export const canPin = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

export interface Child {
  proc: ChildProcess;
  /** Sends one message and waits for the child's answer of the given type. */
  ask<T>(msg: object, answer: string, timeoutMs?: number): Promise<T>;
  /** Waits for the next message of a type. */
  next<T>(type: string, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Forks a compiled bench script (path relative to the caller's module URL) with an IPC
 * channel; with `cpu`, pins it to that core first so its threads stay there.
 */
export function startChild(script: URL, options: { cpu?: number; args?: string[]; nodeArgs?: string[] } = {}): Child {
  const path = fileURLToPath(script);
  const nodeArgs = options.nodeArgs ?? [];
  const pin = options.cpu !== undefined && canPin;
  // Pinning re-execs node under taskset; fork keeps the IPC channel through it.
  const proc = pin
    ? fork(path, options.args ?? [], { execPath: 'taskset', execArgv: ['-c', String(options.cpu), process.execPath, ...nodeArgs], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    : fork(path, options.args ?? [], { execArgv: nodeArgs, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = <T>(type: string, timeoutMs = 120_000) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        proc.off('message', on);
        reject(new Error(`child ${path}: no "${type}" message within ${timeoutMs} ms`));
      }, timeoutMs);
      const on = (m: { type?: string }) => {
        if (m?.type !== type) return;
        clearTimeout(timer);
        proc.off('message', on);
        resolve(m as T);
      };
      proc.on('message', on);
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`child ${path} exited (${code}) before sending "${type}"`));
      });
    });
  return {
    proc,
    next,
    ask: <T>(msg: object, answer: string, timeoutMs?: number) => {
      const p = next<T>(answer, timeoutMs);
      proc.send(msg);
      return p;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}

/** In a child: answers messages with a handler; the handler's result is sent back as is. */
export function serveParent(handler: (msg: { type: string } & Record<string, unknown>) => Promise<object | undefined>): void {
  process.on('message', (msg: { type: string } & Record<string, unknown>) => {
    handler(msg).then(
      (out) => out && process.send?.(out),
      (err: unknown) => process.send?.({ type: 'error', message: String((err as Error)?.stack ?? err) }),
    );
  });
  process.on('SIGTERM', () => process.exit(0));
}
