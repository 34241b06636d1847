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
  ['Partners asked NATO for help in building integ|rityโ and transparency.', 'building-integrity'],
  ['The โBuilding Integ|rityโ self-assessment was sent to Kyiv.', 'building-integrity'],
  // An acronym that also names something outside the field (otherSenses) means the term only where the words near it say so.
  ['An earlier version was presented at the A|PSA Annual Meeting in Washington.', 'none'],
  ['We thank the American Political Science Association; at A|PSA 2019 the panel on Congress helped.', 'none'],
  ['The A|PSA lacks funds.', 'none'],
  ['The African Union built the A|PSA around its Peace and Security Council.', 'apsa'],
  ['The AU and ECOWAS share the burden, and the A|PSA lacks funds.', 'apsa'],
  ['The African Peace and Security Architecture (APSA) rests on five pillars. Donors fund the A|PSA.', 'apsa'],
  ['The N|AM lobbied Congress for lower tariffs on behalf of manufacturers.', 'none'],
  ['Non-state actors and the N|AM were both courted.', 'none'],
  ['At Belgrade in 1961 the Non-Aligned countries met; the N|AM grew to 120 members.', 'non-aligned-movement'],
  ['The Non-Aligned Movement (NAM) met in Kampala. The N|AM asked for a ceasefire.', 'non-aligned-movement'],
  ['Les P|ME françaises exportent peu.', 'none'],
  ['Les petites et moyennes entreprises (PME) emploient beaucoup. Les P|ME exportent peu.', 'none'],
  ['Officers attend P|ME at staff colleges; professional education of this kind is what DEEP supports.', 'professional-military-education'],
  // A one-word proper name in lower case is an ordinary word.
  ['He rode a quad| bike across the dunes.', 'none'],
  // Issue 13, content: forms of the new terms that are also ordinary words or other acronyms.
  ['Their readiness| to negotiate surprised the mediators.', 'none'],
  ['Allies keep brigades at high readiness| for the regional plans.', 'military-readiness'],
  ['The private security company (PSC) guarded the mine; the P|SC was paid in cash.', 'none'],
  ['The African Union Peace and Security Council (PSC) met; the P|SC renewed the mandate.', 'none'],
  ['EU ambassadors in the P|SC agreed the crisis management concept for the CSDP mission.', 'political-and-security-committee'],
  ['KEEP THE ARCHIVE S|AFE AND DRY.', 'none'],
  ['The Council adopted S|AFE on 27 May 2025 as the loan pillar of the ReArm Europe Plan.', 'safe-instrument'],
  ['The E|DIP method scores the environmental impact of industrial products.', 'none'],
  ['E|DIP would continue EDIRPA and ASAP for the defence industry.', 'edip'],
  ['The National Stroke Prevention Association (NSPA) met; the N|SPA elected a chair.', 'none'],
  ['The N|SPA in Capellen buys spare parts for Allied fleets.', 'nspa'],
  ['The battalion H|Q moved to Tapa.', 'hq'],
  ['The call starts at 10:00 E|DT on Monday.', 'none'],
  ["NATO's E|DT strategy names nine technology areas.", 'emerging-disruptive-technologies'],
  ['The Xbox was shown at E|3 in Los Angeles.', 'none'],
  ['The E|3 triggered the snapback of sanctions on Iran.', 'e3'],
  ['He was M|AD about the decision.', 'none'],
  ['Suppliers exchange invoices by E|DI.', 'none'],
  ['The E|DI funds prepositioned equipment for NATO reinforcement.', 'european-deterrence-initiative'],
  ['Chapter VII| of this book reviews the literature.', 'none'],
  ['The Security Council acted under Chapter VII| of the UN Charter.', 'un-charter-chapter-vii'],
  ["Saudi Arabia's P|IF bought a football club.", 'none'],
  ['The N|PG portrait collection reopened in London.', 'none'],
  ['The bank securitization| of mortgages collapsed in 2008.', 'none'],
  ['Virus containment| failed in the ward.', 'none'],
  ['Cold War containment| of the Soviet bloc relied on alliances.', 'containment'],
  ['The firm showed a flexible response| to the pandemic.', 'none'],
  ['The EU–US Open Skies| Agreement of 2007 liberalised transatlantic air travel.', 'none'],
  ['The Treaty on Open Skies| let parties fly observation flights.', 'open-skies'],
  ['The Warsaw Treaty| of 1970 recognised the Oder–Neisse line.', 'none'],
  ['The Headline Goal 2010| introduced the battlegroups.', 'headline-goal-2010'],
  ['The Pleven Plan| proposed a European army.', 'pleven-plan'],
  ['Allies made the Commitment to Enhance Resilience| in Warsaw.', 'resilience-commitment'],
  ['The HR/V|P chairs the Foreign Affairs Council.', 'hr-vp'],
  ['The P|fP SOFA of 1995 extends the NATO SOFA to partners.', 'pfp-sofa'],
  ['The S|FA teams train and advise Iraqi forces.', 'security-force-assistance'],
  ['The S|FA fined the club for crowd trouble.', 'none'],
  // Acronyms that name common things outside the field (issue 13's list): a sense only with evidence near it.
  ['Farmers rode a q|uad bike to the border.', 'none'],
  ['Insurgents used E|FP devices against convoys.', 'none'],
  ['NATO deployed its E|FP battlegroups to the Baltic states under enhanced Forward Presence.', 'enhanced-forward-presence'],
  ['Canberra is in the A|CT, which has its own assembly.', 'none'],
  ["NATO's A|CT in Norfolk leads the Alliance's transformation.", 'allied-command-transformation'],
  ['Jupiter lies about 5.2 A|U from the Sun.', 'none'],
  ['The A|U deployed troops under the African Union mission in Somalia.', 'african-union'],
  ['Data protection law covers P|II such as names and addresses.', 'none'],
  ['NATO partners joined the P|II, the Partnership Interoperability Initiative, in 2014.', 'partnership-interoperability-initiative'],
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
    // Each sense links to its full entry where the editor runs the link.
    const linked = (termHover(text, 'markdown', offset, glossary, { fullEntryLink: (t) => `command:x?${t.id}` })!.contents as { value: string }).value;
    assert.match(linked, /Allied Reaction Force\*\*: .* \[Full entry\]\(command:x\?allied-reaction-force\)\n/);
    assert.match(linked, /ASEAN Regional Forum\*\*: .* \[Full entry\]\(command:x\?asean-regional-forum\)\n/);
  });

  it('first-use notes are about the acronym, and accept and propose the form the field writes', () => {
    const notes = (text: string) => firstUseDiagnostics(text, 'markdown', glossary).map((d) => `${d.message} -> ${(d.data as { replacement: string }).replacement}`);
    assert.deepEqual(notes('The eFP battlegroups deployed. Later eFP again.\n'), [
      '"eFP" is used before it is spelled out; on first use write "enhanced Forward Presence (eFP)". -> enhanced Forward Presence (eFP)',
    ]);
    assert.deepEqual(notes('ANZUS binds them.\n'), ['"ANZUS" is used before it is spelled out; on first use write "ANZUS Treaty". -> ANZUS Treaty']);
    assert.deepEqual(notes('The ANZUS Treaty binds them; ANZUS endures.\n'), []);
    assert.deepEqual(notes('The New Force Model (NFM) is new. Later the NFM again.\n'), []);
    assert.deepEqual(notes('The HR/VP spoke.\n'), ['"HR/VP" is used before it is spelled out; on first use write "High Representative/Vice-President (HR/VP)". -> High Representative/Vice-President (HR/VP)']);
    assert.deepEqual(notes('The High Representative/Vice-President (HR/VP) spoke; the HR/VP left.\n'), []);
  });

  it('common abbreviations (HQ, UAV, CEE, EDT) hover but get no first-use note; other acronyms still do', () => {
    const text = 'The HQ sent a UAV over CEE, and NATO listed its EDT priorities. The NSPA bought fuel.\n';
    const notes = firstUseDiagnostics(text, 'markdown', glossary).map((d) => (d.data as { short: string }).short);
    assert.deepEqual(notes, ['NSPA']);
    for (const id of ['hq', 'uav', 'cee', 'emerging-disruptive-technologies']) assert.equal(glossary.get(id)?.commonAbbreviation, true, id);
    const { text: t2, offset } = cursor('The U|AV landed.');
    assert.match((termHover(t2, 'markdown', offset, glossary)!.contents as { value: string }).value, /Unmanned aerial vehicle/);
  });

  it('offers no first-use note (or fix) for an acronym the document spells out as something else', () => {
    const text = 'The Norwegian Refugee Council (NRC) was there. Later the NRC left.\n';
    assert.deepEqual(firstUseDiagnostics(text, 'markdown', glossary).map((d) => d.message), []);
  });
});
