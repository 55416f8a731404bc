// `npm run bench`: the performance benchmarks of issue 9, one after the other, in one run.
//   node dist/bench/run.js [--only admission,scaler,apiserver] [--quick] [--quality] [--json FILE]
// --quality also runs dist/bench/quality.js (the model-quality benchmark) when it is built.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { topFrames } from './lib/profile.js';
import { benchAdmission } from './admission/bench.js';
import { formatFrames, profileWebhook } from './admission/profile.js';
import { benchScaler } from './scaler/bench.js';
import { benchApiserver } from './apiserver/bench.js';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const value = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const only = new Set((value('only') ?? 'admission,scaler,apiserver').split(','));
const quick = flag('quick');
const print = (line: string) => console.log(line);

const report: Record<string, unknown> = { machine: { cpus: (await import('node:os')).cpus().length, node: process.version, load: (await import('node:os')).loadavg() } };
print(`bench: node ${process.version}, ${(report.machine as { cpus: number }).cpus} cores, load average ${(report.machine as { load: number[] }).load.map((x) => x.toFixed(2)).join(' ')}`);

if (only.has('admission')) {
  report.admission = await benchAdmission({ seconds: quick ? 2 : 5, rounds: quick ? 1 : 3, connections: 10, rate: 1000, apps: 20 }, print);
}
if (only.has('scaler')) {
  report.scaler = await benchScaler(quick ? [1000] : [1000, 10_000], quick ? 2 : 5, print);
}
if (only.has('apiserver')) {
  print('apiserver: requests the product makes against a real kube-apiserver (apiserver_request_total, WATCH excluded), per scaler cycle');
  report.apiserver = await benchApiserver([10, 100], 5, quick ? 3 : 5, print);
}
if (only.has('scaler-profile')) {
  // Setup (building 24 h of history) is in the profile too; ten cycles keep it a minority.
  const dir = value('profile-dir') ?? 'bench-profiles/scaler';
  rmSync(dir, { recursive: true, force: true });
  await benchScaler([1000], 10, print, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  const frames = topFrames(dir);
  print(`scaler profile (1,000 targets, 10 cycles, node --cpu-prof, ${dir}), top self time:\n${formatFrames(frames)}`);
  report.scalerProfile = frames;
}
if (only.has('admission-profile')) {
  const dir = value('profile-dir') ?? 'bench-profiles/admission';
  const frames = await profileWebhook(dir, quick ? 3 : 8, 20);
  print(`admission profile (webhook saturated, node --cpu-prof, ${dir}), top self time:\n${formatFrames(frames)}`);
  report.admissionProfile = frames;
}
if (flag('quality')) {
  const quality = new URL('./quality.js', import.meta.url);
  if (existsSync(quality)) await import(quality.href);
  else print('quality: dist/bench/quality.js is not built on this branch; skipped');
}
const out = value('json');
if (out) writeFileSync(out, JSON.stringify(report, null, 2));
