import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { convert, latexToUnicode } from '../../server/src/service/parsers/bibliography/latexToUnicode';

/** Each row: LaTeX in, Unicode out. */
function check(rows: [string, string][]): void {
  const failures = rows
    .map(([input, expected]) => ({ input, expected, actual: latexToUnicode(input) }))
    .filter((r) => r.actual !== r.expected)
    .map((r) => `${JSON.stringify(r.input)} -> ${JSON.stringify(r.actual)}, expected ${JSON.stringify(r.expected)}`);
  assert.deepEqual(failures, []);
}

describe('latexToUnicode', () => {
  it('returns plain text unchanged', () => {
    check([
      ['The New Force Model', 'The New Force Model'],
      ['Fault-tolerant parsing', 'Fault-tolerant parsing'],
      ["Europe's defence", "Europe's defence"],
      ['', ''],
      ['Zoltán Szenes', 'Zoltán Szenes'],
    ]);
  });

  it('writes accents in every form as precomposed letters', () => {
    check([
      ["{\\'a}", 'á'], ["\\'{a}", 'á'], ["\\'a", 'á'], ["\\' a", 'á'], ['{\\"o}', 'ö'], ['\\"{O}', 'Ö'],
      ['\\~n', 'ñ'], ['\\`e', 'è'], ['\\^o', 'ô'], ['\\c{c}', 'ç'], ['\\c c', 'ç'], ['\\v{s}', 'š'], ['\\v S', 'Š'],
      ['\\u{g}', 'ğ'], ['\\H{o}', 'ő'], ['\\k{a}', 'ą'], ['\\={a}', 'ā'], ['\\.{z}', 'ż'], ['\\r{a}', 'å'],
      ['\\d{s}', 'ṣ'], ["Zolt{\\'a}n", 'Zoltán'], ["Jos\\'e Mar\\'\\i a", 'José María'],
    ]);
  });

  it('puts accents on dotless i and j as the plain letters', () => {
    check([["\\'\\i", 'í'], ['\\"{\\i}', 'ï'], ["{\\'{\\i}}", 'í'], ['\\v{\\j}', 'ǰ'], ['\\i', 'ı']]);
  });

  it('writes special letters', () => {
    check([
      ['Stra\\ss e', 'Straße'], ['{\\o}rsted', 'ørsted'], ['\\O', 'Ø'], ['\\ae', 'æ'], ['\\AE', 'Æ'],
      ['\\oe', 'œ'], ['\\aa', 'å'], ['\\AA', 'Å'], ["{\\l}{\\'o}d{\\'z}", 'łódź'], ['\\L', 'Ł'], ['Ma\\ss{}en', 'Maßen'],
    ]);
  });

  it('writes dashes, quotes, ties and escaped characters', () => {
    check([
      ['pages 12--34', 'pages 12–34'], ['yes---no', 'yes—no'], ['D.~E. Knuth', 'D. E. Knuth'],
      ['\\& \\% \\$ \\_ \\#', '& % $ _ #'], ["``quoted''", '“quoted”'], ['`single\'', '‘single\''],
      ['a\\\\b', 'a b'], ['\\{braces\\}', '{braces}'],
    ]);
  });

  it('keeps the text of formatting commands and drops unknown commands', () => {
    check([
      ['\\textit{x} and \\emph{y}', 'x and y'], ['\\textbf{Bold} \\textsc{Caps}', 'Bold Caps'],
      ['\\mkbibquote{Quoted}', 'Quoted'], ['{\\em emphasised} text', 'emphasised text'], ['\\foo{bar}', 'bar'],
      ['\\unknown text', 'text'], ['{\\noopsort{a}}1973', '1973'],
    ]);
  });

  it('removes protective braces', () => {
    check([['{The {NATO} Summit}', 'The NATO Summit'], ['{{NATO}} 2022', 'NATO 2022'], ['{}', '']]);
  });

  it('writes logos and symbols', () => {
    check([
      ['\\LaTeX{} and \\TeX', 'LaTeX and TeX'], ['{\\TeX}book', 'TeXbook'], ['\\BibTeX', 'BibTeX'],
      ['50\\,km', '50 km'], ['\\S 3', '§ 3'], ['\\ldots{} and \\ldots and', '… and … and'], ['\\ldots', '…'], ['\\textendash', '–'],
    ]);
  });

  it('keeps URLs verbatim', () => {
    check([
      ['see \\url{http://a.org/~b_c--d}', 'see http://a.org/~b_c--d'],
      ['\\href{http://x.org}{the site}', 'the site'],
      ['e-mail: \\path|beebe@math.utah.edu|', 'e-mail: beebe@math.utah.edu'],
      ['http://x/\\~{}user', 'http://x/~user'],
    ]);
  });

  it('keeps math readable', () => {
    check([
      ['$x^2$ and CO$_2$', 'x² and CO₂'], ['$O(n \\log n)$', 'O(n log n)'], ['$\\alpha$-helix', 'α-helix'],
      ['$x_{ij}$', 'xᵢⱼ'], ['$x^{ab}$', 'x^ab'], ['$a - b$', 'a - b'], ['\\(\\beta\\)', 'β'],
    ]);
  });

  it('collapses whitespace and trims', () => {
    check([['  a \n\t b  ', 'a b'], ['line one\r\n   line two', 'line one line two'], ['a { } b', 'a b'], ['a~~b', 'a b']]);
  });

  it('returns NFC text', () => {
    check([['cafe\u0301', 'café'], ["{\\'e}\u0301", 'é\u0301'.normalize('NFC')]]);
    assert.equal(latexToUnicode('e\u0301').length, 1);
  });

  it('survives 10,000 nested braces', () => {
    const deep = '{'.repeat(10000) + 'x' + '}'.repeat(10000);
    assert.equal(latexToUnicode(deep), 'x');
    const accented = latexToUnicode("\\'{".repeat(10000) + 'e' + '}'.repeat(10000));
    assert.ok(accented.startsWith('é'));
    assert.equal(accented.length, 10000);
  });

  it('never throws, never leaves braces or tildes from unescaped input', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'B', ' ', '{', '}', '\\', "'", '"', '~', '$', '-', '^', '_', 'c', 'i', '\n') }), (s) => {
        const out = latexToUnicode(s);
        assert.equal(typeof out, 'string');
        assert.equal(out, out.trim());
        assert.ok(!/\s\s/.test(out), `double space in ${JSON.stringify(out)}`);
        if (!s.includes('\\')) assert.ok(!/[{}~]/.test(out), `${JSON.stringify(s)} -> ${JSON.stringify(out)}`);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives what the full converter gives on text whose only LaTeX is braces (the fast path)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'B', ' ', '{', '}', '{}', '-', "'", '`', 'é', 'e\u0301', '\n', '.') }), (s) => {
        assert.equal(latexToUnicode(s), convert(s), JSON.stringify(s));
      }),
      { numRuns: 3000, seed: 20251125 },
    );
    assert.equal(latexToUnicode('The {NATO} Summit'), 'The NATO Summit');
  });

  it('is the identity on text without LaTeX', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'Z', '0', '.', ',', ':', 'é', 'ø', '-') }), (s) => {
        const words = s.split(/\s+/).join(' ').trim().replace(/-{2,}/g, '-');
        assert.equal(latexToUnicode(words), words.normalize('NFC'));
      }),
    );
  });
});
