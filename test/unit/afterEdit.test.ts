// What is kept of a large text's indexes after an edit (issue 17): the line index and the mangled text found
// around the change must be exactly what building them anew from the edited text gives.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { LineIndex } from '../../server/src/service/text';
import { findMojibake, findMojibakeAfterEditSteps, mojibakeFindings, type MojibakeScan } from '../../server/src/service/mojibake';
import { drain } from '../../server/src/service/pacing';
import { commonPrefix, commonSuffix } from '../../server/src/service/parsers/bibliography/bibtexIncremental';
import { BibliographyStore } from '../../server/src/service/index/bibliographies';
import { defaultConfig } from '../../server/src/service/config';
import { nullLogger } from '../../server/src/service/workspace';
import { MemoryWorkspace } from './memoryWorkspace';

/** The edit that turns `a` into `b`, found as the incremental re-parse finds it. */
function editOf(a: string, b: string): { start: number; oldEnd: number; newEnd: number } {
  const start = commonPrefix(a, b);
  const oldEnd = a.length - commonSuffix(a, b, start);
  return { start, oldEnd, newEnd: oldEnd + b.length - a.length };
}

/** `text` with `[p, p + len)` (as fractions of its length) replaced by `piece`. */
function edited(text: string, p: number, len: number, piece: string): string {
  const at = Math.floor(p * text.length);
  return text.slice(0, at) + piece + text.slice(Math.min(text.length, at + len));
}

function sameIndex(edited: LineIndex, fresh: LineIndex, text: string): void {
  assert.equal(edited.lineCount, fresh.lineCount);
  for (let i = 0; i <= text.length; i++) assert.deepEqual(edited.positionAt(i), fresh.positionAt(i));
  for (let line = 0; line < fresh.lineCount; line++) {
    assert.equal(edited.lineText(line), fresh.lineText(line));
    for (const character of [0, 1, 3, 1000]) assert.equal(edited.offsetAt({ line, character }), fresh.offsetAt({ line, character }));
  }
}

describe('a line index after an edit', () => {
  it('is the index built anew, after chains of edits with CRLF, astral characters and lines added and removed', () => {
    const unit = fc.constantFrom('a', '\n', '\r\n', '\r', 'é', '😀', '@book{k,\n');
    const step = fc.tuple(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.nat(12), fc.string({ unit, maxLength: 8 }));
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 60 }), fc.array(step, { minLength: 1, maxLength: 6 }), (text, steps) => {
        let index = new LineIndex(text);
        let current = text;
        for (const [p, len, piece] of steps) {
          const next = edited(current, p, len, piece);
          const { start, oldEnd, newEnd } = editOf(current, next);
          index = LineIndex.afterEdit(index, next, start, oldEnd, newEnd);
          current = next;
          sameIndex(index, new LineIndex(next), next);
        }
      }),
      { seed: 20261203, numRuns: 400 },
    );
  });

  it('finds the lines around an edit near the end of a long text', () => {
    const text = 'line\r\n'.repeat(20_000);
    const next = `${text.slice(0, text.length - 9)}x😀\n\ny${text.slice(text.length - 9)}`;
    const { start, oldEnd, newEnd } = editOf(text, next);
    const index = LineIndex.afterEdit(new LineIndex(text), next, start, oldEnd, newEnd);
    const fresh = new LineIndex(next);
    assert.equal(index.lineCount, 20_003);
    for (const line of [0, 19_999, 20_000, 20_001, 20_002]) assert.equal(index.lineText(line), fresh.lineText(line));
    assert.deepEqual(index.positionAt(next.length - 3), fresh.positionAt(next.length - 3));
  });
});

// Mangled text of every kind the scan reads, correct text beside which it is read, and ASCII filler to move
// runs further apart than the stretch read again around a change (a Thai run reads 400 characters around it).
const mangled = ['Ã©', 'â€™', 'Ã¢â‚¬â„¢', 'Russiaโs', ' โminilateralโ ', ' โopen', 'closed.โ ', '1990โ2000', 'Ð¿Ñ€Ð¸Ð²ÐµÑ‚', 'яПХБЕР', '\u0092', 'Å\ufffd', 'â€\ufffd', 'Ã', 'โ'];
const correct = ['é', '😀', 'ประเทศไทย', 'Straße', '«НАТО»', '2 ×\u00a02', '\r\n', '\n\n', '\n', ' ', 'ab'];
const filler = fc.oneof(fc.nat(60), fc.nat(700)).map((n) => 'x'.repeat(n));
const piece = fc.oneof(fc.constantFrom(...mangled), fc.constantFrom(...correct), filler);
const textOf = fc.array(piece, { minLength: 1, maxLength: 30 }).map((pieces) => pieces.join(''));

