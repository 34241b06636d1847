/**
 * Typed citations checked against a typed reference list (issue 16, part 3), on drafts of our own with
 * deliberate mistakes: every planted mistake found, nothing said of the right citations.
 */
import * as assert from 'node:assert/strict';
import { typedCitations } from '../../server/src/service/features/typedCitations';
import { serviceFor } from './memoryWorkspace';
import { applyEdits } from './fixture';

/** A reference list in the seed paper's style (APA with Harvard's "Available at"). */
const references = `## References

Biscop, S. (2022, September). The New Force Model: NATO’s European army? (Egmont Policy Brief No. 285). Egmont Institute.
Deni, J.R. (2024). The new NATO force model: Ready for launch? NATO Defense College.
Duffield, J. S. (1994). NATO’s Functions after the Cold War. Political Science Quarterly, 109(5), pp. 763–787.
Iskandarov, K. (2019a). NATO enlargement vis-a-vis Russian security policy. Uniwersytet Jana Kochanowskiego w Kielcach.
Iskandarov, K. (2019b). The South Caucasus-NATO Cooperation. LAP LAMBERT Academic Publishing.
Iskandarov, K., & Gawliczek, P. (2018). NATO’s role in improving professional military education. The Quarterly Journal, 18(3-4), 35-44.
Hasan, A.H., Iskandarov, K., & Gawliczek, P. (2024). Azerbaijan’s 2023 counterterrorism operation. Social Development and Security, 14(3), pp. 1-13.
Global Firepower. (2024). 2024 military strength ranking: Russia. Available at: https://www.globalfirepower.com/ (Accessed: January 5, 2025).
Shea, J. (2012). Keeping NATO Relevant. Carnegie Moscow Center.
`;

const right = `# NATO's New Force Model

The Force Model replaced the NRF (Biscop, 2022). Deni (2024) asks whether it is ready for launch, and the
question is old (Duffield, 1994, p. 770; Shea, 2012). Partners matter (Iskandarov & Gawliczek, 2018; Hasan et al., 2024),
as earlier work showed (Iskandarov, 2019a, 2019b). Russia's strength is ranked yearly (Global Firepower, 2024).
The summit (March 2022) and the period (1999-2019) are no citations; neither is the Madrid Summit (2022).

${references}`;

