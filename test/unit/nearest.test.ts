import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { boundedDistance, closestNames } from '../../server/src/service/nearest';
import { serviceFor } from './memoryWorkspace';

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = cur;
  }
  return prev[b.length];
}

describe('did-you-mean distances', () => {
  it('the banded distance is the edit distance when within the bound, and bound + 1 beyond it', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c'), maxLength: 10 });
    fc.assert(fc.property(word, word, fc.integer({ min: 0, max: 4 }), (a, b, max) => boundedDistance(a, b, max) === Math.min(levenshtein(a, b), max + 1)), { seed: 15, numRuns: 5000 });
  });

  it('suggests the closest names, case-insensitively', () => {
    assert.deepEqual(closestNames('fig:tiers', ['fig:tier', 'fig:map', 'FIG:TIERS2', 'tab:tiers'], 2), ['fig:tier', 'FIG:TIERS2']);
  });

  it('20 labels and 20 undefined references of 3,000 characters: diagnostics in well under a second (40 s before)', async () => {
    const long = (i: number) => `${'x'.repeat(2990)}${String(i).padStart(10, '0')}`;
    const labels = Array.from({ length: 20 }, (_, i) => `\\label{${long(i)}}`).join('\n');
    const refs = Array.from({ length: 20 }, (_, i) => `\\ref{${long(i + 100)}}`).join('\n');
    const { workspace, service } = serviceFor({ 'paper.tex': `\\documentclass{article}\\begin{document}\n${labels}\n${refs}\n\\end{document}\n` });
    const t0 = Date.now();
    const found = await service.getDiagnostics(workspace.openDoc('paper.tex'));
    assert.equal(found.filter((d) => d.code === 'crossref.undefined').length, 20);
    assert.ok(Date.now() - t0 < 1500, `${Date.now() - t0} ms`);
  });
});
