import { parentPort } from 'node:worker_threads';
import { trainModels, type TrainingJob } from './trainer.js';

/** Worker-thread entry: full retrains run here so the event loop keeps serving admission requests. */
interface Request {
  id: number;
  job: TrainingJob;
}

parentPort?.on('message', (msg: Request) => {
  try {
    parentPort?.postMessage({ id: msg.id, result: trainModels(msg.job) });
  } catch (err) {
    parentPort?.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) });
  }
});
