import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { trainModels, type TrainingJob } from './trainer.js';

/** Worker-thread entry: full retrains run here so the event loop keeps serving admission requests. */
interface Request {
  id: number;
  job: TrainingJob;
}

// On Linux a nice value belongs to a thread: this lowers only the training thread, so that on a
// busy core the admission handler on the main thread is scheduled first. Elsewhere it may
// apply to the process or be refused; training still works, only without the priority.
try {
  setPriority(0, 19);
} catch {
  // not permitted here: keep the default priority
}

parentPort?.on('message', (msg: Request) => {
  try {
    parentPort?.postMessage({ id: msg.id, result: trainModels(msg.job) });
  } catch (err) {
    parentPort?.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) });
  }
});
