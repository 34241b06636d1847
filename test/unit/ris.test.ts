import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseRis } from '../../server/src/service/parsers/bibliography/ris';
import { showRange, slice } from './fixture';

/** Entries as `key | key text | first line .. last line of the record`, errors as `range text | message`. */
function render(text: string): { entries: string[]; errors: string[] } {
  const { value, errors } = parseRis(text);
  assert.equal(value.format, 'ris');
  return {
    entries: value.entries.map((e) => {
      const lines = slice(text, e.range).split('\n');
      return `${e.key} | ${slice(text, e.keyRange)} | ${lines[0]} .. ${lines[lines.length - 1]}`;
    }),
    errors: errors.map((e) => `${showRange(e.range)} ${slice(text, e.range)} | ${e.message}${e.severity === 'warning' ? ' (warning)' : ''}`),
  };
}

const crlf = (lines: string[]) => lines.join('\r\n');

/** A publisher's export: byte order mark, CRLF line ends, Taylor & Francis-style tags, no ID. */
const publisherExport =
  '\uFEFF' +
  crlf([
    'TY  - JOUR',
    'T1  - Burden Sharing in NATO: Rhetoric and Reality',
    'AU  - Kunertova, Dominika',
    'AU  - Zapfe, Martin',
    'Y1  - 2019/06/04',
    'PY  - 2019',
    'DA  - 2019/06/04',
    'N1  - doi: 10.1080/01402390.2019.1625050',
    'DO  - 10.1080/01402390.2019.1625050',
    'T2  - Journal of Strategic Studies',
    'JF  - Journal of Strategic Studies',
    'JO  - Journal of Strategic Studies',
    'JA  - J. Strateg. Stud.',
    'SP  - 1',
    'EP  - 28',
    'VL  - 43',
    'IS  - 2',
    'PB  - Routledge',
    'SN  - 0140-2390',
    'M3  - doi: 10.1080/01402390.2019.1625050',
    'UR  - https://doi.org/10.1080/01402390.2019.1625050',
    'Y2  - 2024/01/15',
    'ER  - ',
    '',
    'TY  - CHAP',
    'AU  - Sperling, James',
    'ED  - Meijer, Hugo',
    'ED  - Wyss, Marco',
    'PY  - 2018',
    'DA  - 2018//',
    'TI  - NATO and the Security Dilemma',
    'T2  - The Handbook of European Defence Policies and Armed Forces',
    'SP  - 121',
    'EP  - 140',
    'PB  - Oxford University Press',
    'CY  - Oxford',
    'SN  - 978-0-19-879093-6',
    'DO  - https://doi.org/10.1093/oso/9780198790501.003.0008',
    'KW  - alliances',
    'KW  - security dilemma',
    'ID  - sperling2018nato',
    'ER  - ',
    '',
  ]);

