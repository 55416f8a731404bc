import type { PolicyResult } from './run.js';

/** The result table as aligned plain text. */
export function formatTable(title: string, rows: readonly PolicyResult[]): string {
  const head = ['policy', 'over-capacity share', 'violation min', 'replica-hours', 'scaling actions'];
  const body = rows.map((r) => [
    r.policy,
    `${(r.overCapacityShare * 100).toFixed(3)}%`,
    r.violationMinutes.toFixed(1),
    r.replicaHours.toFixed(1),
    String(r.scalingActions),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [title, line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** The same table as a Markdown table, for docs/quality.md. */
export function formatMarkdown(rows: readonly PolicyResult[]): string {
  const out = ['| policy | over-capacity share | violation minutes | replica-hours | scaling actions |', '|---|---:|---:|---:|---:|'];
  for (const r of rows) {
    out.push(`| ${r.policy} | ${(r.overCapacityShare * 100).toFixed(3)}% | ${r.violationMinutes.toFixed(1)} | ${r.replicaHours.toFixed(1)} | ${r.scalingActions} |`);
  }
  return out.join('\n');
}

/** The JSON output: exactly the documented fields, in order. */
export function toJson(rows: readonly PolicyResult[]): string {
  return JSON.stringify(rows.map((r) => ({
    policy: r.policy, overCapacityShare: r.overCapacityShare, violationMinutes: r.violationMinutes,
    replicaHours: r.replicaHours, scalingActions: r.scalingActions,
  })), null, 2);
}
