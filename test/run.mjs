#!/usr/bin/env node
// Runs the test suites from the compiled tree (npm test builds first).
//   node test/run.mjs          unit, then end-to-end (brings the local control plane up and down)
//   node test/run.mjs unit     unit tests only
//   node test/run.mjs e2e      end-to-end tests only
// End-to-end tests never skip: if the control plane cannot start, the run fails and says why.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const which = process.argv[2] ?? 'all';

function testFiles(dir) {
  let out = [];
  let entries = [];
  try { entries = readdirSync(dir); } catch { return out; }
  for (const name of entries.sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(testFiles(path));
    else if (name.endsWith('.test.js')) out.push(path);
  }
  return out;
}

function run(files, env, concurrency) {
  if (files.length === 0) return 0;
  const args = ['--test', '--test-reporter=spec', `--test-concurrency=${concurrency}`, ...files];
  const r = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

function cli(args) {
  return spawnSync(process.execPath, [join(root, 'dist/src/cli/main.js'), ...args], { stdio: 'inherit' }).status ?? 1;
}

let status = 0;
if (which === 'all' || which === 'unit') {
  status ||= run(testFiles(join(root, 'dist/test/unit')), {}, 2);
}
if ((which === 'all' || which === 'e2e') && status === 0) {
  // Real Prometheus servers started by the tests themselves, then the local control plane's suite.
  status ||= run(testFiles(join(root, 'dist/test/integration-prometheus')), {}, 1);
  const files = testFiles(join(root, 'dist/test/e2e'));
  if (files.length > 0) {
    if (cli(['local', 'up']) !== 0) {
      console.error('end-to-end: the local control plane did not start (see above); the end-to-end tests did not run.');
      process.exit(1);
    }
    try {
      status ||= run(files, { HYDRA_ROUTE_E2E: '1' }, 1);
    } finally {
      cli(['local', 'down']);
    }
  }
}
process.exit(status);
