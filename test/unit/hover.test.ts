import * as assert from 'node:assert/strict';
import { MemoryWorkspace, serviceFor } from './memoryWorkspace';
import { createLanguageService } from '../../server/src/service/languageService';
import { defaultConfig } from '../../server/src/service/config';
import { nullLogger } from '../../server/src/service/workspace';
import { cursor, showDiagnostic } from './fixture';
import { styleProblem, withoutSort } from '../../server/src/service/render/csl';

const refs = `@article{biscop2022new,
  author = {Biscop, Sven},
  title = {The New {NATO} Force Model: Ready for Launch?},
  journal = {Security Policy Brief},
  year = {2022},
  doi = {10.1234/spb.2022.160}
}
@online{gfp2024,
  author = {{Global Firepower}},
  title = {2024 Military Strength Ranking},
  url = {https://www.globalfirepower.com/countries-listing.php},
  year = {2024}
}
`;

async function hover(fixture: string, name = 'paper.md', files: Record<string, string> = { 'refs.bib': refs }) {
  const { text, position } = cursor(fixture);
  const { workspace, service } = serviceFor({ ...files, [name]: text });
  const h = await service.getHover(workspace.openDoc(name), position);
  return h && (h.contents as { value: string }).value;
}

const md = (body: string) => `---\nbibliography: refs.bib\n---\n${body}`;

