import { Engine, RETRAIN } from './engine.js';
import { dayOfSamples } from './synthetic.js';

export interface RetrainLoad {
  info: string;
  stop(): Promise<{ retrains: number; ms: number }>;
}

/**
 * Retrains running back to back in the admission server's process, as the leader does when a
 * retrain interval comes round for many targets at once: one after another on the product's
 * WorkerTrainer thread, the event loop free to answer reviews.
 */
export async function startRetrainLoad(targets: number): Promise<RetrainLoad> {
  const engine = new Engine();
  const now = Date.now();
  for (let i = 0; i < targets; i++) engine.addTarget(i, dayOfSamples(i, now));
  let running = true;
  let retrains = 0;
  let ms = 0;
  // The loop starts retrains on the worker thread without waiting; here they follow one another.
  const loop = (async () => {
    while (running) {
      ms += await engine.retrain(retrains % targets);
      retrains += 1;
    }
  })();
  return {
    info: RETRAIN,
    stop: async () => {
      running = false;
      await loop;
      await engine.close();
      return { retrains, ms };
    },
  };
}
