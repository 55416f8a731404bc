import { Engine, RETRAIN } from './engine.js';
import { dayOfSamples } from './synthetic.js';

export interface RetrainLoad {
  info: string;
  stop(): Promise<{ retrains: number; ms: number }>;
}

/**
 * Retrains running back to back in the admission server's process, as the leader does when a
 * retrain interval comes round for many targets at once. Each retrain yields to the event loop
 * between targets, as the loop's per-target await does.
 */
export async function startRetrainLoad(targets: number): Promise<RetrainLoad> {
  const engine = new Engine();
  const now = Date.now();
  for (let i = 0; i < targets; i++) engine.addTarget(i, dayOfSamples(i, now));
  let running = true;
  let retrains = 0;
  let ms = 0;
  const loop = (async () => {
    while (running) {
      ms += engine.retrain(retrains % targets, now);
      retrains += 1;
      await new Promise((r) => setImmediate(r));
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
