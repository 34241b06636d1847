import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import type { BibEntry } from '../../server/src/service/model';
import type { BibliographyChanges } from '../../server/src/service/index/bibliographies';
import { CitationSearch, fold, withinDistance } from '../../server/src/service/index/search';
import { PatchedSearch, ScopeIndex } from '../../server/src/service/index/scopeIndex';

const zero = { line: 0, character: 0 };
const entry = (key: string, family: string[], year: string, title: string): BibEntry => ({
  key,
  keyRange: { start: zero, end: zero },
  range: { start: zero, end: zero },
  type: 'article',
  fields: {},
  authors: family.map((f) => ({ family: f })),
  year,
  title,
});

const entries = [
  entry('biscop2022new', ['Biscop'], '2022', 'The New NATO Force Model: Ready for Launch?'),
  entry('deni2024new', ['Deni'], '2024', 'The New NATO Force Model'),
  entry('monaghan2024nato', ['Monaghan'], '2024', 'Is NATO Ready for War?'),
  entry('szenes2023reinforcing', ['Szenes'], '2023', 'Reinforcing Deterrence'),
  entry('iskandarov2019south', ['Iskandarov', 'Gawliczek'], '2019', 'The South Caucasus and NATO'),
  entry('iskandarov2020new', ['Iskandarov'], '2020', 'New Realities of Partnership'),
  entry('duffield1994nato', ['Duffield'], '1994', "NATO's Functions after the Cold War"),
  entry('gilli2020natomation', ['Gilli'], '2020', 'NATO-mation: Strategies for Leading in the Age of Artificial Intelligence'),
  entry('cheng2011', ['Müller-Lüdenscheidt'], '2011', 'Über Bündnisse'),
];
const search = CitationSearch.of(entries.map((e) => ({ entry: e, uri: 'file:///refs.bib' })));
const top = (q: string, n = 3) => search.search(q, n).hits.map((h) => h.record.key);

describe('citation search', () => {
  it('ranks an exact key first, then key prefixes', () => {
    assert.equal(top('deni2024new')[0], 'deni2024new');
    assert.deepEqual(top('iskandarov', 2), ['iskandarov2020new', 'iskandarov2019south']);
  });

  it('matches every word of a query across title, authors and year', () => {
    assert.deepEqual(top('nato force', 5).sort(), ['biscop2022new', 'deni2024new']);
    assert.deepEqual(top('iskandarov 2019'), ['iskandarov2019south']);
    assert.deepEqual(top('gawliczek'), ['iskandarov2019south']);
  });

  it('tolerates typos and transpositions', () => {
    assert.equal(top('bsicop')[0], 'biscop2022new');
    assert.equal(top('monagan')[0], 'monaghan2024nato');
    assert.equal(top('duffeild')[0], 'duffield1994nato');
  });

  it('folds accents both ways', () => {
    assert.equal(fold('Zoltán Müller'), 'zoltan muller');
    assert.equal(top('muller')[0], 'cheng2011');
    assert.equal(top('über')[0], 'cheng2011');
  });

  it('reports how many matched before the cap, and lists everything for an empty query', () => {
    assert.equal(search.search('nato', 2).total >= 5, true);
    assert.equal(search.search('', 100).hits.length, entries.length);
  });

  it('finds nothing for words no entry is near', () => {
    assert.deepEqual(top('xylophone'), []);
  });

  it('measures edit distance with transpositions and prefixes', () => {
    assert.ok(withinDistance('bsicop', 'biscop', 1));
    assert.ok(!withinDistance('abc', 'xyz', 2));
    assert.ok(withinDistance('biscpo', 'biscop2022', 1, true));
    assert.ok(!withinDistance('zzz', 'biscop2022', 1, true));
  });
});