describe('typed citations and a typed reference list', () => {
  it('reads parenthetical and narrative author-date citations, with et al., &, years with letters and locators', () => {
    const text = 'As shown (see Biscop, 2022, p. 4; Iskandarov et al., 2019a, 2019b) and Deni (2024) and Biscop’s (2022) brief. (March 2022) (1999-2019)';
    const found = typedCitations(text, 0, text.length).map((c) => `${c.narrative ? 'N' : 'P'} ${c.parts.map((p) => `${p.names.join('+')}${p.etAl ? '+al' : ''} ${p.year}`).join(' | ')}${c.locators.some(Boolean) ? ` [${c.locators.join(',')}]` : ''}`);
    assert.deepEqual(found, ['P Biscop 2022 | Iskandarov+al 2019a | Iskandarov+al 2019b [p. 4,]', 'N Deni 2024', 'N Biscop 2022']);
  });

  it('says nothing of a draft whose citations all match, and nothing of dates in parentheses', async () => {
    const { workspace, service } = serviceFor({ 'draft.md': right });
    const found = (await service.getDiagnostics(workspace.openDoc('draft.md'))).filter((d) => ['citation.unmatched', 'reference.uncited'].includes(String(d.code)));
    assert.deepEqual(found.map((d) => d.message), []);
  });

  it('finds each planted mistake: a wrong year, a misspelt name, a second author who is not there, and an uncited reference', async () => {
    const wrong = right
      .replace('(Biscop, 2022)', '(Biscop, 2021)')
      .replace('Deni (2024)', 'Denni (2024)')
      .replace('(Iskandarov & Gawliczek, 2018;', '(Iskandarov & Mrozek, 2018;')
      .replace('; Shea, 2012)', ')');
    const { workspace, service } = serviceFor({ 'draft.md': wrong });
    const found = (await service.getDiagnostics(workspace.openDoc('draft.md'))).filter((d) => ['citation.unmatched', 'reference.uncited'].includes(String(d.code)));
    assert.deepEqual(
      found.map((d) => `${d.code}: ${d.message}`),
      [
        'citation.unmatched: No reference in the reference list for Biscop (2021). Did you mean Biscop (2022)?',
        'citation.unmatched: No reference in the reference list for Denni (2024). Did you mean Deni (2024)?',
        'citation.unmatched: No reference in the reference list for Iskandarov and Mrozek (2018). Did you mean Iskandarov and Gawliczek (2018), Iskandarov (2019a), Iskandarov (2019b)?',
        // The works the wrong citations meant are, as far as the text shows, not cited.
        'reference.uncited: Biscop (2022) is never cited in the text.',
        'reference.uncited: Deni (2024) is never cited in the text.',
        'reference.uncited: Iskandarov and Gawliczek (2018) is never cited in the text.',
        'reference.uncited: Shea (2012) is never cited in the text.',
      ],
    );
    const lines = wrong.split('\n');
    assert.equal(lines[found.at(-1)!.range.start.line].slice(0, 9), 'Shea, J. ');
  });

  it('offers "Replace with [@key]" on a typed citation whose works are all in the list, with the keys the converter gives', async () => {
    const { workspace, service } = serviceFor({ 'draft.md': right });
    const doc = workspace.openDoc('draft.md');
    const at = (needle: string) => {
      const offset = right.indexOf(needle) + 2;
      const before = right.slice(0, offset).split('\n');
      const position = { line: before.length - 1, character: before.at(-1)!.length };
      return { start: position, end: position };
    };
    const titles = async (needle: string) => (await service.getCodeActions(doc, [], at(needle))).filter((a) => a.title.startsWith('Replace with')).map((a) => a.title);
    assert.deepEqual(await titles('(Duffield, 1994'), ['Replace with [@duffield1994natos, p. 770; @shea2012keeping]']);
    assert.deepEqual(await titles('Deni (2024)'), ['Replace with @deni2024new']);
    assert.deepEqual(await titles('(Iskandarov, 2019a'), ['Replace with [@iskandarov2019nato; @iskandarov2019south]']);
    const [action] = (await service.getCodeActions(doc, [], at('(Biscop, 2022)'))).filter((a) => a.title.startsWith('Replace with'));
    assert.match(applyEdits(right, action.edit!.changes![doc.uri]), /replaced the NRF \[@biscop2022new\]\. Deni/);
  });

  it('says nothing of a list no typed citation names (a draft citing by footnotes or numbers, an abstract page)', async () => {
    const { workspace, service } = serviceFor({ 'abstract.md': `# Abstract\n\nPartner engagement matters [1].\n\n${references}` });
    assert.deepEqual((await service.getDiagnostics(workspace.openDoc('abstract.md'))).filter((d) => d.code === 'reference.uncited'), []);
  });

  it('is off with the setting, and needs a list of two references or more', async () => {
    const wrong = right.replace('(Biscop, 2022)', '(Biscop, 2021)');
    const off = serviceFor({ 'draft.md': wrong }, { typedCitationDiagnostics: false });
    assert.deepEqual((await off.service.getDiagnostics(off.workspace.openDoc('draft.md'))).filter((d) => d.code === 'citation.unmatched'), []);
    const one = serviceFor({ 'draft.md': 'As (Biscop, 2021) says.\n\n# References\n\nShea, J. (2012). Keeping NATO Relevant. Carnegie Moscow Center.\n' });
    assert.deepEqual((await one.service.getDiagnostics(one.workspace.openDoc('draft.md'))).filter((d) => d.code === 'citation.unmatched'), []);
  });
});
