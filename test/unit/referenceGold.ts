/**
 * Field-level scoring of the typed-reference reader against gold files written by hand
 * (`test/fixtures/typed-references/*.gold.json`: per reference, its 1-based line and the fields it holds).
 * A field is right when its value equals the gold's; `note` (the text no field holds) is not scored.
 */
import type { Name } from '../../server/src/service/model';
import type { ReadReference } from '../../server/src/service/parsers/references/typedReferences';

export type Flat = Record<string, string>;
export interface GoldEntry extends Flat {
  line: string;
}

const nameText = (n: Name) => n.literal ?? (n.given ? `${n.family}, ${n.given}` : (n.family ?? ''));

/** A read reference as the gold writes it: names "Family, Given" joined with "; ", every field a string. */
export function flatten(r: ReadReference): Flat {
  const ref = r.reference;
  if (!ref) return {};
  const out: Flat = { type: ref.type };
  if (ref.authors.length) out.author = ref.authors.map(nameText).join('; ');
  if (ref.editors.length) out.editor = ref.editors.map(nameText).join('; ');
  for (const [k, v] of Object.entries(ref.fields)) if (v !== undefined && k !== 'note') out[k] = v;
  return out;
}

export interface Score {
  /** Fields produced that equal the gold's. */
  right: number;
  /** Fields produced. */
  produced: number;
  /** Fields in the gold. */
  expected: number;
  /** References with no output entry. */
  lost: number;
  /** One line per wrong or missing field: `line 3 title: got "x", expected "y"`. */
  misses: string[];
}

export function score(read: readonly ReadReference[], gold: readonly GoldEntry[]): Score {
  const s: Score = { right: 0, produced: 0, expected: 0, lost: 0, misses: [] };
  const byLine = new Map(read.map((r) => [String(r.line + 1), r]));
  for (const g of gold) {
    const r = byLine.get(g.line);
    const got = r ? flatten(r) : {};
    if (!r?.reference) s.lost++;
    const expected = Object.entries(g).filter(([k]) => k !== 'line');
    s.expected += expected.length;
    for (const [k, v] of expected) {
      if (got[k] === v) s.right++;
      else s.misses.push(`line ${g.line} ${k}: got ${JSON.stringify(got[k])}, expected ${JSON.stringify(v)}`);
    }
    for (const [k, v] of Object.entries(got)) {
      s.produced++;
      if (!(k in g)) s.misses.push(`line ${g.line} ${k}: got ${JSON.stringify(v)}, expected nothing`);
    }
  }
  return s;
}

export const precision = (s: Score) => (s.produced ? s.right / s.produced : 1);
export const recall = (s: Score) => (s.expected ? s.right / s.expected : 1);
