import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import type { Name } from '../../server/src/service/model';
import { generalName, parseName, parseNames, splitNameList } from '../../server/src/service/parsers/bibliography/names';

/** A name as `given | von | family` (`-` for a missing part) and ` | jr` when there is one, or `literal: ...`. */
function show(n: Name): string {
  if (n.literal !== undefined) return `literal: ${n.literal}`;
  const parts = [n.given ?? '-', n.dropping ?? '-', n.family ?? '-'];
  if (n.suffix !== undefined) parts.push(n.suffix);
  return parts.join(' | ');
}

function check(rows: [string, string[]][]): void {
  const failures = rows
    .map(([input, expected]) => ({ input, expected, actual: parseNames(input).map(show) }))
    .filter((r) => JSON.stringify(r.actual) !== JSON.stringify(r.expected))
    .map((r) => `${JSON.stringify(r.input)} -> ${JSON.stringify(r.actual)}, expected ${JSON.stringify(r.expected)}`);
  assert.deepEqual(failures, []);
}

describe('parseNames', () => {
  it('reads "First von Last" names', () => {
    check([
      ['Donald E. Knuth', ['Donald E. | - | Knuth']],
      ['Jean de La Fontaine', ['Jean | de | La Fontaine']],
      ['Ludwig van Beethoven', ['Ludwig | van | Beethoven']],
      ['Charles Louis Xavier Joseph de la Vall{\\\'e}e Poussin', ['Charles Louis Xavier Joseph | de la | Vallée Poussin']],
      ['Aristotle', ['- | - | Aristotle']],
      ['jean de la fontaine', ['- | jean de la | fontaine']],
    ]);
  });

  it('reads "von Last, First" and "von Last, Jr, First" names', () => {
    check([
      ['Biscop, Sven', ['Sven | - | Biscop']],
      ['van der Berg, Jan', ['Jan | van der | Berg']],
      ['Ford, Jr., Henry', ['Henry | - | Ford | Jr.']],
      ['de la Fontaine, Jr., Jean', ['Jean | de la | Fontaine | Jr.']],
      ['Smith,', ['- | - | Smith']],
    ]);
  });

  it('splits on "and" at brace depth 0 only, in any case and around any whitespace', () => {
    check([
      ['Knuth, Donald and Lamport, Leslie', ['Donald | - | Knuth', 'Leslie | - | Lamport']],
      ['A. Smith AND B. Jones\nand\tC. Brown', ['A. | - | Smith', 'B. | - | Jones', 'C. | - | Brown']],
      ['{Barnes and Noble} and Anderson, Chris', ['literal: Barnes and Noble', 'Chris | - | Anderson']],
      ['Alexander Sandro', ['Alexander | - | Sandro']],
    ]);
    assert.deepEqual(splitNameList('a and {b and c} And d'), ['a', '{b and c}', 'd']);
  });

  it('reads a braced name as a literal', () => {
    check([
      ['{North Atlantic Treaty Organization}', ['literal: North Atlantic Treaty Organization']],
      ['{NATO} and {European Union}', ['literal: NATO', 'literal: European Union']],
      ['{\\"O}zt{\\"u}rk, Ali', ['Ali | - | Öztürk']],
    ]);
  });

  it('keeps braced parts together and decides von by the first letter at depth 0', () => {
    check([
      ['{van Gogh}, Vincent', ['Vincent | - | van Gogh']],
      ['Vincent {van Gogh}', ['Vincent | - | van Gogh']],
      ['{\\"u}ber Alles, Hans', ['Hans | über | Alles']],
      ['Hans {\\"U}ber', ['Hans | - | Über']],
    ]);
  });

  it('turns LaTeX into Unicode after splitting', () => {
    check([
      ['J{\\"o}rg M{\\"u}ller and Zolt{\\\'a}n Szenes', ['Jörg | - | Müller', 'Zoltán | - | Szenes']],
      ['Jean~Laid{\\\'e}', ['Jean | - | Laidé']],
      ['Lech Wa{\\l}{\\k{e}}sa', ['Lech | - | Wałęsa']],
    ]);
  });

  it('reads "others" as a literal', () => {
    check([['Knuth, Donald and others', ['Donald | - | Knuth', 'literal: others']]]);
  });

  it("reads biblatex's extended name format", () => {
    check([['family=Doe, given=Jane, prefix=van, suffix=Jr.', ['Jane | van | Doe | Jr.']]]);
  });

  it('ignores empty names', () => {
    check([['', []], ['  ', []], ['A. Smith and and B. Jones', ['A. | - | Smith', 'B. | - | Jones']], ['{}', []]]);
  });

  it('reads plain names through its shortcut exactly as through the general rules', () => {
    const word = fc.constantFrom('Jane', 'Doe', 'J.', 'van', 'de', 'Jr.', "O'Neil", "'t", '-', "'", '2', 'Smith-Jones', ' ', ' ', ',', '  ', 'X', '$', '}');
    fc.assert(
      fc.property(fc.array(word, { maxLength: 8 }), (words) => {
        const s = words.join('').trim();
        if (s === '') return;
        assert.deepEqual(parseName(s), generalName(s), JSON.stringify(s));
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws and returns names without LaTeX braces', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'B', ' ', ' and ', ',', '{', '}', '\\"', 'o', '~', '=') }), (s) => {
        for (const n of parseNames(s)) for (const part of Object.values(n)) assert.ok(!/[{}]/.test(part as string), JSON.stringify(n));
      }),
      { numRuns: 2000 },
    );
  });
});
