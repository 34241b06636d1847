/**
 * Typed reference lists (issue 16, part 2): the reader's fields scored against hand-written gold on the
 * seed paper's list and on a list of our own, and the cases each rule exists for.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readReference, readReferenceList } from '../../server/src/service/parsers/references/typedReferences';
import { splitReferences } from '../../server/src/service/parsers/references/referenceSplit';
import { importReferences } from '../../server/src/service/features/importReferences';
import { namesOf, parseBibtex } from '../../server/src/service/parsers/bibliography/bibtex';
import { parseCslJson } from '../../server/src/service/parsers/bibliography/cslJson';
import { projectRoot } from '../paths';
import { flatten, precision, recall, score, type GoldEntry } from './referenceGold';

const dir = path.join(projectRoot, 'test', 'fixtures', 'typed-references');
const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');

function measured(list: string) {
  const refs = readReferenceList(read(`${list}.txt`));
  const gold = JSON.parse(read(`${list}.gold.json`)) as GoldEntry[];
  return { refs, gold, s: score(refs, gold) };
}

const percent = (x: number) => `${(100 * x).toFixed(1)}%`;

describe('typed reference lists', () => {
  for (const [list, target] of [
    ['seed-nfm', 0.95],
    ['security-studies', 0.95],
    ['blind', 0.95],
    ['blind2', 0.95],
  ] as const) {
    it(`reads ${list}.txt with field precision and recall of at least ${percent(target)}, losing no reference`, () => {
      const { refs, gold, s } = measured(list);
      assert.equal(refs.length, gold.length, 'one result per reference');
      assert.equal(s.lost, 0, 'no reference lost');
      const p = precision(s);
      const r = recall(s);
      console.log(`      ${list}: ${s.right} of ${s.produced} fields produced right (precision ${percent(p)}), ${s.right} of ${s.expected} gold fields (recall ${percent(r)})`);
      assert.ok(p >= target && r >= target, s.misses.join('\n'));
    });
  }

  it('flags every reference of the four lists that has a field wrong or missing', () => {
    for (const list of ['seed-nfm', 'security-studies', 'blind', 'blind2']) {
      const { refs, gold } = measured(list);
      for (const g of gold) {
        const r = refs.find((x) => String(x.line + 1) === g.line)!;
        const got = flatten(r);
        const wrong = Object.entries(g).filter(([k, v]) => k !== 'line' && got[k] !== v);
        if (wrong.length) assert.ok(r.flags.length > 0, `${list} line ${g.line} has ${wrong.map(([k]) => k).join(', ')} wrong and no flag`);
      }
    }
  });

  it('scores a wrong field as wrong (the measure can fail)', () => {
    const refs = readReferenceList('Shea, J. (2012). Keeping NATO Relevant. Carnegie Moscow Center.');
    const s = score(refs, [{ line: '1', type: 'book', author: 'Shea, J.', year: '2011', title: 'Keeping NATO Relevant', publisher: 'Carnegie Moscow Center' }]);
    assert.equal(s.right, 4);
    assert.equal(s.expected, 5);
    assert.equal(s.produced, 5);
  });

  it('reads a month and day after the year and a report series with its number', () => {
    const { reference } = readReference(
      'Biscop, S. (2022, September). The New Force Model: NATO’s European army? (Egmont Policy Brief No. 285). Egmont Institute. Available at: https://example.org/b.pdf (Accessed: February 11, 2025).',
    );
    assert.deepEqual(reference?.fields, {
      urldate: '2025-02-11',
      url: 'https://example.org/b.pdf',
      year: '2022',
      month: '9',
      title: 'The New Force Model: NATO’s European army?',
      series: 'Egmont Policy Brief',
      number: '285',
      publisher: 'Egmont Institute',
    });
    assert.equal(reference?.type, 'report');
    assert.deepEqual(readReference('Edelman, E. S. (2024, March 12). T. Atlantic Council. https://x.org/a/').reference?.fields.day, '12');
  });

  it('reads compound family names, hyphenated initials, organisations and editors first', () => {
    const { reference } = readReference('Blessing, J., Elgin, K. K., & Ewers Peters, N. M. (Eds.). (2021). NATO 2030. SAIS.');
    assert.deepEqual(reference?.editors, [
      { family: 'Blessing', given: 'J.' },
      { family: 'Elgin', given: 'K. K.' },
      { family: 'Ewers Peters', given: 'N. M.' },
    ]);
    assert.deepEqual(reference?.authors, []);
    assert.deepEqual(readReference('Gilli, A., & Leonard, A.-S. (2020). T. P.').reference?.authors[1], { family: 'Leonard', given: 'A.-S.' });
    assert.deepEqual(readReference('Global Firepower. (2024). Ranking. Available at: https://g.com/r.').reference?.authors, [{ literal: 'Global Firepower' }]);
  });

  it('reads DOIs written as "doi: https://doi.org/…", "https://doi.org/…" and "doi:10.…", and keeps a "doi:" JSTOR link as a URL', () => {
    const doi = (s: string) => readReference(s).reference?.fields;
    assert.equal(doi('Duffield, J. S. (1994). T. J, 109(5), pp. 763–787. doi: https://doi.org/10.2307/2152531')?.doi, '10.2307/2152531');
    assert.equal(doi('Hasan, A. (2024). T. J, 14(3), pp. 1-13. https://doi.org/10.33445/sds.2024.14.3.1.')?.doi, '10.33445/sds.2024.14.3.1');
    assert.equal(doi('Sperling, J. (2009). T. J, 85(3), 491–511. doi:10.1111/j.1468-2346.2009.00810.x')?.doi, '10.1111/j.1468-2346.2009.00810.x');
    const jstor = doi('Shea, J. (2012). Keeping NATO Relevant. Carnegie. doi: http://www.jstor.org/stable/resrep26708');
    assert.equal(jstor?.url, 'http://www.jstor.org/stable/resrep26708');
    assert.equal(jstor?.doi, undefined);
  });

  it('reads a thesis and a conference paper', () => {
    const thesis = readReference('Ringsmose, J. (2009). Paying for protection [Doctoral dissertation, University of Southern Denmark]. ProQuest.').reference;
    assert.equal(thesis?.type, 'thesis');
    assert.equal(thesis?.fields.title, 'Paying for protection');
    assert.equal(thesis?.fields.publisher, 'University of Southern Denmark');
    const paper = readReference('Rynning, S. (2019). NATO at seventy? Paper presented at the ISA Annual Convention, Toronto, Canada.').reference;
    assert.equal(paper?.fields.title, 'NATO at seventy?');
    assert.equal(paper?.type, 'conference');
    assert.equal(paper?.fields.event, 'ISA Annual Convention');
    assert.equal(paper?.fields.address, 'Toronto, Canada');
  });

  it('reads a name suffix, an APA 6 "Retrieved … from" date, a thesis in parentheses and an edition', () => {
    const nye = importReferences('Nye, J. S., Jr. (2004). Soft power: The means to success in world politics. PublicAffairs.', 'bibtex');
    assert.match(nye.text, /author +\= \{Nye, Jr\., J\. S\.\},/);
    assert.deepEqual(namesOf(parseBibtex(nye.text).value.entries[0]).authors, [{ family: 'Nye', given: 'J. S.', suffix: 'Jr.' }]);
    const retrieved = readReference('NATO. (n.d.). Collective defence and Article 5. Retrieved March 3, 2020, from https://www.nato.int/cps/en/natohq/topics_110496.htm');
    assert.deepEqual(retrieved.reference?.fields, { urldate: '2020-03-03', url: 'https://www.nato.int/cps/en/natohq/topics_110496.htm', title: 'Collective defence and Article 5' });
    assert.deepEqual(retrieved.flags, ['no date (n.d.)']);
    const thesis = readReference("Smith, J. (2020). Burden sharing in NATO (Master's thesis). University of Oslo.").reference;
    assert.equal(thesis?.type, 'thesis');
    assert.equal(thesis?.fields.title, 'Burden sharing in NATO');
    assert.equal(thesis?.fields.publisher, 'University of Oslo');
    const edition = readReference('De Wijk, R. (2014). The art of military coercion (2nd ed.). Amsterdam University Press.').reference;
    assert.deepEqual([edition?.fields.title, edition?.fields.edition], ['The art of military coercion', '2']);
  });

  it('reads Chicago\'s "Accessed June 1, 2024." as the access date and keeps "Last modified …" in note', () => {
    const page = readReference('NATO. 2024. “Relations with Ukraine.” Last modified June 20, 2024. Accessed July 1, 2024. https://www.nato.int/cps/en/natohq/topics_37750.htm.');
    assert.deepEqual(page.reference?.fields, {
      urldate: '2024-07-01',
      note: 'Last modified June 20, 2024',
      url: 'https://www.nato.int/cps/en/natohq/topics_37750.htm',
      year: '2024',
      title: 'Relations with Ukraine',
    });
    assert.equal(page.reference?.type, 'webpage');
  });

  it('flags what it cannot read and keeps it as a failure, never dropping it', () => {
    const list = readReferenceList('Andrews, D. (2024). A title. Publisher.\n\nNot a reference at all (really)\n\nSmith et al. (2020). T. P.');
    assert.equal(list.length, 3);
    assert.equal(list[1].reference, undefined);
    assert.match(list[1].flags[0], /no author and date/);
    assert.match(list[2].flags.join(), /et al/);
    const dotted = readReference('Sadiyev, S. (2018). T. P. Available at: https://a.edu/x_(Accessed: 01.02.2025).');
    assert.equal(dotted.reference?.fields.urldate, '2025-02-01');
    assert.match(dotted.flags.join(), /day\.month\.year/);
    assert.equal(dotted.reference?.fields.url, 'https://a.edu/x_');
  });
});

describe('splitting a pasted reference list', () => {
  it('takes one reference per line, joins wrapped lines and broken URLs, drops a heading and list markers', () => {
    const text = [
      'References',
      '',
      '1. Kydd, A. (2001). Trust building, trust breaking: The dilemma of NATO enlargement. International',
      '    Organization, 55(4), 801–828. https://doi.org/10.1162/',
      '    002081801317193600',
      '2. Walt, Stephen M. 1987. The Origins of Alliances. Ithaca: Cornell University Press.',
    ].join('\n');
    const refs = splitReferences(text);
    assert.deepEqual(
      refs.map((r) => r.line),
      [2, 5],
    );
    assert.equal(refs[0].text, 'Kydd, A. (2001). Trust building, trust breaking: The dilemma of NATO enlargement. International Organization, 55(4), 801–828. https://doi.org/10.1162/002081801317193600');
  });

  it('takes each paragraph as one reference when blank lines separate them, even a wrapped line that looks like a start', () => {
    const text = [
      'Walt, S. M. (1985). Alliance formation and the balance of world power.',
      'International Security, 9(4), 3–43.',
      '',
      'Snyder, G. H. (1984). The security dilemma in alliance politics. World',
      'Politics, 36(4), 461–495. Reprinted in Brown, M. (2004). Offense,',
      'defense, and war. MIT Press.',
      '',
      'Jervis, R. (1978). Cooperation under the security dilemma. World Politics, 30(2), 167–214.',
    ].join('\n');
    assert.deepEqual(
      splitReferences(text).map((r) => r.line),
      [0, 3, 7],
    );
    // The same lines without blank lines: the line that starts like a reference starts one.
    assert.equal(splitReferences(text.replace(/\n\n/g, '\n')).length, 4);
  });

  it('ends a reference at a blank line even when the next does not look like one', () => {
    assert.equal(splitReferences('Walt, S. (1987). T. P.\n\nsomething else').length, 2);
  });
});

describe('a typed reference list written as a bibliography', () => {
  const seed = read('seed-nfm.txt');

  it('writes BibLaTeX that Entente reads back with no error: one entry per reference, the same names, titles and keys', () => {
    const result = importReferences(seed, 'bibtex');
    const parsed = parseBibtex(result.text);
    assert.deepEqual(parsed.errors, []);
    assert.equal(parsed.value.entries.length, 28);
    const byKey = new Map(parsed.value.entries.map((e) => [e.key, e]));
    const biscop = byKey.get('biscop2022new')!;
    assert.equal(biscop.type, 'report');
    assert.equal(biscop.fields.title, 'The New Force Model: NATO’s European army?');
    const blessing = byKey.get('blessing2021nato')!;
    assert.deepEqual(namesOf(blessing).editors?.map((n) => n.family), ['Blessing', 'Elgin', 'Ewers Peters']);
    assert.equal(byKey.get('szenes2023reinforcing')!.fields.journaltitle, 'Defense & Security Analysis');
    assert.deepEqual(namesOf(byKey.get('global2024military')!).authors, [{ literal: 'Global Firepower' }]);
    assert.match(result.text, /^  pages +\= \{763--787\},$/m);
    assert.match(result.text, /^  url +\= \{https:\/\/go\.gale\.com\/ps\/i\.do\?p=AONE&u=anon~2949059&id=GALE%7CA629148092/m);
  });

  it('gives keys of family name, year and first significant title word, with a, b... when they collide', () => {
    const keys = importReferences(
      ['Smith, J. (2020). The alliance. P.', 'Smith, J. (2020). Alliance politics. P.', 'Smith, J. (2020). An alliance again. P.', 'Biscop, S. (2022). The New Force Model. P.'].join('\n'),
      'bibtex',
    ).references.map((r) => r.key);
    assert.deepEqual(keys, ['smith2020alliancea', 'smith2020allianceb', 'smith2020alliancec', 'biscop2022new']);
  });

  it('escapes what LaTeX would read as commands, keeps capitals of acronyms, and comments what is flagged', () => {
    const result = importReferences('Doe, J. (2020). 100% of {NATO} & R_2 for $5 #1. Pub & Co.\n\nNothing here to read\n\n{Waltz, K. N. (1979). Theory}. P}.', 'bibtex');
    assert.ok(result.text.includes('title     = {100\\% of \\textbraceleft{}{NATO}\\textbraceright{} \\& R\\_2 for \\$5 \\#1},'), result.text);
    assert.match(result.text, /publisher += \{Pub \\& Co\}/);
    assert.match(result.text, /^% Not read \(line 3\): Nothing here to read$/m);
    const parsed = parseBibtex(result.text);
    assert.deepEqual(parsed.errors, []);
    assert.equal(parsed.value.entries[0].fields.title, '100% of {NATO} & R_2 for $5 #1');
    assert.equal(parsed.value.entries.length, 2, 'a lone brace in a name or title leaves no entry open');
    assert.deepEqual(result.report, ['line 3: not read (no author and date at the start ("Family, I. (2020).", "Family, Given. 2020.")): Nothing here to read']);
  });

  it('writes CSL-JSON that Entente reads back, dates as date-parts', () => {
    const result = importReferences(seed, 'csl-json');
    const parsed = parseCslJson(result.text);
    assert.deepEqual(parsed.errors, []);
    assert.equal(parsed.value.entries.length, 28);
    const items = JSON.parse(result.text) as Record<string, unknown>[];
    const biscop = items.find((i) => i.id === 'biscop2022new')!;
    assert.deepEqual(biscop.issued, { 'date-parts': [[2022, 9]] });
    assert.deepEqual(biscop.accessed, { 'date-parts': [[2025, 2, 11]] });
    assert.equal(biscop.type, 'report');
    assert.equal(biscop.genre, 'Egmont Policy Brief');
    assert.equal(items.find((i) => i.id === 'duffield1994natos')!.DOI, '10.2307/2152531');
  });

  it('numbers the report lines by the document when the text is a selection further down', () => {
    const result = importReferences('Smith et al. (2020). T. P.', 'bibtex', 40);
    assert.match(result.report[0], /^line 41 \(smith2020t\): "et al\."/);
  });
});
