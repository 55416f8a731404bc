import { Worker } from 'node:worker_threads';
import type { TrainedModels, TrainingJob } from './trainer.js';

type Reply = { id: number; result?: TrainedModels; error?: string };
type Pending = { resolve(r: TrainedModels): void; reject(e: Error): void };

/**
 * Runs full retrains on one worker thread, one job at a time in arrival order. Shared by all
 * targets of a process; it holds no per-target state, only the jobs in flight.
 */
export class WorkerTrainer {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  train(job: TrainingJob): Promise<TrainedModels> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    worker.ref(); // keep the process alive while a job is in flight
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, job });
    });
  }

  /** Stops the worker; jobs still in flight are rejected. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
    this.failAll(new Error('trainer closed'));
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./trainer-worker.js', import.meta.url));
    worker.on('message', (msg: Reply) => this.settle(msg));
    worker.on('error', (err) => this.failAll(err));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(new Error('trainer worker exited'));
    });
    this.worker = worker;
    return worker;
  }

  private settle(msg: Reply): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    // An idle worker must not keep a process alive that is otherwise done.
    if (this.pending.size === 0) this.worker?.unref();
    if (msg.result) p.resolve(msg.result);
    else p.reject(new Error(msg.error ?? 'training failed'));
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
