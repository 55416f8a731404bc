import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';

/** One Kubernetes object read from an input, with where it came from (1-based positions). */
export interface Located {
  file: string;
  document: number;
  /** Position inside a `kind: List` (or `*List`) document. */
  item?: number;
  object: Record<string, unknown>;
}

/** An input that could not be read or parsed: lint exits 2 for these. */
export interface Unreadable {
  file: string;
  document?: number;
  message: string;
}

export interface ReadResult {
  objects: Located[];
  unreadable: Unreadable[];
  documents: number;
}

export const STDIN_NAME = '<stdin>';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isList = (v: Record<string, unknown>) => typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items);

/** Where an object sits, for messages: `file: document 2` or `file: document 1, item 3`. */
export const where = (o: { file: string; document?: number; item?: number }) =>
  `${o.file}${o.document ? `: document ${o.document}` : ''}${o.item ? `, item ${o.item}` : ''}`;

/**
 * Every object of one text: multi-document YAML, or JSON (a YAML subset), with the items
 * of `kind: List` documents (what `kubectl get -o yaml` and some generators write) expanded.
 */
export function parseText(file: string, text: string, out: ReadResult): void {
  let index = 0;
  const before = { objects: out.objects.length, unreadable: out.unreadable.length };
  // maxAliasCount bounds alias expansion ("billion laughs") in hostile input.
  for (const doc of parseAllDocuments(text)) {
    index++;
    out.documents++;
    if (doc.errors.length > 0) {
      // The parser's first line already says "at line L, column C"; the rest is a source excerpt.
      const first = (doc.errors[0] as { message: string }).message.split('\n')[0]?.replace(/:\s*$/, '');
      out.unreadable.push({ file, document: index, message: `not valid YAML or JSON: ${first}` });
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      out.unreadable.push({ file, document: index, message: `cannot be read: ${(err as Error).message}` });
      continue;
    }
    if (value === null || value === undefined) continue; // an empty document, e.g. a trailing ---
    if (!isObject(value) || typeof value.kind !== 'string') {
      // Text that parses as YAML but is no manifest (a failed generator's output, a wrong file).
      out.unreadable.push({ file, document: index, message: 'is not a Kubernetes object (it has no kind)' });
      continue;
    }
    if (!isList(value)) {
      out.objects.push({ file, document: index, object: value });
      continue;
    }
    (value.items as unknown[]).forEach((item, i) => {
      if (isObject(item)) out.objects.push({ file, document: index, item: i + 1, object: item });
    });
  }
  if (out.objects.length === before.objects && out.unreadable.length === before.unreadable) {
    out.unreadable.push({ file, message: 'contains no Kubernetes objects (empty input?)' });
  }
}

/** Reads every input (`-` is standard input) and parses it; failures are collected, not thrown. */
export async function readInputs(paths: readonly string[], readStdin: () => Promise<string>): Promise<ReadResult> {
  const out: ReadResult = { objects: [], unreadable: [], documents: 0 };
  for (const path of paths) {
    const file = path === '-' ? STDIN_NAME : path;
    let text: string;
    try {
      text = path === '-' ? await readStdin() : await readFile(path, 'utf8');
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      const reason = e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a directory; pass the files in it' : e.message;
      out.unreadable.push({ file, message: `cannot be read: ${reason}` });
      continue;
    }
    parseText(file, text, out);
  }
  return out;
}
