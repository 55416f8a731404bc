import { parseArgs } from 'node:util';
import { ConfigError, defaultConfig, loadConfigFile } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { lintObjects, type LintResult } from './check.js';
import { readInputs, where, type ReadResult } from './documents.js';

export const LINT_USAGE = `Usage: hydra-route lint [options] FILE... | -

Checks the hydra-route.ai annotations of every Ingress in the files (multi-document
YAML or JSON, kind: List included; "-" reads standard input, e.g. kubectl kustomize
output) with the validating webhook's own rules and messages. Services, Deployments and
Ingresses in the same inputs are used for the checks across objects.

Options:
  --output text|json   default text; json is one object for CI tools
  --config FILE        the HydraRoute configuration the cluster runs with (defaults matter
                       for min/max checks); default: the built-in defaults
  --namespace NS       namespace of objects that name none (default: default)

Exit status: 0 no problems (warnings allowed), 1 problems found, 2 unreadable input or usage error.
`;

/** Where lint writes and reads; the real process by default, swapped in tests. */
export interface LintIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
}

const processIo: LintIo = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

interface Options {
  files: string[];
  output: 'text' | 'json';
  config: Config;
  namespace: string;
}

function parseOptions(argv: string[]): Options | 'help' {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: { output: { type: 'string', short: 'o' }, config: { type: 'string' }, namespace: { type: 'string', short: 'n' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return 'help';
  const output = values.output ?? 'text';
  if (output !== 'text' && output !== 'json') throw new Error(`--output must be text or json, got "${output}"`);
  if (positionals.length === 0) throw new Error('no input: name one or more files, or - for standard input');
  const config = values.config ? loadConfigFile(values.config) : defaultConfig();
  return { files: positionals, output, config, namespace: values.namespace ?? 'default' };
}

function textReport(read: ReadResult, results: LintResult[]): string {
  const out: string[] = [];
  for (const u of read.unreadable) out.push(`${where(u)}: ${u.message}`);
  for (const r of results) {
    if (r.message) out.push(`${where(r)}: ${r.message}`);
    for (const w of r.warnings) out.push(`${where(r)}: Warning: ${w}`);
  }
  const denied = results.filter((r) => !r.allowed).length;
  const warned = results.filter((r) => r.warnings.length > 0).length;
  out.push(`hydra-route lint: ${results.length} Ingress${results.length === 1 ? '' : 'es'} checked in ${read.documents} document${read.documents === 1 ? '' : 's'}: ${denied} with problems, ${warned} with warnings${read.unreadable.length ? `, ${read.unreadable.length} unreadable` : ''}`);
  return out.join('\n') + '\n';
}

function jsonReport(read: ReadResult, results: LintResult[]): string {
  const summary = {
    documents: read.documents, ingresses: results.length, denied: results.filter((r) => !r.allowed).length,
    warned: results.filter((r) => r.warnings.length > 0).length, unreadable: read.unreadable.length,
  };
  return JSON.stringify({ ok: summary.denied === 0 && summary.unreadable === 0, summary, results, unreadable: read.unreadable }, null, 2) + '\n';
}

/** `hydra-route lint`: 0 clean, 1 problems, 2 unreadable input or bad usage. */
export async function runLint(argv: string[], io: LintIo = processIo): Promise<number> {
  let options: Options | 'help';
  try {
    options = parseOptions(argv);
  } catch (err) {
    const text = err instanceof ConfigError ? err.message : `${(err as Error).message}\n\n${LINT_USAGE}`;
    io.stderr(`hydra-route lint: ${text}\n`);
    return 2;
  }
  if (options === 'help') {
    io.stdout(LINT_USAGE);
    return 0;
  }
  const read = await readInputs(options.files, io.readStdin);
  const results = lintObjects(read.objects, options.config, options.namespace);
  io.stdout(options.output === 'json' ? jsonReport(read, results) : textReport(read, results));
  if (read.unreadable.length > 0) return 2;
  return results.some((r) => !r.allowed) ? 1 : 0;
}
