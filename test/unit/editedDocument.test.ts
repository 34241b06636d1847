import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range } from 'vscode-languageserver-types';
import { EditedDocument } from '../../server/src/editedDocument';

/**
 * An EditedDocument, and the oracle: the expected text, edited at the offsets that a document of
 * vscode-languageserver-textdocument made afresh from the text before the edit gives.
 */
function both(text: string) {
  return { ours: new EditedDocument('file:///a.bib', 'bibtex', 1, text), expected: text };
}

function edit(docs: ReturnType<typeof both>, range: Range, text: string, version: number) {
  docs.ours.update([{ range, text }], version);
  const before = TextDocument.create('file:///a.bib', 'bibtex', 1, docs.expected);
  const [a, b] = [before.offsetAt(range.start), before.offsetAt(range.end)];
  docs.expected = docs.expected.slice(0, Math.min(a, b)) + text + docs.expected.slice(Math.max(a, b));
}

/** Every offset and position of the text (and some past it) answers alike; `read` says whether to read the text first. */
function assertSame(docs: ReturnType<typeof both>, read: boolean, note: string) {
  const { ours, expected: text } = docs;
  const theirs = TextDocument.create('file:///a.bib', 'bibtex', 1, text);
  if (read) assert.equal(ours.getText(), text, note);
  assert.equal(ours.lineCount, theirs.lineCount, `${note}: line count`);
  for (let o = -1; o <= text.length + 1; o++) assert.deepEqual(ours.positionAt(o), theirs.positionAt(o), `${note}: positionAt(${o})`);
  for (let line = -1; line <= theirs.lineCount; line++) {
    for (let character = 0; character < 6; character++) {
      const p = { line, character };
      assert.equal(ours.offsetAt(p), theirs.offsetAt(p), `${note}: offsetAt(${line}:${character})`);
    }
  }
  const range = { start: theirs.positionAt(1), end: theirs.positionAt(text.length - 1) };
  assert.equal(ours.getText(range), theirs.getText(range), `${note}: getText(range)`);
  for (let line = -1; line <= theirs.lineCount; line++) {
    assert.deepEqual(ours.getLineRange(line), theirs.getLineRange(line), `${note}: getLineRange(${line})`);
    assert.equal(ours.getEOLCharacters(line), theirs.getEOLCharacters(line), `${note}: getEOLCharacters(${line})`);
  }
}

const at = (line: number, character: number): Position => ({ line, character });

describe('an edited document (the open documents that edits do not copy)', () => {
  it('places typing, deletions and multi-line edits as the LSP text document does', () => {
    const docs = both('@book{a,\n  title = {One},\n}\n\n@book{b,\n  title = {Two},\n}\n');
    let v = 1;
    for (const c of 'New ') edit(docs, { start: at(1, 12 + v - 1), end: at(1, 12 + v - 1) }, c, ++v);
    assertSame(docs, false, 'typing in a title, before reading');
    edit(docs, { start: at(0, 0), end: at(0, 0) }, '% top\n', ++v); // before the entries
    edit(docs, { start: at(8, 0), end: at(8, 0) }, '@misc{c}\n', ++v); // after them
    edit(docs, { start: at(2, 10), end: at(5, 4) }, 'x\ny', ++v); // across entries
    edit(docs, { start: at(3, 1), end: at(2, 0) }, '', ++v); // a reversed range
    edit(docs, { start: at(40, 0), end: at(50, 3) }, '\n@end{z}', ++v); // past the end
    assertSame(docs, true, 'edits before, inside, across and after entries');
  });

  it('counts CRLF, lone CR and astral characters like the LSP text document', () => {
    const docs = both('@book{a,\r\n  title = {𝔄𝔟𝔠 é},\r\n}\r\n\r@misc{b}\r\n');
    let v = 1;
    edit(docs, { start: at(1, 12), end: at(1, 12) }, '😀', ++v);
    assertSame(docs, false, 'an astral character typed');
    edit(docs, { start: at(1, 2), end: at(1, 2) }, '\r', ++v);
    edit(docs, { start: at(1, 3), end: at(1, 3) }, '\n', ++v); // joins the \r before it into one line break
    assertSame(docs, true, 'a CR, then an LF after it');
    edit(docs, { start: at(0, 8), end: at(1, 0) }, '', ++v); // a CRLF removed
    edit(docs, { start: at(0, 20), end: at(0, 20) }, 'a\rb\r\nc\n', ++v);
    assertSame(docs, true, 'mixed line breaks inserted');
  });

  it('keeps the pieces of many edits and reads them back as one text', () => {
    const docs = both('x'.repeat(2000) + '\n' + 'y'.repeat(2000));
    let v = 1;
    // Far apart: every edit is a piece of its own, past the limit where the pieces are joined.
    for (let i = 0; i < 1500; i++) edit(docs, { start: at(i % 2, (i * 7) % 1900), end: at(i % 2, (i * 7) % 1900) }, 'ab'[i % 2].repeat(300), ++v);
    assertSame(docs, true, 'many pieces');
    edit(docs, { start: at(0, 0), end: at(1, 10_000_000) }, '', ++v);
    assertSame(docs, true, 'everything deleted');
  });

  it('lets go of the text it was given once it is edited and read again', () => {
    const original = 'é' + 'a'.repeat(1_000_000) + '\n';
    const ours = new EditedDocument('file:///a.bib', 'bibtex', 1, original);
    ours.update([{ range: { start: at(0, 5), end: at(0, 1_000_001) }, text: '' }], 2);
    const text = ours.getText();
    assert.equal(text, 'éaaaa\n');
    // A read after one piece is left (the start of the old text) is a string of its own, not a slice of the old text.
    ours.update([{ range: { start: at(0, 3), end: at(1, 0) }, text: '' }], 3);
    assert.equal(ours.getText(), 'éaa');
    assert.equal(ours.version, 3);
  });

  it('agrees with the LSP text document on random edits (fast-check)', () => {
    const chars = fc.constantFrom('a', 'b', ' ', '{', '}', '\n', '\r\n', '\r', '😀', 'é', '@book{k,\n');
    const snippet = fc.array(chars, { maxLength: 8 }).map((a) => a.join(''));
    const position = fc.record({ line: fc.integer({ min: -1, max: 8 }), character: fc.integer({ min: 0, max: 12 }) });
    const anEdit = fc.record({ start: position, end: position, text: snippet, read: fc.boolean() });
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 40 }).map((a) => a.join('')), fc.array(anEdit, { minLength: 1, maxLength: 12 }), (text, edits) => {
        const docs = both(text);
        let v = 1;
        for (const e of edits) {
          edit(docs, { start: e.start, end: e.end }, e.text, ++v);
          assertSame(docs, e.read, `after ${JSON.stringify(edits.slice(0, v - 1))} on ${JSON.stringify(text)}`);
        }
      }),
      { seed: 17, numRuns: 400 },
    );
  });
});
