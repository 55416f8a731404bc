import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HistoryStore, SignalHistory } from '../../src/scaling/collect/history.js';
import type { Sample } from '../../src/scaling/types.js';

const sample = (t: number, cpu?: number): Sample => ({
  t,
  values: cpu === undefined ? { request_rate: 5 } : { cpu_utilization: cpu, request_rate: 5 },
  missing: cpu === undefined ? { cpu_utilization: 'prometheus: timeout: 5s' } : {},
  replicas: 2,
});

test('the ring keeps the newest samples up to its capacity, oldest first', () => {
  const h = new SignalHistory(3, 1e9);
  for (let i = 1; i <= 5; i++) assert.ok(h.push(sample(i * 1000, i)));
  assert.equal(h.length, 3);
  assert.deepEqual(h.samples().map((s) => s.values.cpu_utilization), [3, 4, 5]);
  assert.equal(h.push(sample(4000, 9)), false, 'older than the newest is refused');
});

test('missing values and their reasons round-trip; present values are not zero-filled', () => {
  const h = new SignalHistory(4, 1e9);
  h.push(sample(1000));
  const [s] = h.samples();
  assert.equal(s?.values.cpu_utilization, undefined);
  assert.equal(s?.missing.cpu_utilization, 'prometheus: timeout: 5s');
  assert.equal(s?.missing.memory_utilization, 'not collected');
  assert.equal(s?.replicas, 2);
});

test('reads are bounded by the retention period', () => {
  const h = new SignalHistory(100, 10_000);
  for (let t = 0; t <= 60_000; t += 5_000) h.push(sample(t, 1));
  assert.deepEqual(h.samples().map((s) => s.t), [50_000, 55_000, 60_000]);
});

test('backfill merges with held samples; held ones win on equal times', () => {
  const h = new SignalHistory(10, 1e9);
  h.push(sample(3000, 30));
  const added = h.load([sample(1000, 10), sample(2000, 20), sample(3000, 99)]);
  assert.equal(added, 2);
  assert.deepEqual(h.samples().map((s) => s.values.cpu_utilization), [10, 20, 30]);
});

test('bytes per target for 24h at 30s stay bounded and measured', () => {
  const store = new HistoryStore(24 * 3600_000, 30_000);
  const h = store.of('shop/web');
  const before = process.memoryUsage().arrayBuffers;
  for (let i = 0; i < 3 * store.capacity; i++) h.push(sample(i * 30_000, i % 100));
  assert.equal(h.length, store.capacity);
  assert.ok(store.capacity >= 2880);
  // 8 (time) + 7 * 4 (values) + 7 (reason ids, once a value is missing) + 4 (replicas) = 47 bytes per slot
  assert.equal(h.bytes, store.capacity * 47);
  const complete = store.of('shop/all-signals');
  complete.push({ t: 0, values: { cpu_utilization: 1, memory_utilization: 1, request_rate: 1, network_bandwidth: 1, io_bandwidth: 1, response_time: 1, error_rate: 1 }, missing: {} });
  assert.equal(complete.bytes, store.capacity * 40, 'no reason ids while nothing is missing');
  assert.ok(h.bytes < 160_000, `${h.bytes} bytes`);
  const grown = process.memoryUsage().arrayBuffers - before;
  assert.ok(grown < 200_000, `array buffers grew by ${grown} bytes while pushing 3× capacity`);
  console.log(`history: capacity ${store.capacity} samples, ${h.bytes} bytes per target (24h at 30s)`);
});
