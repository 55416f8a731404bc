import type { Signal } from '../../config/schema.js';
import type { Pressure } from './pressure.js';

/** Numbers in reasons: whole numbers from 100 up, two decimals below. */
export const fmt = (n: number): string => (Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2));

const SHORT: Record<Signal, string> = {
  cpu_utilization: 'cpu', memory_utilization: 'memory', request_rate: 'requests', network_bandwidth: 'network',
  io_bandwidth: 'io', response_time: 'latency', error_rate: 'errors',
};

/** "pressure 1.42 (requests 1.42×, cpu 1.35×, memory 0.80×)": the top three signals and their ratios. */
export function explainPressure(p: Pressure): string {
  const top = p.drivers.slice(0, 3).map((s) => `${SHORT[s]} ${fmt(p.ratios[s] ?? 0)}×`);
  return `pressure ${fmt(p.value)} (${top.join(', ')} of scale-up thresholds)`;
}
