import * as assert from 'node:assert/strict';
import type { CompletionItem, TextEdit } from 'vscode-languageserver-types';
import { serviceFor } from './memoryWorkspace';
import { cursor, slice } from './fixture';

const refs = `
@string{nato = {{North Atlantic Treaty Organization}}}
@article{biscop2022new,
  author = {Biscop, Sven},
  title = {The New {NATO} Force Model: Ready for Launch?},
  journal = {Security Policy Brief},
  year = {2022},
  doi = {10.1234/spb.2022.160}
}
@report{monaghan-2024.ready,
  author = {Monaghan, Sean},
  title = {Is {NATO} Ready for War?},
  institution = {CSIS},
  date = {2024-06-11}
}
@book{nato2022concept,
  author = nato,
  title = {{NATO} 2022 Strategic Concept},
  year = 2022
}
@article{szenes2023reinforcing,
  author = {Szenes, Zolt{\\'a}n},
  title = {Reinforcing Deterrence on the Eastern Flank},
  journal = {Defence Review},
  year = {2023}
}
@incollection{iskandarov2019south,
  author = {Iskandarov, Khayal and Gawliczek, Piotr},
  title = {The South Caucasus and {NATO}},
  booktitle = {Partnership in Practice},
  year = {2019}
}
@misc{o'brien2001odd,
  title = {Odd},
  year = {2001}
}`;

async function complete(fixture: string, name = 'paper.md', extra: Record<string, string> = {}) {
  const { text, position } = cursor(fixture);
  const { workspace, service } = serviceFor({ 'refs.bib': refs, ...extra, [name]: text });
  const list = await service.getCompletions(workspace.openDoc(name), position);
  return { list, text, service };
}

const md = (body: string) => `---\nbibliography: refs.bib\n---\n${body}`;
const keys = (items: CompletionItem[] | undefined) => (items ?? []).map((i) => i.label);
const editText = (text: string, item: CompletionItem) => slice(text.replace('|', ''), (item.textEdit as TextEdit).range);