function fullScan(text: string): MojibakeScan {
  const runs = findMojibake(text);
  return { runs, findings: mojibakeFindings(text, runs) };
}

describe('mangled text after an edit', () => {
  it('is what a full scan finds, after chains of edits before, inside and after runs (CRLF, astral characters, Thai)', () => {
    let kept = 0;
    let total = 0;
    fc.assert(
      fc.property(textOf, fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.nat(30), piece), { minLength: 1, maxLength: 5 }), (text, steps) => {
        let scan = fullScan(text);
        let current = text;
        for (const [p, len, inserted] of steps) {
          const next = edited(current, p, len, inserted);
          const edit = editOf(current, next);
          const after = drain(findMojibakeAfterEditSteps(scan, next, edit, new LineIndex(next)));
          assert.deepEqual(after, fullScan(next));
          // How many runs were far enough from the change to be kept rather than read again.
          kept += after.runs.filter((r) => r.end < edit.start - 600 || r.start > edit.newEnd + 600).length;
          total += after.runs.length;
          scan = after;
          current = next;
        }
      }),
      { seed: 20261203, numRuns: 300 },
    );
    assert.ok(kept > total / 8, `${kept} of ${total} runs far from the changes`);
  });

  it('reads again a Thai mark whose pair, 300 characters away, the change removed', () => {
    const text = `He said โyes ${'x'.repeat(300)} and no.โ Then ${'y'.repeat(2000)}`;
    const next = text.replace('no.โ', 'no.');
    const scan = drain(findMojibakeAfterEditSteps(fullScan(text), next, editOf(text, next), new LineIndex(next)));
    assert.equal(fullScan(text).runs[0].repair, '“');
    assert.equal(scan.runs[0].repair, undefined);
    assert.deepEqual(scan, fullScan(next));
  });

  it('keeps the findings of runs far from the change, placed anew, and reads again those near it', () => {
    const far = 'y'.repeat(2000);
    const text = `Ã© ${far}\nâ€™ here ${far}\r\nthe end Ã©`;
    const scan = fullScan(text);
    assert.equal(scan.runs.length, 3);
    // Marked: a kept finding keeps its message, one read again is written anew.
    const marked: MojibakeScan = { runs: scan.runs, findings: scan.findings.map((f) => ({ ...f, message: 'kept' })) };
    const next = text.replace('here', 'now\nthere');
    const after = drain(findMojibakeAfterEditSteps(marked, next, editOf(text, next), new LineIndex(next)));
    assert.deepEqual(after.findings.map((f) => f.message === 'kept'), [true, false, true]);
    assert.deepEqual(after.findings.map((f) => f.range), fullScan(next).findings.map((f) => f.range));
  });
});

describe('a changed .bib with mangled text, re-indexed', () => {
  const uri = 'file:///ws/refs.bib';
  const entry = (i: number, eol: string) => `@article{k${i},${eol}  title = {Caf${i % 3 ? 'Ã©' : 'é'} ${i} ${'z'.repeat(600)}},${eol}  year = 2020${eol}}${eol}`;
  for (const eol of ['\n', '\r\n']) {
    it(`finds what a full read finds, reading again only around the change (${JSON.stringify(eol)} line ends)`, async () => {
      const text = Array.from({ length: 30 }, (_, i) => entry(i, eol)).join('');
      const workspace = new MemoryWorkspace({ 'refs.bib': text });
      const store = new BibliographyStore(workspace, nullLogger, () => defaultConfig);
      const before = await store.get(uri);
      assert.equal(before.mangled?.length, 20);
      for (const [from, to] of [['Café 12 ', `Ã© twelve${eol}${eol}`], ['Caf… 13', 'Caf… 13'], ['CafÃ© 14 ', 'Café 14 '], [`k29,`, `k29,${eol}  note = {Ã¢â‚¬â„¢},`]] as const) {
        const current = workspace.files.get(uri)!;
        workspace.files.set(uri, current.replace(from, to));
        store.invalidate(uri);
        const after = await store.get(uri);
        const fresh = await new BibliographyStore(new MemoryWorkspace({ 'refs.bib': workspace.files.get(uri)! }), nullLogger, () => defaultConfig).get(uri);
        if (current !== workspace.files.get(uri)) assert.ok(after.changes, `re-parsed incrementally after ${from}`);
        assert.deepEqual(after.mangled, fresh.mangled);
        assert.deepEqual(after.mangledRuns, fresh.mangledRuns);
      }
    });
  }
});
