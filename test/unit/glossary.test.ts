/**
 * The glossary model: the matcher (acronyms, multi-word forms, boundaries, plurals, line breaks),
 * precedence of project terms over built-in ones, lookups, and loading the built-in glossary.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { Glossary, isAcronymForm, type GlossaryTerm } from '../../server/src/service/glossary/model';
import { builtinGlossaryText, builtinTerms, loadBuiltinGlossary } from '../../server/src/service/glossary/builtin';
import { proseView } from '../../server/src/service/glossary/prose';

const term = (id: string, short: string, forms: string[] = [], more: Partial<GlossaryTerm> = {}): GlossaryTerm => ({
  id,
  short,
  forms,
  origin: 'builtin',
  ...more,
});

const small = new Glossary([
  [
    term('nfm', 'NFM', ['New Force Model', 'NFMs'], { expansion: 'NATO Force Model' }),
    term('nfo', 'NFO', [], { expansion: 'Not For Others' }),
    term('nato', 'NATO', ['North Atlantic Treaty Organization'], { expansion: 'North Atlantic Treaty Organization' }),
    term('washington-treaty', 'Washington Treaty', ['The North Atlantic Treaty', 'North Atlantic Treaty']),
    term('article-5', 'Article 5', ['Art. 5', 'Article 5 of the Washington Treaty']),
    term('efp', 'eFP', ['enhanced Forward Presence']),
    term('pfp', 'PfP', ['Partnership for Peace']),
    term('burden-sharing', 'burden sharing', ['burden-sharing']),
    term('b9', 'B9', ['Bucharest Nine']),
  ],
]);

/** `text→id` for each mention, in order. */
function mentions(text: string, g = small): string[] {
  return g.findMentions(text).map((m) => `${text.slice(m.start, m.end)}→${m.term.id}`);
}

describe('glossary matcher', () => {
  it('matches acronyms case-sensitively', () => {
    assert.deepEqual(mentions('The NFM, not the nfm or the Nfm.'), ['NFM→nfm']);
  });

  it('matches acronyms only on word boundaries, never inside other words', () => {
    assert.deepEqual(mentions('info INFO NFO NFOs xNFO NFO2 NFO_x'), ['NFO→nfo', 'NFOs→nfo', 'NFO→nfo']);
  });

  it('matches acronyms with mixed case exactly: eFP, PfP, B9', () => {
    assert.deepEqual(mentions('eFP EFP efp PfP PFP B9 b9 B99'), ['eFP→efp', 'PfP→pfp', 'B9→b9']);
  });

  it('matches plural and possessive acronyms and keeps the suffix in the range', () => {
    const text = "NFMs, NATO's plans, NATO’s plans, the NFMs' tiers";
    assert.deepEqual(mentions(text), ['NFMs→nfm', "NATO's→nato", 'NATO’s→nato', "NFMs'→nfm"]);
    const [, possessive] = small.findMentions(text);
    assert.equal(possessive.suffix, "'s");
  });

  it('matches an acronym before a hyphen or inside parentheses', () => {
    assert.deepEqual(mentions('NATO-led forces (NFM) and non-NATO states'), ['NATO→nato', 'NFM→nfm', 'NATO→nato']);
  });

  it('matches multi-word forms case-insensitively', () => {
    assert.deepEqual(mentions('the new force model and BURDEN SHARING'), ['new force model→nfm', 'BURDEN SHARING→burden-sharing']);
  });

  it('prefers the longest form at the same place', () => {
    assert.deepEqual(mentions('Article 5 of the Washington Treaty and Article 5 alone'), [
      'Article 5 of the Washington Treaty→article-5',
      'Article 5→article-5',
    ]);
  });

  it('prefers the longest of overlapping forms that start at different places', () => {
    assert.deepEqual(mentions('the North Atlantic Treaty Organization'), ['North Atlantic Treaty Organization→nato']);
    assert.deepEqual(mentions('the North Atlantic Treaty of 1949'), ['North Atlantic Treaty→washington-treaty']);
  });

  it('tolerates line breaks and runs of spaces inside a form', () => {
    assert.deepEqual(mentions('a New\nForce   Model and Article\r\n5 of the\n  Washington Treaty'), [
      'New\nForce   Model→nfm',
      'Article\r\n5 of the\n  Washington Treaty→article-5',
    ]);
  });

  it('treats hyphens and dashes alike, and quotes alike', () => {
    assert.deepEqual(mentions('burden–sharing and burden-sharing'), ['burden–sharing→burden-sharing', 'burden-sharing→burden-sharing']);
  });

  it('does not match a multi-word form inside a longer word', () => {
    assert.deepEqual(mentions('Article 50 and Article 5s and Art. 5'), ['Art. 5→article-5']);
  });

  it('matches only between from and to', () => {
    const text = 'NFM NATO NFM';
    assert.deepEqual(
      small.findMentions(text, 4, 8).map((m) => text.slice(m.start, m.end)),
      ['NATO'],
    );
  });

  it('does not see terms in masked (non-prose) text', () => {
    const text = 'The `NFM` code and the NFM.';
    assert.deepEqual(mentions(proseView(text, 'markdown').masked).length, 1);
  });

  it('keeps the length and line breaks of any text in its prose view, and finds mentions only inside it', () => {
    const pieces = ['NFM', ' ', '\n', '\n\n', '`', '$', '\\', '%', '{', '}', '[', ']', '(', ')', '@', '<!--', '-->', '```', '---', '#', 'gls', 'verb|', 'https://', 'Article 5', 'é', '~'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 60 }), fc.constantFrom('markdown', 'latex'), (parts, kind) => {
        const text = parts.join('');
        const view = proseView(text, kind as 'markdown' | 'latex');
        assert.equal(view.masked.length, text.length);
        for (let i = 0; i < text.length; i++) if (text[i] === '\n') assert.equal(view.masked[i], '\n');
        for (const m of small.findMentions(view.masked)) assert.ok(!view.masked.slice(m.start, m.end).includes('\0'));
      }),
      { numRuns: 500 },
    );
  });

  it('classifies acronym forms', () => {
    for (const f of ['NFM', 'eFP', 'PfP', 'PeSCo', 'B9', 'V4', 'EU-27', 'HA/DR']) assert.ok(isAcronymForm(f), f);
    for (const f of ['Article 5', 'Quad', 'deterrence', 'JFC Brunssum', 'Berlin+', '2% pledge']) assert.ok(!isAcronymForm(f), f);
  });
});

