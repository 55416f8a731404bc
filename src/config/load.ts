import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { configSchema, type Config } from './schema.js';

/** A configuration that cannot be used; `problems` holds one line per key. */
export class ConfigError extends Error {
  readonly code = 'HR_CONFIG_INVALID';
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`invalid configuration in ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** One readable line per schema issue: the key path, the value found and what was expected. */
export function describeIssues(raw: unknown, error: z.ZodError): string[] {
  return error.issues.flatMap((issue) => {
    const where = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => `${where ? `${where}.` : ''}${k}: unknown key (remove it or check its spelling)`);
    }
    const value = 'input' in issue && issue.input !== undefined ? issue.input : valueAt(raw, issue.path);
    return [`${where || '(top level)'}: ${issue.message}; found ${show(value)}`];
  });
}

/** Validates an already-parsed object (from YAML, JSON or a test) into a Config. */
export function parseConfig(raw: unknown, source = 'configuration'): Config {
  const result = configSchema.safeParse(raw ?? {});
  if (!result.success) throw new ConfigError(source, describeIssues(raw, result.error));
  return result.data;
}

/** Reads, parses and validates a YAML configuration file. */
export function loadConfigText(text: string, source: string): Config {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(source, doc.errors.map((e) => `YAML syntax: ${e.message.split('\n')[0]}`));
  }
  return parseConfig(doc.toJS(), source);
}

export function loadConfigFile(path: string): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(path, [`cannot read the file: ${(err as Error).message}`]);
  }
  return loadConfigText(text, path);
}

/** The built-in defaults, identical to config/default-config.yaml. */
export function defaultConfig(): Config {
  return parseConfig({}, 'defaults');
}