describe('citation hover', () => {
  it('shows the APA reference, a DOI link and where the entry is defined', async () => {
    const value = await hover(md('As argued [see @bisc|op2022new, p. 3].'));
    assert.match(value!, /Biscop, S\. \(2022\)\. The New NATO Force Model: Ready for Launch\? \*Security Policy Brief\*/);
    // APA prints the DOI as a URL: a link, not repeated below the reference.
    assert.match(value!, /\[https:\/\/doi\.org\/10\.1234\/spb\.2022\.160\]\(https:\/\/doi\.org\/10\.1234\/spb\.2022\.160\)/);
    assert.equal(value!.split('doi.org').length - 1, 2);
    assert.match(value!, /\[refs\.bib:1\]\(file:\/\/\/ws\/refs\.bib#L1\)/);
  });

  it('links the URL of a web page', async () => {
    const value = await hover(md('Figures from @gfp|2024.'));
    assert.match(value!, /Global Firepower\. \(2024\)/);
    assert.match(value!, /\[https:\/\/www\.globalfirepower\.com\/countries-listing\.php\]\(https:\/\/www\.globalfirepower\.com\/countries-listing\.php\)/);
  });

  it('says so when the key is in no bibliography of the document', async () => {
    const value = await hover(md('See [@bisc|op2O22new].'));
    assert.match(value!, /`biscop2O22new`\*\*: no entry with this key in the bibliographies of this document \(refs\.bib\)/);
  });

  it('works on LaTeX citation keys', async () => {
    const value = await hover('\\documentclass{article}\n\\addbibresource{refs.bib}\n\\parencite[p.~4]{gfp2024,biscop|2022new}', 'paper.tex');
    assert.match(value!, /Biscop, S\. \(2022\)/);
  });

  it('presents a biblatex @xdata entry as a data container that cannot be cited, not as a reference', async () => {
    const files = { 'refs.bib': '@xdata{pubdata, publisher = {Oxford University Press}, location = {Oxford}}\n@book{real, author = {Doe, Jane}, title = {A Real Book}, year = 2020, xdata = {pubdata}}\n' };
    const tex = (body: string) => `\\documentclass{article}\n\\addbibresource{refs.bib}\n${body}`;
    const value = await hover(tex('\\cite{pub|data}'), 'paper.tex', files);
    assert.equal(value, '**`pubdata`** is a biblatex `@xdata` entry ([refs.bib:1](file:///ws/refs.bib#L1)): it only holds fields that entries with `xdata = {pubdata}` inherit, and cannot be cited.');
    // The entry that inherits from it is a reference, with the inherited publisher.
    assert.match((await hover(tex('\\cite{re|al}'), 'paper.tex', files))!, /Doe, J\. \(2020\)\. \*A real book\*\. Oxford University Press/i);
  });

  it('is empty away from citations', async () => {
    assert.equal(await hover(md('Plain te|xt.')), undefined);
  });

  it('formats with another built-in style when the setting asks for it, without a numeric style\'s citation number', async () => {
    const { text, position } = cursor(md('[@biscop|2022new]'));
    const { workspace, service } = serviceFor({ 'refs.bib': refs, 'paper.md': text }, { citationStyle: 'vancouver' });
    const h = await service.getHover(workspace.openDoc('paper.md'), position);
    // It was "1.Biscop S.": the number of a one-reference bibliography, run into the name.
    assert.match((h!.contents as { value: string }).value, /^Biscop S\. The New NATO Force Model/);
  });

  it('formats a biblatex document in the built-in style nearest its own style=, unless the setting names one', async () => {
    const doc = (style: string) => `\\documentclass{article}\n\\usepackage[backend=biber,${style}]{biblatex}\n\\addbibresource{refs.bib}\n\\begin{document}\n\\cite{biscop|2022new}\n\\end{document}\n`;
    const hoverIn = async (style: string, config = {}) => {
      const { text, position } = cursor(doc(style));
      const { workspace, service } = serviceFor({ 'refs.bib': refs, 'paper.tex': text }, config);
      return ((await service.getHover(workspace.openDoc('paper.tex'), position))!.contents as { value: string }).value;
    };
    assert.match(await hoverIn('style=numeric-comp'), /^Biscop S\. The New NATO Force Model/); // vancouver
    assert.match(await hoverIn('style=authoryear'), /^Biscop, S\. \(2022\) “The New NATO Force Model/); // harvard1
    assert.match(await hoverIn('bibstyle=apa'), /^Biscop, S\. \(2022\)\. The New NATO Force Model/);
    assert.match(await hoverIn('style=alphabetic'), /^Biscop, S\. \(2022\)\. The New NATO Force Model/); // none like it: APA
    assert.match(await hoverIn('style=numeric', { citationStyle: 'harvard1' }), /^Biscop, S\. \(2022\) “The New NATO Force Model/);
  });

  it('says once, to the user, that the style setting names no style it can use (and formats in APA)', async () => {
    const { text, position } = cursor(md('[@biscop|2022new]'));
    for (const [style, files, expected] of [
      ['chicago', {}, 'entente.citationStyle: "chicago" is neither a built-in style (apa, vancouver, harvard1) nor a .csl file; references are shown in APA.'],
      ['styles/missing.csl', {}, 'entente.citationStyle: the CSL style styles/missing.csl cannot be used (it cannot be read); references are shown in APA.'],
      ['my.csl', { 'my.csl': '<html>no style</html>' }, 'entente.citationStyle: the CSL style my.csl cannot be used (it is not a CSL style); references are shown in APA.'],
    ] as const) {
      const notified: string[] = [];
      const workspace = new MemoryWorkspace({ 'refs.bib': refs, 'paper.md': text, ...files });
      const service = createLanguageService({ workspace, config: { ...defaultConfig, citationStyle: style }, logger: { ...nullLogger, notify: (m) => notified.push(m) } });
      const doc = workspace.openDoc('paper.md');
      const h = await service.getHover(doc, position);
      await service.getHover(doc, position);
      assert.match((h!.contents as { value: string }).value, /^Biscop, S\. \(2022\)/);
      assert.deepEqual(notified, [expected]);
      assert.equal((await service.getDocumentStatus(doc)).styleProblem, expected);
    }
  });
});

describe('formatted references keep every word of their fields', () => {
  // biblatex reads publisher, institution, organization and location as `and`-separated lists; citation-js made them
  // CSL lists, and citeproc showed the first: "Center for Strategic." (issue 14).
  const bib = `@techreport{hooker2024,
  author = {Hooker, Richard D.},
  title = {NATO and the War in Ukraine},
  institution = {Center for Strategic and International Studies},
  year = {2024}
}
@report{nato2023,
  author = {Smith, Jane},
  title = {Deterrence at Sea},
  type = {Policy Brief},
  organization = {Naval War College and Royal United Services Institute},
  year = {2023}
}
@book{freedman2019,
  author = {Freedman, Lawrence},
  title = {Ukraine and the Art of Strategy},
  publisher = {Oxford University Press and Chatham House},
  location = {Oxford and London},
  year = {2019}
}
`;
  for (const [key, words] of [
    ['hooker2024', 'Center for Strategic and International Studies'],
    ['nato2023', 'Naval War College and Royal United Services Institute'],
    ['freedman2019', 'Oxford University Press and Chatham House'],
  ]) {
    it(`shows '${words}' whole in the hover and the completion of ${key}`, async () => {
      const value = await hover(md(`See [@${key.slice(0, 3)}|${key.slice(3)}].`), 'paper.md', { 'refs.bib': bib });
      assert.ok(value!.includes(words), value);
      const { text, position } = cursor(md(`See [@${key}|`));
      const { workspace, service } = serviceFor({ 'refs.bib': bib, 'paper.md': text });
      const list = await service.getCompletions(workspace.openDoc('paper.md'), position);
      const item = list!.items.find((i) => i.label === key || (i.textEdit as { newText?: string } | undefined)?.newText === key)!;
      const resolved = await service.resolveCompletion(item);
      assert.ok((resolved.documentation as { value: string }).value.includes(words));
    });
  }
});

describe('citation styles', () => {
  const style = `<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Entente test style</title><id>entente-test</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><layout><text value="STYLED "/><names variable="author"><name name-as-sort-order="all"/></names><text prefix=" / " variable="title"/></layout></bibliography>
</style>`;

  it('uses the CSL file named in the front matter', async () => {
    const value = await hover('---\nbibliography: refs.bib\ncsl: styles/test.csl\n---\n[@biscop|2022new]', 'paper.md', { 'refs.bib': refs, 'styles/test.csl': style });
    assert.match(value!, /^STYLED Biscop, Sven \/ The New NATO Force Model: Ready for Launch\?/);
  });

  it('uses a .csl path from the setting, and falls back to APA when the file is not a style', async () => {
    const { text, position } = cursor('---\nbibliography: refs.bib\n---\n[@biscop|2022new]');
    const withStyle = serviceFor({ 'refs.bib': refs, 'paper.md': text, 'my.csl': style }, { citationStyle: 'my.csl' });
    const h1 = await withStyle.service.getHover(withStyle.workspace.openDoc('paper.md'), position);
    assert.match((h1!.contents as { value: string }).value, /^STYLED/);
    const broken = serviceFor({ 'refs.bib': refs, 'paper.md': text, 'my.csl': '<html>not a style</html>' }, { citationStyle: 'my.csl' });
    const h2 = await broken.service.getHover(broken.workspace.openDoc('paper.md'), position);
    assert.match((h2!.contents as { value: string }).value, /^Biscop, S\. \(2022\)/);
  });

  it('drops the sorts of a style (moot for one reference; citeproc-js would inline their macros)', () => {
    const sorted = style
      .replace('<layout><text variable="title"/>', '<sort><key variable="issued"/></sort><layout><text variable="title"/>')
      .replace('<bibliography>', '<bibliography><!-- a <sort> in a comment --><sort>\n<key macro="a" names-min="3"/>\n</sort ><sort/>');
    assert.equal(withoutSort(sorted), style);
    assert.equal(withoutSort('<sorting/><sort-x/>'), '<sorting/><sort-x/>');
  });

  it('strips comments and sorts in linear time, even 200,000 unclosed ones', () => {
    for (const unit of ['<!--', '<sort>', '<sort ']) {
      const t0 = performance.now();
      withoutSort(`${style}${unit.repeat(200_000)}`);
      assert.ok(performance.now() - t0 < 1000, `${unit}: ${performance.now() - t0} ms`);
    }
  });

  it('refuses a style whose macros expand without bound or call themselves, and says so on csl:', async () => {
    const bomb = style.replace('<citation>', `${Array.from({ length: 22 }, (_, i) => `<macro name="m${i + 1}"><group>${i ? `<text macro="m${i}"/><text macro="m${i}"/>` : '<text value="x"/>'}</group></macro>`).join('')}<citation>`).replace('<text value="STYLED "/>', '<text macro="m22"/>');
    const loop = style.replace('<citation>', '<macro name="a"><text macro="b"/></macro><macro name="b"><text macro="a"/></macro><citation>').replace('<text value="STYLED "/>', '<text macro="a"/>');
    assert.match(styleProblem(bomb)!, /^its macros expand to [\d.]+e\+\d+ elements/);
    assert.equal(styleProblem(loop), 'a macro of the style calls itself');
    assert.equal(styleProblem(style), undefined);
    for (const [csl, problem] of [[bomb, /expand to/], [loop, /calls itself/]] as const) {
      const { text, position } = cursor('---\nbibliography: refs.bib\ncsl: bad.csl\n---\n[@biscop|2022new]');
      const { workspace, service } = serviceFor({ 'refs.bib': refs, 'paper.md': text, 'bad.csl': csl });
      const doc = workspace.openDoc('paper.md');
      const t0 = Date.now();
      const h = await service.getHover(doc, position);
      assert.match((h!.contents as { value: string }).value, /^Biscop, S\. \(2022\)/, 'APA instead');
      assert.ok(Date.now() - t0 < 5000);
      const [d] = (await service.getDiagnostics(doc)).filter((x) => x.code === 'csl.unusable');
      assert.equal(showDiagnostic('paper.md', d).split(' ').slice(0, 2).join(' '), 'paper.md:2:5-2:12 csl.unusable');
      assert.match(String(d.message), problem);
    }
  });

  it('uses an edited .csl file at once (it was kept until restart)', async () => {
    const { text, position } = cursor('---\nbibliography: refs.bib\ncsl: my.csl\n---\n[@biscop|2022new]');
    const { workspace, service } = serviceFor({ 'refs.bib': refs, 'paper.md': text, 'my.csl': style });
    const doc = workspace.openDoc('paper.md');
    assert.match(((await service.getHover(doc, position))!.contents as { value: string }).value, /^STYLED/);
    workspace.files.set('file:///ws/my.csl', style.replace('STYLED ', 'EDITED '));
    service.fileChanged('file:///ws/my.csl');
    assert.match(((await service.getHover(doc, position))!.contents as { value: string }).value, /^EDITED/);
  });
});