describe('RIS parser', () => {
  it('indexes a publisher export with a BOM and CRLF line ends, with exact ranges', () => {
    assert.deepEqual(render(publisherExport), {
      entries: [
        'Kunertova_Zapfe_2019/06/04_2019 | TY  - JOUR | TY  - JOUR\r .. ER  - ',
        'sperling2018nato | sperling2018nato | TY  - CHAP\r .. ER  - ',
      ],
      errors: [],
    });
    const [first] = parseRis(publisherExport).value.entries;
    assert.equal(showRange(first.range).startsWith('0:1-'), true, 'the record starts after the BOM');
  });

  it('maps the tags to CSL variables and fields', () => {
    const [article, chapter] = parseRis(publisherExport).value.entries;
    assert.equal(article.type, 'article-journal');
    assert.equal(article.title, 'Burden Sharing in NATO: Rhetoric and Reality');
    assert.equal(article.year, '2019');
    assert.deepEqual(article.authors, [{ family: 'Kunertova', given: 'Dominika' }, { family: 'Zapfe', given: 'Martin' }]);
    assert.deepEqual(article.csl, {
      id: 'Kunertova_Zapfe_2019/06/04_2019',
      type: 'article-journal',
      author: [{ family: 'Kunertova', given: 'Dominika' }, { family: 'Zapfe', given: 'Martin' }],
      title: 'Burden Sharing in NATO: Rhetoric and Reality',
      'container-title': 'Journal of Strategic Studies',
      'container-title-short': 'J. Strateg. Stud.',
      issued: { 'date-parts': [[2019, 6, 4]] },
      accessed: { 'date-parts': [[2024, 1, 15]] },
      publisher: 'Routledge',
      volume: '43',
      issue: '2',
      page: '1-28',
      DOI: '10.1080/01402390.2019.1625050',
      URL: 'https://doi.org/10.1080/01402390.2019.1625050',
      note: 'doi: 10.1080/01402390.2019.1625050',
      ISSN: '0140-2390',
    });
    assert.equal(article.fields.journal, 'Journal of Strategic Studies');
    assert.equal(article.fields.doi, '10.1080/01402390.2019.1625050');
    assert.equal(chapter.type, 'chapter');
    assert.deepEqual(chapter.editors, [{ family: 'Meijer', given: 'Hugo' }, { family: 'Wyss', given: 'Marco' }]);
    assert.equal(chapter.fields.booktitle, 'The Handbook of European Defence Policies and Armed Forces');
    assert.equal(chapter.fields['publisher-place'], 'Oxford');
    assert.equal(chapter.fields.isbn, '978-0-19-879093-6');
    assert.equal(chapter.fields.doi, '10.1093/oso/9780198790501.003.0008', 'a DOI given as a URL is reduced to the DOI');
    assert.equal(chapter.fields.keyword, 'alliances, security dilemma');
    assert.equal(chapter.fields.page, '121-140');
    assert.equal(chapter.year, '2018');
  });

  it('uses editors as authors when a record has none', () => {
    const [e] = parseRis('TY  - EDBOOK\nED  - Webber, Mark\nTI  - NATO\nPY  - 2017\nER  - \n').value.entries;
    assert.equal(e.key, '_2017', "Pandoc's key: no AU/A1 author, so only the year");
    assert.deepEqual(e.authors, [{ family: 'Webber', given: 'Mark' }]);
    assert.equal(e.type, 'book');
  });

  const keys: { name: string; text: string; keys: string[] }[] = [
    {
      name: "generated keys follow Pandoc: each author's first word, then each PY/Y1 as written",
      text: 'TY  - JOUR\nAU  - de Mesquita, Bruce Bueno\nA1  - Smith, A.\nPY  - 2003\nER  - \n',
      keys: ['de_Smith_2003'],
    },
    {
      name: 'repeated generated keys get a, b... after the first, as Pandoc numbers them',
      text: ['TY  - BOOK', 'AU  - Waltz, Kenneth', 'PY  - 1979', 'ER  - '].join('\n').concat('\n').repeat(3),
      keys: ['Waltz_1979', 'Waltz_1979a', 'Waltz_1979b'],
    },
    {
      name: 'an explicit ID is used as written, even when repeated',
      text: 'TY  - BOOK\nID  - waltz1979\nER  - \nTY  - BOOK\nID  - waltz1979\nER  - \n',
      keys: ['waltz1979', 'waltz1979'],
    },
    {
      name: 'a generated key equal to an earlier ID is suffixed',
      text: 'TY  - BOOK\nID  - Waltz_1979\nER  - \nTY  - BOOK\nAU  - Waltz, K.\nPY  - 1979\nER  - \n',
      keys: ['Waltz_1979', 'Waltz_1979a'],
    },
  ];
  for (const t of keys) {
    it(t.name, () => assert.deepEqual(parseRis(t.text).value.entries.map((e) => e.key), t.keys));
  }

  it('warns about a record with nothing to build a key from and skips it', () => {
    assert.deepEqual(render('TY  - GEN\nTI  - Anonymous\nER  - \n'), {
      entries: [],
      errors: ['0:0-0:9 TY  - GEN | This record has no ID, author or year to make a citation key from (warning)'],
    });
  });

  it('gives no key to any record without ID, author or year (the second is not `a`, which [@a] would cite)', () => {
    const { value, errors } = parseRis('TY  - GEN\nTI  - One\nER  - \n'.repeat(3));
    assert.deepEqual(value.entries, []);
    assert.equal(errors.length, 3);
  });

  it('suffixes a generated key a to z, then asks for an ID instead of running into other characters', () => {
    const { value, errors } = parseRis('TY  - BOOK\nAU  - Waltz, K.\nPY  - 1979\nER  - \n'.repeat(30));
    const keys = value.entries.map((e) => e.key);
    assert.deepEqual(keys.slice(0, 3), ['Waltz_1979', 'Waltz_1979a', 'Waltz_1979b']);
    assert.equal(keys.at(-1), 'Waltz_1979z');
    assert.equal(keys.length, 27);
    assert.equal(errors.length, 3);
    assert.ok(keys.every((k) => /^[\w]+$/.test(k)));
  });

  it('reads lines without a tag as the continuation of the previous value', () => {
    const [e] = parseRis('TY  - JOUR\nID  - a\nAB  - First line of the abstract\n  and its second line.\n\nTI  - T\nER  - \n').value.entries;
    assert.equal(e.fields.abstract, 'First line of the abstract and its second line.');
    assert.equal(e.title, 'T');
  });

  it('accepts a single space before the dash, as Pandoc does, and unknown types as documents', () => {
    assert.deepEqual(render('TY - XYZ\nID - a\nER -\n'), { entries: ['a | a | TY - XYZ .. ER -'], errors: [] });
    assert.equal(parseRis('TY - XYZ\nID - a\nER -\n').value.entries[0].type, 'document');
  });

  const broken: { name: string; text: string; entries: string[]; errors: string[] }[] = [
    {
      name: 'a record without ER before the next TY is reported at its TY line and both records are kept',
      text: 'TY  - JOUR\nID  - a\nTI  - A\n\nTY  - BOOK\nID  - b\nER  - \n',
      entries: ['a | a | TY  - JOUR .. TI  - A', 'b | b | TY  - BOOK .. ER  - '],
      errors: ["0:0-0:10 TY  - JOUR | This record has no 'ER  - ' line to end it"],
    },
    {
      name: 'a record cut off at the end of the file is reported and kept',
      text: 'TY  - BOOK\nID  - a\nER  - \nTY  - BOOK\nID  - b\nTI  - B',
      entries: ['a | a | TY  - BOOK .. ER  - ', 'b | b | TY  - BOOK .. TI  - B'],
      errors: ["3:0-3:10 TY  - BOOK | This record has no 'ER  - ' line to end it"],
    },
    {
      name: 'stray lines between records are reported once per run, at the first line',
      text: 'TY  - BOOK\nID  - a\nER  - \nsome garbage\nmore garbage\n\nTY  - BOOK\nID  - b\nER  - \n',
      entries: ['a | a | TY  - BOOK .. ER  - ', 'b | b | TY  - BOOK .. ER  - '],
      errors: ["3:0-3:12 some garbage | Expected a record starting with 'TY  - '"],
    },
    {
      name: 'a malformed tag line inside a record is reported at its line',
      text: 'TY  - BOOK\nID  - a\nAU- Smith, J.\nTI  - A\nER  - \nTY  - BOOK\nID  - b\nER  - \n',
      entries: ['a | a | TY  - BOOK .. ER  - ', 'b | b | TY  - BOOK .. ER  - '],
      errors: ["2:0-2:13 AU- Smith, J. | Malformed RIS line: expected 'XX  - value' (two capitals or a capital and a digit, two spaces, '-', a space)"],
    },
    {
      name: 'a line inside a record that continues no free-text value is reported once per run',
      text: 'TY  - BOOK\nID  - a\nnot a tag\nnor this\nPY  - 2001\nER  - \n',
      entries: ['a | a | TY  - BOOK .. ER  - '],
      errors: ["2:0-2:9 not a tag | Malformed RIS line: expected 'XX  - value' (two capitals or a capital and a digit, two spaces, '-', a space)"],
    },
    {
      name: 'tags before the first TY and an ER without a record are reported',
      text: 'AU  - Lost, A.\nER  - \nTY  - BOOK\nID  - a\nER  - \n',
      entries: ['a | a | TY  - BOOK .. ER  - '],
      errors: [
        "0:0-0:14 AU  - Lost, A. | 'AU' line outside a record: a record starts with 'TY  - '",
        "1:0-1:6 ER  -  | 'ER  - ' without a record to end: a record starts with 'TY  - '",
      ],
    },
    {
      name: 'a BibTeX file given as RIS gives one error, not one per line',
      text: '@book{waltz1979,\n  title = {Theory of International Politics},\n  year = 1979\n}\n',
      entries: [],
      errors: ["0:0-0:16 @book{waltz1979, | Expected a record starting with 'TY  - '"],
    },
  ];
  for (const t of broken) {
    it(t.name, () => {
      const { entries, errors } = render(t.text);
      assert.deepEqual({ entries, errors }, { entries: t.entries, errors: t.errors });
    });
  }

  it('never fails internally and keeps every record whatever is typed into an export', () => {
    const typed = fc.string({ unit: fc.constantFrom(...'TYERID -\r\n\t,/0a'.split('')), maxLength: 8 });
    fc.assert(
      fc.property(fc.nat(publisherExport.length), fc.nat(40), typed, (at, deleted, inserted) => {
        const edited = publisherExport.slice(0, at) + inserted + publisherExport.slice(at + deleted);
        const { value, errors } = parseRis(edited);
        assert.ok(!errors.some((e) => e.message.startsWith('Could not read')), 'no internal failure');
        for (const e of value.entries) {
          const written = slice(edited, e.keyRange);
          assert.ok(written === e.key || /^TY/.test(written), `${written} is the ID or the TY line`);
          assert.ok(slice(edited, e.range).includes(written));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reads an empty file as no entries and no errors', () => {
    assert.deepEqual(render(''), { entries: [], errors: [] });
    assert.deepEqual(render('\uFEFF\r\n\r\n'), { entries: [], errors: [] });
  });

  it('reads 20,000 records', () => {
    const record = (i: number) => `TY  - JOUR\nAU  - Family${i}, Given\nPY  - ${1950 + (i % 70)}\nTI  - Title ${i}\nT2  - Journal\nVL  - 3\nSP  - 1\nEP  - 9\nER  - \n`;
    const text = Array.from({ length: 20_000 }, (_, i) => record(i)).join('');
    const { value, errors } = parseRis(text);
    assert.equal(errors.length, 0);
    assert.equal(value.entries.length, 20_000);
  });
});
