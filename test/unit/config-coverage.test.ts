import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { SIGNALS } from '../../src/config/schema.js';
import { packageRoot } from '../../src/local/paths.js';

/** Every leaf key path of a parsed YAML object. */
function leaves(node: unknown, prefix: string[] = []): string[][] {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return [prefix];
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => leaves(v, [...prefix, k]));
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

test('every key of config/default-config.yaml is read by the product (not only declared by the schema)', () => {
  const root = packageRoot();
  const config = parse(readFileSync(join(root, 'config', 'default-config.yaml'), 'utf8'));
  const code = sources(join(root, 'src'))
    .filter((f) => !f.endsWith(join('config', 'schema.ts')))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
  const reads = (key: string) => new RegExp(`\\.${key}\\b|\\['${key}'\\]`).test(code);
  const signals = new Set<string>(SIGNALS);
  const unread: string[] = [];
  const paths = leaves(config);
  for (const path of paths) {
    const key = path.at(-1) as string;
    // Signal tables (thresholds, weights) are read whole and indexed by signal name.
    const needed = signals.has(key) ? (path.at(-2) as string) : key;
    if (!reads(needed)) unread.push(path.join('.'));
  }
  console.log(`config keys checked: ${paths.length}, unread: ${unread.length}`);
  assert.deepEqual(unread, [], `keys that nothing in src/ reads: ${unread.join(', ')}`);
});