describe('citation search over more of an entry (issue 14)', () => {
  const more = (key: string, authors: { family: string; given?: string }[], year: string, title: string, fields: Record<string, string>): BibEntry => ({ ...entry(key, [], year, title), authors, fields });
  const library = [
    more('biscop2022force', [{ family: 'Biscop', given: 'Sven' }], '2022', 'The New Force Model', { journal: 'Survival' }),
    more('biscoe2023', [{ family: 'Biscoe', given: 'Anne' }], '2023', 'Sea Power', { publisher: 'Princeton University Press' }),
    more('walt1987', [{ family: 'Walt', given: 'Stephen M.' }], '1987', 'The Origins of Alliances', { publisher: 'Cornell University Press' }),
    more('snyder1984', [{ family: 'Snyder', given: 'Glenn H.' }], '1984', 'The Security Dilemma in Alliance Politics', { 'container-title': 'World Politics', journal: 'World Politics' }),
    more('hooker2025', [{ family: 'Hooker', given: 'Richard' }], '2025', 'Force in NATO', {}),
    more('deni2024', [{ family: 'Deni', given: 'John' }], '2024', 'NATO Force Structure', {}),
    more('monaghan2026', [{ family: 'Monaghan', given: 'Sean' }], '2026', 'Is NATO Ready for War?', {}),
  ];
  const s = CitationSearch.of(library.map((e) => ({ entry: e, uri: 'file:///refs.bib' })));
  const first = (q: string, loose = false) => (loose ? s.searchLoose(q, 10) : s.search(q, 10)).hits.map((h) => h.record.key);

  it('finds entries by given name, journal or container title, publisher', () => {
    assert.deepEqual(first('survival'), ['biscop2022force']);
    assert.deepEqual(first('princeton'), ['biscoe2023']);
    assert.deepEqual(first('world politics'), ['snyder1984']);
    assert.deepEqual(first('stephen'), ['walt1987']);
    assert.deepEqual(first('stephen alliances'), ['walt1987']);
  });

  it('weighs a family name above a journal or publisher of the same word', () => {
    const both = CitationSearch.of([more('a2020', [{ family: 'Walt' }], '2020', 'X', {}), more('b2021', [{ family: 'Other' }], '2021', 'Y', { publisher: 'Walt Press' })].map((e) => ({ entry: e, uri: 'u' })));
    assert.deepEqual(both.search('walt', 5).hits.map((h) => h.record.key), ['a2020', 'b2021']);
  });

  it('costs a swap of two letters less than a wrong letter: biscpo is biscop before biscoe', () => {
    assert.equal(first('biscpo')[0], 'biscop2022force');
    assert.ok(first('biscpo').includes('biscoe2023'));
  });

  it('ranks titles holding the words side by side above titles with them apart', () => {
    assert.deepEqual(first('nato force').slice(0, 2), ['deni2024', 'hooker2025']);
  });

  it('reads a stop word typed last as the start of a word while completing (nato for: force)', () => {
    assert.deepEqual(first('nato for', true), ['deni2024', 'hooker2025']);
    // Once a space follows it, it is the stop word again; and with nothing to start, it is left out.
    assert.deepEqual(first('nato for ', true).sort(), ['deni2024', 'hooker2025', 'monaghan2026']);
    assert.deepEqual(first('ready for', true), ['monaghan2026']);
    // A search that must not guess (did-you-mean, a title looked up) leaves it out.
    assert.deepEqual(first('force of the').sort(), ['biscop2022force', 'deni2024', 'hooker2025']);
  });
});

describe('citation search with stop words', () => {
  it('ignores title stop words the writer types', () => {
    assert.equal(top('the new nato force')[0] === 'biscop2022new' || top('the new nato force')[0] === 'deni2024new', true);
    assert.deepEqual(top('the south caucasus'), ['iskandarov2019south']);
  });
});

describe('building the search in the background', () => {
  const many = (n: number, word: string) =>
    Array.from({ length: n }, (_, i) => ({ entry: entry(`${word}${i}`, ['Author'], '2000', `${word} title ${i}`), uri: 'file:///big.bib' }));
  const bib = (list: { entry: BibEntry }[], generation: number) => ({
    uri: 'file:///big.bib', format: 'bibtex' as const, entries: list.map((e) => e.entry), byKey: new Map(list.map((e) => [e.entry.key, [e.entry]])), errors: [], generation, parseMs: 0,
  });

  it('answers from the previous version of the scope until the new one is built, then from the new one', async () => {
    const before = new ScopeIndex([bib(many(5000, 'old'), 1)]);
    const previous = before.search;
    const after = new ScopeIndex([bib(many(5000, 'new'), 2)]);
    after.buildInBackground(before);
    assert.equal(after.search, previous);
    for (let i = 0; i < 20 && after.search === previous; i++) await new Promise((r) => setImmediate(r));
    assert.notEqual(after.search, previous);
    assert.equal(after.search.search('new4999', 1).hits[0].record.key, 'new4999');
  });

  it('builds nothing more once a newer version of the same files replaced it, and answers from the previous search', async () => {
    const before = new ScopeIndex([bib(many(5000, 'old'), 1)]);
    const previous = before.search;
    const after = new ScopeIndex([bib(many(5000, 'new'), 2)]);
    after.buildInBackground(before);
    after.retire();
    await after.searchReady();
    for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
    assert.equal(after.search, previous);
    assert.equal(after.builtSearch, previous);
  });

  it('finishes at once when asked with no previous version to answer from', () => {
    const index = new ScopeIndex([bib(many(3000, 'x'), 1)]);
    index.buildInBackground();
    assert.equal(index.search.size, 3000);
  });
});

