/**
 * Stale alliance facts (issue 16, part 4): `glossary.fact` catches a founding year or a member count that the
 * glossary's dated facts contradict, at the date the sentence speaks of, and says nothing of true sentences,
 * historical ones included.
 */
import * as assert from 'node:assert/strict';
import { Glossary } from '../../server/src/service/glossary/model';
import { builtinTerms } from '../../server/src/service/glossary/builtin';
import { documentDate, factDiagnostics } from '../../server/src/service/features/glossaryFacts';
import { proseView } from '../../server/src/service/glossary/prose';
import { LineIndex } from '../../server/src/service/text';
import { serviceFor } from './memoryWorkspace';
import { applyEdits } from './fixture';

const glossary = Glossary.create({ builtin: builtinTerms() });

/** The `glossary.fact` messages of a Markdown text, as of a date. */
function facts(text: string, asOf = '2026-12-03'): string[] {
  const { masked } = proseView(text, 'markdown');
  return factDiagnostics(masked, new LineIndex(text), glossary.findMentions(masked), { asOf }).map((d) => `${text.slice(text.split('\n').slice(0, d.range.start.line).join('\n').length + (d.range.start.line ? 1 : 0) + d.range.start.character).slice(0, d.range.end.character - d.range.start.character)}: ${d.message}`);
}

/** True sentences, historical and dated ones included, and the seed article's own (which states its facts right). */
const trueSentences = [
  'NATO, established in 1949, exemplifies a transatlantic alliance committed to deterring aggression.',
  'The ANZUS Treaty, signed in 1951, links the United States, Australia, and New Zealand.',
  "NATO's 32 members met in Washington.",
  'NATO has 32 members and a Secretary General.',
  "In 2019 NATO's 29 members agreed on a space policy.",
  'By 2004, NATO had 26 members.',
  "NATO's 12 founding members signed the treaty in Washington.",
  'When the SCO had six members, it was a Central Asian club.',
  'The SCO, founded in 2001, now counts 10 members.',
  "The SCO's ten members met in Astana in 2024.",
  'The EU, founded in 1993, had 28 member states until 2020.',
  'In 2019 the 28 EU member states debated Brexit.',
  'The 27 EU member states agreed on the Strategic Compass.',
  'The Warsaw Pact, signed in 1955, bound the Soviet Union to its satellites.',
  'The NATO Response Force, established in 2002, was replaced by the ARF.',
  'ASEAN, founded in 1967, has ten dialogue partners.',
  'In 2020, the 30 allies agreed to strengthen NATO.',
  'The 32 allies met at NATO headquarters.',
  'The Quad, first convened in 2007, has four members.',
  'AUKUS, announced in 2021, has three members.',
];

/** False sentences, each with the number it must flag and the start of its message. */
const falseSentences: [string, string, string][] = [
  ['NATO, established in 1950, exemplifies a transatlantic alliance.', '1950', 'NATO was founded by the North Atlantic Treaty, signed on 4 April 1949, not in 1950'],
  ["NATO's 30 members agreed.", '30', 'NATO has had 32 members since Sweden joined on 7 March 2024, not 30'],
  ['Today the 27 allies of NATO face Russia.', '27', 'NATO has had 32 members since Sweden joined on 7 March 2024, not 27'],
  ["The SCO's eight members met in Tianjin.", 'eight', 'SCO has had 10 members since Belarus joined on 4 July 2024, not 8'],
  ['The ANZUS Treaty, signed in 1952, links three states.', '1952', 'ANZUS was signed in San Francisco on 1 September 1951, not in 1952'],
  ["In 2019 NATO's 30 members agreed on a space policy.", '30', 'NATO had 29 members in 2019, not 30'],
  ['The 28 EU member states meet in Brussels.', '28', 'EU has had 27 members since the United Kingdom left on 31 January 2020, not 28'],
  ['The SCO, founded in 1996, is a Eurasian organisation.', '1996', 'SCO was founded on 15 June 2001 in Shanghai'],
];

describe('stale alliance facts (glossary.fact)', () => {
  it('says nothing of true sentences, historical and dated ones included', () => {
    for (const sentence of trueSentences) assert.deepEqual(facts(sentence), [], sentence);
  });

  it('catches each planted false fact, on the number, with the fact, since when it holds and its source', () => {
    for (const [sentence, flagged, message] of falseSentences) {
      const found = facts(sentence);
      assert.equal(found.length, 1, `${sentence}: ${found.join(' | ')}`);
      assert.ok(found[0].startsWith(`${flagged}: ${message}`), found[0]);
      assert.match(found[0], /\((?:NATO|European Union|Shanghai|Security Treaty)[^)]*\)\.$|\(.*\)\.$/);
    }
  });

  it('compares an undated sentence with the document date of its front matter', () => {
    assert.equal(documentDate('---\ntitle: X\ndate: 2019-05-01\n---\n'), '2019-05-01');
    assert.equal(documentDate('---\ndate: "March 2021"\n---\n'), '2021-12-31');
    assert.equal(documentDate('---\ndate: today\n---\n'), undefined);
    assert.deepEqual(facts("NATO's 29 members agreed.", '2019-05-01'), []);
    assert.equal(facts("NATO's 30 members agreed.", '2019-05-01').length, 1);
  });

  it('is an information diagnostic of a draft, dated by its front matter, and a setting turns it off', async () => {
    const draft = "---\ndate: 2021-06-01\n---\n\nNATO's 30 members met; the EU's 28 member states did not.\n";
    const { workspace, service } = serviceFor({ 'paper.md': draft });
    const found = (await service.getDiagnostics(workspace.openDoc('paper.md'))).filter((d) => d.code === 'glossary.fact');
    assert.deepEqual(found.map((d) => [d.severity, String(d.message).split(' (')[0]]), [[3, 'EU has had 27 members since the United Kingdom left on 31 January 2020, not 28']]);
    const doc = workspace.openDoc('paper.md');
    const [fix] = await service.getCodeActions(doc, found);
    assert.equal(fix.title, 'Change to 27');
    assert.equal(applyEdits(draft, fix.edit!.changes![doc.uri]), draft.replace("EU's 28", "EU's 27"));
    const words = serviceFor({ 'paper.md': "The SCO's eight members met.\n" });
    const wordDoc = words.workspace.openDoc('paper.md');
    const stale = (await words.service.getDiagnostics(wordDoc)).filter((d) => d.code === 'glossary.fact');
    assert.deepEqual((await words.service.getCodeActions(wordDoc, stale)).map((a) => a.title), ['Change to ten']);
    const off = serviceFor({ 'paper.md': draft }, { glossaryFacts: false });
    assert.deepEqual((await off.service.getDiagnostics(off.workspace.openDoc('paper.md'))).filter((d) => d.code === 'glossary.fact'), []);
  });
});