describe('citation completion', () => {
  it('never answers nothing while the writer types a query nothing matches whole: the best loose matches, incomplete', async () => {
    for (const typed of ['[@nato frc|', '[@nato fr|', '[@bsicop|', '[@bs|']) {
      const { list } = await complete(md(`As argued ${typed}`));
      assert.ok((list?.items.length ?? 0) > 0, typed);
      assert.equal(list?.isIncomplete, true, typed);
    }
    const { list } = await complete(md('As argued [@nato frc|'));
    assert.ok(keys(list?.items).includes('biscop2022new'), keys(list?.items).join(', '));
  });

  it('keeps did-you-mean strict: no loose suggestion for a key that resembles nothing', async () => {
    const { workspace, service } = serviceFor({ 'refs.bib': refs, 'paper.md': md('See [@qqqqzz2099].\n') });
    const [d] = (await service.getDiagnostics(workspace.openDoc('paper.md'))).filter((x) => x.code === 'citation.undefined');
    assert.equal(d.message, "No bibliography entry for 'qqqqzz2099'.");
  });

  it('lists every entry after an opening [@', async () => {
    const { list } = await complete(md('As argued [@|'));
    assert.equal(list?.items.length, 6);
    assert.equal(list?.isIncomplete, true);
  });

  it('never offers an @xdata entry, which only holds fields for others and cannot be cited', async () => {
    const { text, position } = cursor(md('As argued [@|'));
    const xdata = '@xdata{natopub, publisher = {NATO Public Diplomacy Division}, location = {Brussels}}\n@report{nato2024ready, xdata = {natopub}, title = {Ready}, year = 2024}\n';
    const { workspace, service } = serviceFor({ 'refs.bib': xdata, 'paper.md': text });
    assert.deepEqual(keys((await service.getCompletions(workspace.openDoc('paper.md'), position))?.items), ['nato2024ready']);
    const typed = cursor(md('As argued [@natopub|'));
    const again = serviceFor({ 'refs.bib': xdata, 'paper.md': typed.text });
    assert.ok(!keys((await again.service.getCompletions(again.workspace.openDoc('paper.md'), typed.position))?.items).includes('natopub'));
  });

  it('ranks the key prefix first and replaces only the typed key', async () => {
    const { list, text } = await complete(md('As argued [@bis|]'));
    assert.equal(list?.items[0].label, 'biscop2022new');
    assert.equal((list?.items[0].textEdit as TextEdit).newText, 'biscop2022new');
    assert.equal(editText(text, list!.items[0]), 'bis');
  });

  it('replaces the whole key when completing in the middle of it', async () => {
    const { list, text } = await complete(md('See [@bis|cop2022new].'));
    assert.equal(editText(text, list!.items[0]), 'biscop2022new');
  });

  it('finds an entry by title words across several typed words', async () => {
    const { list, text } = await complete(md('On the model [@nato force|'));
    assert.equal(list?.items[0].label, 'biscop2022new');
    assert.equal(editText(text, list!.items[0]), 'nato force');
  });

  it('finds an entry by author family name', async () => {
    const byFamily = await complete(md('[@szenes|'));
    assert.equal(byFamily.list?.items[0].label, 'szenes2023reinforcing');
  });

  it('still finds the entry when the writer makes a typo', async () => {
    const { list } = await complete(md('[@bsicop|'));
    assert.equal(list?.items[0].label, 'biscop2022new');
    const second = await complete(md('[@monagan|'));
    assert.equal(second.list?.items[0].label, 'monaghan-2024.ready');
  });

  it('narrows by year and author together', async () => {
    const { list } = await complete(md('[@iskandarov 2019|'));
    assert.deepEqual(keys(list?.items), ['iskandarov2019south']);
  });

  it('completes after ; in a multi-citation and after a bare @ in text', async () => {
    assert.equal((await complete(md('[@biscop2022new; @mon|'))).list?.items[0].label, 'monaghan-2024.ready');
    assert.equal((await complete(md('As @mon| argues'))).list?.items[0].label, 'monaghan-2024.ready');
  });

  it('shows the author and year as detail and keeps the typed text in the filter text', async () => {
    const { list } = await complete(md('[@nato force|'));
    const item = list!.items[0];
    assert.equal(item.detail, 'Biscop (2022)');
    assert.ok(item.filterText?.startsWith('nato force'));
  });

  it('wraps keys with characters Pandoc does not allow in braces', async () => {
    const { list } = await complete(md('[@o|'));
    assert.equal((list?.items[0].textEdit as TextEdit).newText, "{o'brien2001odd}");
  });

  it('does not complete in e-mail addresses or code spans', async () => {
    assert.equal((await complete(md('Write to nato@|'))).list, undefined);
    assert.equal((await complete(md('Use `[@bis|` here'))).list, undefined);
  });

  it('completes inside LaTeX citation commands after { and ,', async () => {
    const tex = (body: string) => `\\documentclass{article}\n\\addbibresource{refs.bib}\n${body}`;
    const first = await complete(tex('\\parencite[p.~4]{bis|}'), 'paper.tex');
    assert.equal(first.list?.items[0].label, 'biscop2022new');
    const second = await complete(tex('\\textcite{biscop2022new, sze|'), 'paper.tex');
    assert.equal(second.list?.items[0].label, 'szenes2023reinforcing');
    assert.equal((second.list?.items[0].textEdit as TextEdit).newText, 'szenes2023reinforcing');
  });

  it('searches several words in LaTeX too, replacing them all (no key holds a space)', async () => {
    const tex = (body: string) => `\\documentclass{article}\n\\addbibresource{refs.bib}\n${body}`;
    const { list, text } = await complete(tex('\\cite{nato force 2022|}'), 'paper.tex');
    assert.deepEqual(keys(list?.items), ['biscop2022new']);
    assert.equal(editText(text, list!.items[0]), 'nato force 2022');
    const after = await complete(tex('\\cite{szenes2023reinforcing, south caucasus|}'), 'paper.tex');
    assert.equal(after.list?.items[0].label, 'iskandarov2019south');
  });

  it('reads a stop word typed last as the start of a word: nato for is the Force Model, not Ready for War', async () => {
    const { list } = await complete(md('[@nato for|'));
    assert.equal(list?.items[0].label, 'biscop2022new');
    assert.ok(!keys(list?.items).includes('monaghan-2024.ready'), keys(list?.items).join(', '));
  });

  it('lets the editor keep the ranking: each filter text starts with what lies between the replaced range and the cursor, sort texts in order', async () => {
    const fixtures: [string, string][] = [
      [md('As argued [@nato frc|'), 'paper.md'],
      [md('As argued [@nato for|'), 'paper.md'],
      [md('As argued [@bsicop|'), 'paper.md'],
      [md('As argued [@{o|}'), 'paper.md'],
      ['\\addbibresource{refs.bib}\n\\cite{a,  nato force|}', 'paper.tex'],
    ];
    for (const [fixture, name] of fixtures) {
      const { list, text } = await complete(fixture, name);
      const items = list?.items ?? [];
      assert.ok(items.length > 0, fixture);
      const plain = text.replace('|', '');
      const lines = plain.split('\n');
      const at = cursor(fixture).position;
      for (const item of items) {
        const range = (item.textEdit as TextEdit).range;
        // VS Code matches its word, the text from the range's start to the cursor, against the filter text.
        const word = lines[at.line].slice(range.start.character, at.character);
        assert.ok(word.length > 0 && item.filterText!.startsWith(word), `${fixture}: '${word}' / '${item.filterText}'`);
      }
      const sortTexts = items.map((i) => i.sortText!);
      assert.deepEqual([...sortTexts].sort(), sortTexts, fixture);
    }
  });

  it('caps the list at the configured size', async () => {
    const many = Array.from({ length: 50 }, (_, i) => `@book{k${i}, title={Book ${i}}, year=2000}`).join('\n');
    const { text, position } = cursor(md('[@|'));
    const { workspace, service } = serviceFor({ 'refs.bib': many, 'paper.md': text }, { completionMaxItems: 10 });
    const list = await service.getCompletions(workspace.openDoc('paper.md'), position);
    assert.equal(list?.items.length, 10);
    assert.equal(list?.isIncomplete, true);
  });

  it('resolves the formatted reference in APA as documentation', async () => {
    const { list, service } = await complete(md('[@bis|'));
    const resolved = await service.resolveCompletion(list!.items[0]);
    const doc = (resolved.documentation as { value: string }).value;
    assert.match(doc, /Biscop, S\. \(2022\)\. The New NATO Force Model: Ready for Launch\?/);
    assert.match(doc, /refs\.bib:3/);
  });
});
