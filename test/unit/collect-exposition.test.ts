import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseExposition } from '../../src/scaling/collect/exposition.js';
import { histogramQuantile } from '../../src/scaling/collect/histogram.js';

test('labelled histogram series keep their labels, and a last line without newline is kept', () => {
  const text = [
    '# HELP h request duration',
    '# TYPE h histogram',
    'h_bucket{le="0.1",ingress="a"} 5',
    'h_bucket{le="+Inf",ingress="a"} 12',
    'h_bucket{le="0.1",ingress="b"} 1',
    'h_count{ingress="b"} 2',
  ].join('\n');
  const s = parseExposition(text);
  assert.equal(s.length, 4);
  assert.deepEqual(s[1], { name: 'h_bucket', labels: { le: '+Inf', ingress: 'a' }, value: 12 });
  assert.deepEqual(s[3], { name: 'h_count', labels: { ingress: 'b' }, value: 2 });
});

test('escapes, trailing commas, timestamps and special values', () => {
  const s = parseExposition('m{path="C:\\\\x",msg="say \\"hi\\"\\n",} 1.5e3 1700000000000\nn NaN\no -Inf\np +Inf\n');
  assert.deepEqual(s[0]?.labels, { path: 'C:\\x', msg: 'say "hi"\n' });
  assert.equal(s[0]?.value, 1500);
  assert.ok(Number.isNaN(s[1]?.value));
  assert.equal(s[2]?.value, -Infinity);
  assert.equal(s[3]?.value, Infinity);
});

test('malformed lines are rejected with their line number', () => {
  assert.throws(() => parseExposition('ok 1\nbad{x="1" 2\n'), /line 2/);
  assert.throws(() => parseExposition('m 0x10\n'), /bad value/);
  assert.throws(() => parseExposition('m\n'), /value/);
});

test('histogram quantile interpolates inside the bucket like PromQL', () => {
  const b = [
    { le: 0.1, count: 50 },
    { le: 0.5, count: 90 },
    { le: 1, count: 100 },
    { le: Infinity, count: 100 },
  ];
  // rank 95 falls in (0.5, 1]: 0.5 + 0.5 * (95 - 90) / 10
  assert.equal(histogramQuantile(0.95, b), 0.75);
  assert.equal(histogramQuantile(0.5, b), 0.1);
  assert.ok(Number.isNaN(histogramQuantile(0.95, [{ le: Infinity, count: 0 }])));
  assert.equal(histogramQuantile(0.99, [{ le: 0.2, count: 1 }, { le: Infinity, count: 10 }]), 0.2);
});