describe('glossary precedence and lookups', () => {
  const builtin = [
    term('new-force-model', 'NFM', ['New Force Model', 'NFMs'], {
      expansion: 'NATO Force Model',
      definition: 'The built-in definition.',
      founded: '2022-06-29',
      related: ['nato-response-force'],
    }),
    term('nato-response-force', 'NRF', ['NATO Response Force'], { expansion: 'NATO Response Force', definition: 'Built-in NRF.' }),
    term('deep', 'DEEP', [], { expansion: 'Defence Education Enhancement Programme', definition: 'Built-in DEEP.' }),
  ];
  const latex = (key: string, short: string, expansion: string): GlossaryTerm => ({ id: key, key, short, forms: [], expansion, origin: 'latex' });

  it('lets a project term override a built-in term with the same short form', () => {
    const g = Glossary.create({ project: [[latex('deep', 'DEEP', 'Deep Learning Programme')]], builtin });
    assert.equal(g.lookup('DEEP')?.origin, 'latex');
    assert.equal(g.lookup('DEEP')?.expansion, 'Deep Learning Programme');
    assert.equal(g.lookup('DEEP')?.definition, undefined, 'a term with another meaning borrows nothing');
    assert.equal(g.terms.filter((t) => t.short === 'DEEP').length, 1);
  });

  it('completes a project term from the built-in term it names', () => {
    const g = Glossary.create({ project: [[latex('nfm', 'NFM', 'New Force Model')]], builtin });
    const t = g.byKey('nfm')!;
    assert.equal(t.basedOn, 'new-force-model');
    assert.equal(t.expansion, 'New Force Model');
    assert.equal(t.definition, 'The built-in definition.');
    assert.equal(t.founded, '2022-06-29');
    assert.equal(g.lookup('NATO Force Model'), t, 'the built-in forms now lead to the project term');
    assert.equal(g.get('new-force-model'), t, 'related ids of other terms still resolve');
  });

  it('gives the first project layer precedence over later ones', () => {
    const fm: GlossaryTerm = { id: 'nfm', short: 'NFM', forms: [], expansion: 'Front-matter meaning', origin: 'front-matter' };
    const g = Glossary.create({ project: [[fm], [latex('nfm2', 'NFM', 'LaTeX meaning')]], builtin });
    assert.equal(g.lookup('NFM')?.expansion, 'Front-matter meaning');
  });

  it('completes a term from every lower term that names the same thing', () => {
    const fm: GlossaryTerm = { id: 'nfm', short: 'NFM', forms: [], expansion: 'New Force Model', origin: 'front-matter', key: 'nfm' };
    const g = Glossary.create({ project: [[fm], [{ ...latex('nfm', 'NFM', 'New Force Model'), definition: 'From LaTeX.' }]], builtin });
    const t = g.byKey('nfm')!;
    assert.equal(t.origin, 'front-matter');
    assert.equal(t.definition, 'From LaTeX.');
    assert.equal(t.founded, '2022-06-29');
    assert.equal(t.basedOn, 'new-force-model');
  });

  it('leaves the built-in terms out when the setting turns them off', () => {
    const g = Glossary.create({ project: [[latex('nfm', 'NFM', 'New Force Model')]], builtin, useBuiltin: false });
    assert.equal(g.size, 1);
    assert.equal(g.lookup('NRF'), undefined);
    assert.equal(g.byKey('nfm')?.definition, undefined);
    assert.deepEqual(mentions('NRF and NFM', g), ['NFM→nfm']);
  });

  it('looks terms up by id, by key and by surface form (plural, possessive, any case for words)', () => {
    const g = Glossary.create({ project: [[latex('nfm', 'NFM', 'New Force Model')]], builtin });
    assert.equal(g.get('nato-response-force')?.short, 'NRF');
    assert.equal(g.byKey('nfm')?.short, 'NFM');
    assert.equal(g.byKey('nato-response-force'), undefined, 'built-in terms have no LaTeX key');
    assert.equal(g.lookup('NFMs')?.id, 'nfm');
    assert.equal(g.lookup("NRF's")?.id, 'nato-response-force');
    assert.equal(g.lookup('nato response force')?.id, 'nato-response-force');
    assert.equal(g.lookup('nrf'), undefined);
    assert.deepEqual(
      g.keyedTerms().map((t) => t.key),
      ['nfm'],
    );
  });

  it('never mutates the term lists it is built from', () => {
    const project = [latex('nfm', 'NFM', 'New Force Model')];
    Glossary.create({ project: [project], builtin });
    assert.equal(project[0].definition, undefined);
    assert.deepEqual(project[0].forms, []);
  });
});

