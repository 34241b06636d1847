/**
 * The regression corpus of issue 13's first part: sentences where a glossary term's words stand for
 * something else. Each `|` marks the word hovered; the expected answer is the built-in term's id, or
 * nothing when the document shows the words mean another thing (the right sense, or none).
 */
import * as assert from 'node:assert/strict';
import { Glossary } from '../../server/src/service/glossary/model';
import { builtinTerms } from '../../server/src/service/glossary/builtin';
import { termAt, termHover } from '../../server/src/service/features/glossaryHover';
import { firstUseDiagnostics } from '../../server/src/service/features/glossaryDiagnostics';
import { spelledOut } from '../../server/src/service/glossary/senses';
import { cursor } from './fixture';

const glossary = Glossary.create({ builtin: builtinTerms() });

/** The id of the term hovered at the `|`, or `none`. */
function sense(fixture: string): string {
  const { text, offset } = cursor(fixture);
  return termAt(text, 'markdown', offset, glossary)?.term.id ?? 'none';
}

const corpus: [sentence: string, expected: string][] = [
  // An acronym the document spells out as something else is that thing, in the whole document.
  ['The Norwegian Refugee Council (NRC) reported that N|RC staff left Kabul.', 'none'],
  ['The European Development Fund (EDF) pays; the E|DF is not a defence fund.', 'none'],
  ['We ran an exploratory data analysis (EDA). The E|DA showed two clusters.', 'none'],
  ['Its defence industrial base (DIB) shrank, and the D|IB never recovered.', 'none'],
  ["Since 1 July 2024, NATO's Allied Reaction Force (ARF) has replaced the NRF; the A|RF deploys in days.", 'allied-reaction-force'],
  // ...and when it spells out the glossary's own sense, or nothing, the glossary's term stands.
  ['The NATO-Russia Council (NRC) met in 2002, and the N|RC met again in 2019.', 'nato-russia-council'],
  ['The New Force Model (NFM) replaced the NRF; the N|FM has three tiers.', 'new-force-model'],
  ['The N|FM has three tiers.', 'new-force-model'],
  ['The ASEAN Regional Forum (ARF) met in Vientiane; the A|RF is a dialogue forum.', 'asean-regional-forum'],
  // A form two terms share takes the sense the document's words point to, or none.
  ["Since 2024 the A|RF has been NATO's high-readiness force, under SACEUR.", 'allied-reaction-force'],
  ['The A|RF brings ASEAN members and their dialogue partners together.', 'asean-regional-forum'],
  ['The A|RF met again.', 'none'],
  // An article of another treaty is not NATO's or the UN Charter's.
  ['Under Article 4|(2) TEU, the Union respects national identities.', 'none'],
  ['Article V| of the US–Japan Security Treaty covers territories under Japanese administration.', 'none'],
  ['Article IV| (ANZUS) obliges each party to act.', 'none'],
  ['Article 3| of the Rio Treaty mirrors the Charter.', 'none'],
  ['Article 51| of Additional Protocol I prohibits indiscriminate attacks.', 'none'],
  ['Article X| of the Covenant guaranteed territorial integrity.', 'none'],
  ['Article 5| of the North Atlantic Treaty was invoked once.', 'article-5'],
  ['Allies invoked Article 5| after 9/11.', 'article-5'],
  ['Article 51| of the UN Charter preserves self-defence.', 'un-charter-article-51'],
  // Another organisation's name first: the EU's own committee, not NATO's.
  ['The EU Military Committee| advises the PSC.', 'eu-military-committee'],
  ['The AU Military Committee| met.', 'none'],
  // Names that also name ordinary things need evidence near them.
  ['She sent the money by Western Union| from Chicago.', 'none'],
  ['The Western Union| of 1948 bound five states by the Brussels Treaty.', 'brussels-treaty'],
  ["Hay's Open Door Policy| of 1899 asked for equal trade with China.", 'none'],
  ['The Allies reaffirmed the Open Door Policy| of Article 10.', 'open-door-policy'],
  ['At the 2013 Vilnius Summit| of the Eastern Partnership, Ukraine did not sign.', 'none'],
  ['At the Vilnius Summit| in 2023 the Allies approved regional plans.', 'vilnius-summit-2023'],
  ['The Hague Summit| of December 1969 relaunched European integration.', 'none'],
  ['The Quad| met in Tokyo with Australia and India.', 'quad'],
  ['The Treaty of Friendship, Co-operation and Mutual Assistance| of 1961 binds China and the DPRK.', 'none'],
  // Quotes mangled into Thai letters (UTF-8 read as Windows-874) hide no term.
  ['NATOโs Building Integ|rityโ programme helps.', 'building-integrity'],
  // A one-word proper name in lower case is an ordinary word.
  ['He rode a quad| bike across the dunes.', 'none'],
];

describe('the right sense, or none (issue 13)', () => {
  for (const [sentence, expected] of corpus) {
    it(`${sentence.replace('|', '')} -> ${expected}`, () => assert.equal(sense(sentence), expected));
  }

  it('finds the expansions a document writes before an acronym, as Schwartz and Hearst do', () => {
    const spelled = spelledOut('In 2003 NATO created the NATO Response Force (NRF), and the Organization of American States (OAS) met. The result (TBD) is open.');
    assert.deepEqual(Object.fromEntries(spelled), { NRF: ['NATO Response Force'], OAS: ['Organization of American States'] });
  });

  it('hovers a form two terms share, when nothing tells which, with both senses', () => {
    const { text, offset } = cursor('The A|RF met again.');
    const h = termHover(text, 'markdown', offset, glossary);
    const value = (h!.contents as { value: string }).value;
    assert.match(value, /^\*\*ARF\*\* may mean:/);
    assert.match(value, /Allied Reaction Force/);
    assert.match(value, /ASEAN Regional Forum/);
    assert.deepEqual(firstUseDiagnostics(text, 'markdown', glossary), []);
  });

  it('first-use notes are about the acronym, and accept and propose the form the field writes', () => {
    const notes = (text: string) => firstUseDiagnostics(text, 'markdown', glossary).map((d) => `${d.message} -> ${(d.data as { replacement: string }).replacement}`);
    assert.deepEqual(notes('The eFP battlegroups deployed. Later eFP again.\n'), [
      '"eFP" is used before it is spelled out; on first use write "enhanced Forward Presence (eFP)". -> enhanced Forward Presence (eFP)',
    ]);
    assert.deepEqual(notes('ANZUS binds them.\n'), ['"ANZUS" is used before it is spelled out; on first use write "ANZUS Treaty". -> ANZUS Treaty']);
    assert.deepEqual(notes('The ANZUS Treaty binds them; ANZUS endures.\n'), []);
    assert.deepEqual(notes('The New Force Model (NFM) is new. Later the NFM again.\n'), []);
  });

  it('offers no first-use note (or fix) for an acronym the document spells out as something else', () => {
    const text = 'The Norwegian Refugee Council (NRC) was there. Later the NRC left.\n';
    assert.deepEqual(firstUseDiagnostics(text, 'markdown', glossary).map((d) => d.message), []);
  });
});