describe('the search patched with a library re-parsed incrementally', () => {
  const base = entries.map((e) => ({ entry: e, uri: 'file:///refs.bib' }));
  const changed = entry('deni2024new', ['Deni', 'Quux'], '2025', 'The New NATO Force Model, Revised');
  const added = entry('zhou2025alliances', ['Zhou'], '2025', 'Alliances in Transition');
  const now = [...base.filter((x) => x.entry !== entries[1] && x.entry !== entries[6]), { entry: changed, uri: 'file:///refs.bib' }, { entry: added, uri: 'file:///refs.bib' }];
  const patched = PatchedSearch.over(CitationSearch.of(base), new Set([entries[1], entries[6]]), now.slice(-2));
  const rebuilt = CitationSearch.of(now);
  const show = (r: { hits: { record: { key: string }; score: number }[]; total: number }) => ({ hits: r.hits.map((h) => `${h.record.key} ${h.score.toFixed(6)}`), total: r.total });

  for (const q of ['nato', 'new nato force', 'deni', 'quux', 'revised', '2025', '2024', 'duffield', 'alliances transition', 'iskandrov', 'n', 'the', '']) {
    it(`answers '${q}' as the search rebuilt from the new entries does`, () => {
      // An empty query lists entries in file order, where the patch moved two: only the whole list compares.
      for (const limit of q === '' ? [50] : [1, 3, 50]) {
        const expected = show(rebuilt.search(q, limit));
        const actual = show(patched.search(q, limit));
        if (q === '') [expected.hits, actual.hits].forEach((h) => h.sort());
        assert.deepEqual(actual, expected);
      }
    });
  }

  it('patched again (the changed entry changed again, one more removed) is one patch that answers as the rebuilt search', () => {
    const again = entry('deni2024new', ['Deni', 'Quux'], '2025', 'The New NATO Force Model, Revised Twice');
    const later = [...now.filter((x) => x.entry !== changed && x.entry !== entries[2]), { entry: again, uri: 'file:///refs.bib' }];
    const twice = PatchedSearch.over(patched, new Set([changed, entries[2]]), later.slice(-1));
    // Over the built search: the three entries of the file it no longer holds, the two it adds.
    assert.equal(twice.changedEntries, 5);
    const rebuiltLater = CitationSearch.of(later);
    for (const q of ['nato', 'revised twice', 'deni', 'quux', '2025', 'alliances', 'n', 'the']) {
      for (const limit of [1, 3, 50]) assert.deepEqual(show(twice.search(q, limit)), show(rebuiltLater.search(q, limit)), `${q} (${limit})`);
    }
  });

  it('is what the scope answers with while it rebuilds, once the library says what changed', () => {
    const bib = (list: typeof base, generation: number, changes?: BibliographyChanges) => ({
      uri: 'file:///refs.bib', format: 'bibtex' as const, entries: list.map((e) => e.entry), byKey: new Map(list.map((e) => [e.entry.key, [e.entry]])), errors: [], generation, parseMs: 0, changes,
    });
    const before = new ScopeIndex([bib(base, 1)]);
    assert.equal(before.search.size, entries.length);
    const after = new ScopeIndex([bib(now, 2, { since: 1, removed: [entries[1], entries[6]], added: now.slice(-2).map((x) => x.entry) })]);
    after.buildInBackground(before);
    assert.ok(after.search instanceof PatchedSearch);
    assert.deepEqual(after.search.search('quux', 5).hits.map((h) => h.record.key), ['deni2024new']);
    const unrelated = new ScopeIndex([bib(now, 3)]);
    unrelated.buildInBackground(before);
    assert.equal(unrelated.search, before.search, 'without changes, the previous search answers as it is');
  });
});

describe('withinDistance', () => {
  /** Optimal string alignment distance, the textbook way (the reference for the reused-buffer version). */
  const distance = (a: string, b: string): number[][] => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) {
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
    return d;
  };

  it('agrees with the textbook distance, whole words and prefixes, on random words', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'é') , maxLength: 9 }), fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'é'), maxLength: 70 }), fc.integer({ min: 0, max: 3 }), (a, b, max) => {
        const d = distance(a, b);
        assert.equal(withinDistance(a, b, max), d[a.length][b.length] <= max);
        assert.equal(withinDistance(a, b, max, true), d[a.length].some((v) => v <= max));
      }),
      { seed: 20251125, numRuns: 3000 },
    );
  });
});