describe('built-in glossary', () => {
  it('loads every term of builtin.yaml with its facts', () => {
    const terms = builtinTerms();
    const ids = builtinGlossaryText()!.match(/^ {2}- id: /gm)?.length ?? 0;
    assert.ok(ids >= 300, `${ids} terms in builtin.yaml`);
    assert.equal(terms.length, ids);
    const nato = terms.find((t) => t.id === 'nato')!;
    assert.equal(nato.origin, 'builtin');
    assert.equal(nato.founded, '1949-04-04');
    assert.equal(nato.members?.length, 32);
    assert.ok(nato.sources![0].url?.startsWith('https://'));
  });

  it('reads a glossary text without touching the disk, and a broken one as no terms', () => {
    const terms = loadBuiltinGlossary('terms:\n  - id: x\n    short: X1\n    forms: [X-1]\n    founded: 1999\n    sources: ["https://example.org/x", {title: T}]\n');
    assert.deepEqual(terms, [
      {
        id: 'x',
        short: 'X1',
        forms: ['X-1'],
        expansion: undefined,
        definition: undefined,
        kind: undefined,
        founded: '1999',
        dissolved: undefined,
        members: undefined,
        related: undefined,
        sources: [
          { title: 'https://example.org/x', url: 'https://example.org/x' },
          { title: 'T', author: undefined, publisher: undefined, date: undefined, year: undefined, url: undefined, citation: undefined, type: undefined, accessed: undefined },
        ],
        origin: 'builtin',
      },
    ]);
    assert.deepEqual(loadBuiltinGlossary('terms: [ {'), []);
    assert.deepEqual(loadBuiltinGlossary(''), []);
  });

  it('finds the seed terms in prose: NFM, Article 5, ANZUS, CSTO, SCO', () => {
    const g = Glossary.create({ builtin: builtinTerms() });
    assert.deepEqual(mentions('The NFM, Article 5, ANZUS, the CSTO and the SCO.', g), [
      'NFM→new-force-model',
      'Article 5→article-5',
      'ANZUS→anzus',
      'CSTO→csto',
      'SCO→sco',
    ]);
  });

  it('scans a megabyte of prose against the built-in glossary in well under a second', () => {
    const g = Glossary.create({ builtin: builtinTerms() });
    const paragraph =
      'At the Madrid summit the North Atlantic Treaty Organization (NATO) agreed a New Force Model (NFM); the eFP ' +
      'battlegroups, Article 5 of the Washington Treaty and burden-sharing among allies were discussed at length. ';
    const text = paragraph.repeat(Math.ceil(1_000_000 / paragraph.length));
    g.findMentions(paragraph); // compile the matcher
    const start = process.hrtime.bigint();
    const found = g.findMentions(text);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    assert.ok(found.length > 20_000, `${found.length} mentions`);
    assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms`);
  });
});
