import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfig } from '../config/load.js';
import { packageRoot } from '../local/paths.js';
import { PREFIX, RULES, formatSetting } from './catalogue.js';

/**
 * The annotation table of README.md and docs/annotations.md, rendered from the catalogue
 * so the documentation cannot drift from what the webhook enforces. A unit test fails
 * when a committed block differs; `node dist/src/annotations/table.js --write` fixes it.
 */
export const BEGIN = '<!-- annotations:begin -->';
export const END = '<!-- annotations:end -->';
export const DOCUMENTS = ['README.md', 'docs/annotations.md'];

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function renderTable(): string {
  const config = defaultConfig();
  const rows = RULES.map((rule) => {
    const fallback = rule.fromConfig ? `\`"${formatSetting(rule, rule.fromConfig(config))}"\`` : (rule.absent ?? '');
    const overrides = rule.overrides ? `\`${rule.overrides}\`` : '';
    return `| \`${PREFIX}${rule.key}\` | ${cell(rule.accepts)} | ${cell(fallback)} | ${overrides} | ${cell(rule.description)} |`;
  });
  return [
    `<!-- generated from src/annotations/catalogue.ts by \`node dist/src/annotations/table.js --write\`; do not edit by hand -->`,
    '| Annotation | Accepts | Default (built-in configuration) | Overrides | What it does |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** `text` with the block between the markers replaced; undefined when the markers are missing. */
export function withTable(text: string, table = renderTable()): string | undefined {
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (start < 0 || end < start) return undefined;
  return `${text.slice(0, start + BEGIN.length)}\n${table}\n${text.slice(end)}`;
}

/** Documents whose block is stale (or whose markers are missing), relative to the package root. */
export function staleDocuments(root = packageRoot()): string[] {
  return DOCUMENTS.filter((doc) => {
    const text = readFileSync(join(root, doc), 'utf8');
    return withTable(text) !== text;
  });
}

function main(argv: string[]): number {
  const root = packageRoot();
  if (argv.includes('--write')) {
    for (const doc of DOCUMENTS) {
      const path = join(root, doc);
      const next = withTable(readFileSync(path, 'utf8'));
      if (next === undefined) throw new Error(`${doc} has no ${BEGIN} ... ${END} markers`);
      writeFileSync(path, next);
    }
    return 0;
  }
  if (argv.includes('--check')) {
    const stale = staleDocuments(root);
    for (const doc of stale) process.stderr.write(`${doc}: the annotation table differs from the catalogue\n`);
    return stale.length > 0 ? 1 : 0;
  }
  process.stdout.write(`${renderTable()}\n`);
  return 0;
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
