import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KNOWN_KEYS } from '../../src/annotations/catalogue.js';
import { renderTable, staleDocuments } from '../../src/annotations/table.js';

test('the table has one row per catalogue key', () => {
  const rows = renderTable().split('\n').filter((l) => l.startsWith('| `'));
  assert.deepEqual(rows.map((r) => r.split('`')[1]), [...KNOWN_KEYS]);
  assert.match(renderTable(), /\| `hydra-route\.ai\/max-replicas` \| whole number, 1 to 1000, not below min-replicas \| `"20"` \| `scaling\.max_replicas` \|/);
});

test('README.md and docs/annotations.md carry the table rendered from the catalogue', () => {
  const stale = staleDocuments();
  assert.deepEqual(stale, [], `stale annotation table in ${stale.join(', ')}: run \`npm run build && node dist/src/annotations/table.js --write\` and commit`);
});
