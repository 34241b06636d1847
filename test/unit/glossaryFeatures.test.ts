/**
 * Glossary features: hover on terms in prose and on glossary commands, completion of glossary keys,
 * and the `glossary.first-use` and `glossary.undefined` diagnostics (including the example paper).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Glossary, type GlossaryTerm } from '../../server/src/service/glossary/model';
import { builtinTerms } from '../../server/src/service/glossary/builtin';
import { parseFrontMatterGlossary, parseLatexGlossary } from '../../server/src/service/glossary/projectGlossary';
import { showTermLink, termHover, termMarkdown, type TermHoverOptions } from '../../server/src/service/features/glossaryHover';
import { glossaryCompletion } from '../../server/src/service/features/glossaryCompletion';
import {
  firstUseDiagnostics,
  glossaryDiagnostics,
  newFirstUseState,
  undefinedKeyDiagnostics,
  type FirstUseData,
  type GlossaryDiagnosticOptions,
} from '../../server/src/service/features/glossaryDiagnostics';
import type { DocumentKind } from '../../server/src/service/glossary/prose';
import { cursor, showRange, slice } from './fixture';

const builtin = Glossary.create({ builtin: builtinTerms() });
const withLatex = (tex: string) => Glossary.create({ project: [parseLatexGlossary(tex, 'file:///ws/main.tex').value], builtin: builtinTerms() });

/** Hover at `‸`: the first line of its text and the hovered text. */
function hover(fixture: string, kind: DocumentKind = 'markdown', glossary = builtin, options?: TermHoverOptions) {
  const { text, offset } = cursor(fixture, '‸');
  const h = termHover(text, kind, offset, glossary, options);
  if (!h) return undefined;
  const value = (h.contents as { value: string }).value;
  return { head: value.split('\n')[0], value, on: slice(text, h.range!) };
}

describe('glossary hover in Markdown', () => {
  it('shows the short form and expansion of an acronym in prose, over the acronym', () => {
    const h = hover('The N‸FM replaced the NRF.');
    assert.deepEqual({ head: h?.head, on: h?.on }, { head: '**NFM** — NATO Force Model', on: 'NFM' });
  });

  it('hovers the longest multi-word form under the cursor, across a line break', () => {
    const h = hover('Allies invoked Article 5 of the\nWashing‸ton Treaty once.');
    assert.equal(h?.on, 'Article 5 of the\nWashington Treaty');
    assert.equal(h?.head, '**Article 5** — Article 5 of the North Atlantic Treaty');
  });

  it('hovers plural and possessive forms', () => {
    assert.equal(hover("NA‸TO's members")?.on, "NATO's");
    assert.equal(hover('two NF‸Ms')?.on, 'NFMs');
  });

  it('shows nothing inside a word that merely contains an acronym', () => {
    assert.equal(hover('more in‸fo on SCOTLAND and NATOs‸x'), undefined);
  });

  for (const [where, fixture] of [
    ['a code span', 'Run `NA‸TO --help` first.'],
    ['a fenced code block', '```\nNA‸TO\n```\n'],
    ['inline math', 'Let $N‸ATO = 1$ hold.'],
    ['display math', '$$\nNA‸TO\n$$'],
    ['a bare URL', 'See https://example.org/NA‸TO/page.'],
    ['an autolink', 'See <https://example.org/NA‸TO>.'],
    ['a link destination', 'See [the site](https://example.org/NA‸TO).'],
    ['a citation key', 'As argued [@NA‸TO:summit, p. 3].'],
    ['an e-mail address', 'Write to NA‸TO@example.org.'],
    ['an HTML comment', '<!-- NA‸TO -->'],
    ['the front matter', '---\ntitle: NA‸TO today\n---\nText.'],
    ['an attribute', '# Intro {#sec-NA‸TO}'],
  ] as const) {
    it(`shows nothing in ${where}`, () => {
      assert.equal(hover(fixture), undefined);
    });
  }

  it('shows a short card by default: the expansion, two sentences, the key facts and one source', () => {
    const { value } = hover('The N‸ATO summit.')!;
    assert.match(value, /^\*\*NATO\*\* — North Atlantic Treaty Organization\n\n/);
    assert.match(value, /\*Alliance\* · founded 4 April 1949 · 32 members: Albania, .* and 24 more/);
    assert.match(value, /\nSource: \[The North Atlantic Treaty\]\(https:\/\/www\.nato\.int\/cps\/en\/natohq\/official_texts_17120\.htm\), NATO, 4 April 1949 \(and \d+ more\)$/);
    assert.doesNotMatch(value, /See also/);
    assert.ok(value.split('\n').length <= 8, value);
    const nfm = hover('The N‸FM tiers.')!.value;
    assert.ok(nfm.split('\n').length <= 8, nfm);
  });

  it('fits every short card of the built-in glossary on a screen: at most 14 lines of 80 columns, the link included', () => {
    const link = (t: GlossaryTerm) => showTermLink('file:///ws/paper.md', t.id);
    /** Lines as a hover shows them: a link by its text, each paragraph wrapped at 80 columns, blank lines between. */
    const shown = (md: string) => md.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').split('\n').reduce((n, line) => n + Math.max(1, Math.ceil(line.length / 80)), 0);
    const tall = builtin.terms.map((t) => [t.id, shown(termMarkdown(t, builtin, 'markdown', { fullEntryLink: link }))] as const).filter(([, n]) => n > 14);
    assert.deepEqual(tall, []);
    // The full entries are longer: the short card is what keeps them on a screen.
    assert.ok(builtin.terms.some((t) => shown(termMarkdown(t, builtin, 'markdown', { detail: 'full' })) > 16));
  });

  it('links a short card to the full entry when it leaves something out, and the editor runs the link', () => {
    const link = (t: GlossaryTerm) => showTermLink('file:///ws/paper.md', t.id);
    const nato = hover('The N‸ATO summit.', 'markdown', builtin, { fullEntryLink: link })!.value;
    assert.match(nato, / · \[Full entry\]\(command:entente\.showTerm\?%5B%7B%22uri%22%3A%22file%3A%2F%2F%2Fws%2Fpaper\.md%22%2C%22id%22%3A%22nato%22%7D%5D\)$/);
    assert.doesNotMatch(hover('The N‸ATO summit.')!.value, /Full entry/, 'no link unless the editor runs it');
    assert.doesNotMatch(hover('The N‸ATO summit.', 'markdown', builtin, { fullEntryLink: link, detail: 'full' })!.value, /Full entry/);
    const small = Glossary.create({ project: [[{ id: 'zqrf', short: 'ZQRF', forms: [], expansion: 'Zeta Quick Reaction Force', definition: 'A made-up force.', origin: 'project-file' }]] });
    assert.doesNotMatch(hover('The Z‸QRF.', 'markdown', small, { fullEntryLink: link })!.value, /Full entry/, 'nothing more to show');
  });

  it('hovers acronyms and named things, not the ordinary concepts of the field, unless asked (entente.glossary.hover)', () => {
    const concept = builtin.terms.find((t) => t.kind === 'concept' && !/[A-Z]{2}/.test(t.short) && t.forms.length && !t.context)!;
    const text = `We study ‸${concept.short.toLowerCase()} here.`;
    assert.equal(hover(text), undefined);
    assert.equal(hover(text, 'markdown', builtin, { which: 'all' })?.value.startsWith(`**${concept.short}**`), true);
    assert.equal(hover('The N‸ATO summit.', 'markdown', builtin, { which: 'off' }), undefined);
  });

  it('shows the whole entry with detail full: related terms and every source', () => {
    const { value } = hover('The N‸ATO summit.', 'markdown', builtin, { detail: 'full' })!;
    assert.match(value, /\*Alliance\* · founded 4 April 1949 · 32 members: Albania, Belgium, Bulgaria, Canada, Croatia, Czechia, Denmark, Estonia and 24 more/);
    assert.match(value, /See also: Washington Treaty, Article 5/);
    assert.match(value, /- \[The North Atlantic Treaty\]\(https:\/\/www\.nato\.int\/cps\/en\/natohq\/official_texts_17120\.htm\), NATO, 4 April 1949/);
    assert.doesNotMatch(value, /Defined in/, 'built-in terms have no definition place');
  });

  it('offers a citation key when the project bibliography holds the source', () => {
    const options: TermHoverOptions = { citationKeyFor: (s) => (s.title === 'The North Atlantic Treaty' ? 'nato1949treaty' : undefined) };
    assert.match(hover('Under Article ‸5 allies', 'markdown', builtin, options)!.value, /— Cite as `\[@nato1949treaty\]`/);
    assert.match(hover('Under Article~‸5 allies', 'latex', builtin, options)!.value, /— Cite as `\\cite\{nato1949treaty\}`/);
  });

  it('hovers a front-matter acronym used with Quarto’s \\acr{key} or {{< acr KEY >}}, and says where it is defined', () => {
    const text = '---\nacronyms:\n  keys:\n    - shortname: CJEF\n      longname: Combined Joint Expeditionary Force\n---\nThe \\acr{CJ‸EF} and the CJEF.';
    const g = Glossary.create({ project: [parseFrontMatterGlossary(text.replace('‸', ''), 'file:///ws/draft.qmd').value], builtin: builtinTerms() });
    const h = hover(text, 'markdown', g, { folder: 'file:///ws' });
    assert.equal(h?.on, '\\acr{CJEF}');
    assert.equal(h?.head, '**CJEF** — Combined Joint Expeditionary Force');
    assert.match(h!.value, /Defined in \[draft\.qmd:4\]\(file:\/\/\/ws\/draft\.qmd#L4\)/);
    assert.equal(hover(text.replace('\\acr{CJ‸EF}', '{{< acr CJ‸EF >}}'), 'markdown', g)?.on, '{{< acr CJEF >}}');
  });
});

describe('glossary hover in LaTeX', () => {
  const preamble = '\\newacronym{nfm}{NFM}{New Force Model}\n\\newacronym{qrf}{QRF}{Quick Reaction Force}\n';

  it('shows a term in LaTeX prose, with ~ as a space', () => {
    assert.equal(hover('covered by Article~‸5 of the North Atlantic Treaty', 'latex')?.on, 'Article~5 of the North Atlantic Treaty');
    assert.equal(hover('The \\emph{N‸ATO} allies', 'latex')?.on, 'NATO');
  });

  for (const [where, fixture] of [
    ['a comment', 'Text % about NA‸TO\n'],
    ['verbatim', '\\begin{verbatim}\nNA‸TO\n\\end{verbatim}'],
    ['\\verb', 'Type \\verb|NA‸TO| here.'],
    ['math', 'If $x = NA‸TO$ then.'],
    ['an equation', '\\begin{equation}\nNA‸TO\n\\end{equation}'],
    ['a command name', 'The \\NA‸TO macro.'],
    ['a URL', 'See \\url{https://example.org/NA‸TO}.'],
    ['a citation key', 'As \\parencite[p.~3]{NA‸TO}.'],
    ['a label', '\\label{sec:NA‸TO}'],
  ] as const) {
    it(`shows nothing in ${where}`, () => {
      assert.equal(hover(fixture, 'latex'), undefined);
    });
  }

  it('hovers the key of \\gls and kin, completed from the built-in term, with its definition place', () => {
    for (const command of ['gls', 'Gls', 'glspl', 'acrshort', 'acrlong', 'acrfull', 'ac', 'acs', 'acl', 'acf', 'acp', 'Ac']) {
      const h = hover(`${preamble}Under the \\${command}{nf‸m}, allies`, 'latex', withLatex(preamble), { folder: 'file:///ws' });
      assert.equal(h?.on, `\\${command}{nfm}`, command);
      assert.equal(h?.head, '**NFM** — New Force Model');
    }
    const { value } = hover(`${preamble}\\gls[hyper=false]{nf‸m}`, 'latex', withLatex(preamble), { folder: 'file:///ws' })!;
    assert.match(value, /agreed at the 2022 Madrid Summit/, 'the built-in definition');
    assert.match(value, /Defined in \[main\.tex:1\]\(file:\/\/\/ws\/main\.tex#L1\) \(facts from the built-in glossary\)/);
  });

  it('shows nothing on an undefined key (the diagnostic says so)', () => {
    assert.equal(hover(`${preamble}\\gls{nf‸x}`, 'latex', withLatex(preamble)), undefined);
  });
});

describe('glossary key completion', () => {
  const preamble = '\\newacronym{nfm}{NFM}{New Force Model}\n\\DeclareAcronym{efp}{short = eFP, long = enhanced Forward Presence}\n';
  const g = withLatex(preamble);

  function complete(fixture: string, kind: DocumentKind = 'latex', glossary = g) {
    const { text, offset } = cursor(fixture, '‸');
    const items = glossaryCompletion(text, offset, kind, glossary);
    return items?.map((i) => {
      const edit = i.textEdit as { range: import('vscode-languageserver-types').Range; newText: string };
      return `${i.label} (${i.detail}) ${showRange(edit.range)}`;
    });
  }

  it('offers the project keys with their expansions just inside \\gls{', () => {
    assert.deepEqual(complete(`${preamble}The \\gls{‸}`), ['efp (enhanced Forward Presence) 2:9-2:9', 'nfm (New Force Model) 2:9-2:9']);
  });

  it('replaces the whole key being typed, also after options and in other commands', () => {
    assert.deepEqual(complete(`${preamble}\\acrshort[hyper=false]{n‸fm} more`)?.[1], 'nfm (New Force Model) 2:23-2:26');
    assert.deepEqual(complete(`${preamble}\\Ac{‸}`)?.length, 2);
    assert.deepEqual(complete(`${preamble}\\acs{ef‸`)?.[0], 'efp (enhanced Forward Presence) 2:5-2:7');
  });

  it('documents each item with the term’s hover text', () => {
    const { text, offset } = cursor(`${preamble}\\gls{‸}`, '‸');
    const nfm = glossaryCompletion(text, offset, 'latex', g)!.find((i) => i.label === 'nfm')!;
    assert.match((nfm.documentation as { value: string }).value, /^\*\*NFM\*\* — New Force Model\n\nNATO force-generation model/);
  });

  it('offers nothing in other commands, after a comma, or in a comment', () => {
    assert.equal(complete(`${preamble}\\cite{‸}`), undefined);
    assert.equal(complete(`${preamble}\\gls{nfm,‸}`), undefined);
    assert.equal(complete(`${preamble}% \\gls{‸}`), undefined);
    assert.equal(complete(`${preamble}\\gls{nfm} ‸`), undefined);
  });

  it('offers front-matter keys inside Quarto’s \\acr{', () => {
    const text = '---\nacronyms:\n  keys:\n    - shortname: CJEF\n      longname: Combined Joint Expeditionary Force\n---\nThe \\acr{‸}';
    const fm = Glossary.create({ project: [parseFrontMatterGlossary(text.replace('‸', '')).value] });
    assert.deepEqual(complete(text, 'markdown', fm), ['CJEF (Combined Joint Expeditionary Force) 6:9-6:9']);
  });
});

describe('glossary.first-use diagnostics', () => {
  /** Diagnostics as `range "text" replacement`. */
  function firstUse(text: string, kind: DocumentKind = 'markdown', glossary = builtin, options?: GlossaryDiagnosticOptions) {
    return firstUseDiagnostics(text, kind, glossary, options).map((d) => {
      assert.equal(d.code, 'glossary.first-use');
      assert.equal(d.source, 'entente');
      return `${showRange(d.range)} "${slice(text, d.range)}" -> ${(d.data as FirstUseData).replacement}`;
    });
  }

  it('reports exactly the unexpanded VJTF in the example paper, and nothing else', () => {
    const root = path.resolve(__dirname, '../../..');
    const paper = fs.readFileSync(path.join(root, 'examples/nfm-paper/paper.md'), 'utf8');
    const diagnostics = firstUseDiagnostics(paper, 'markdown', builtin);
    assert.deepEqual(
      diagnostics.map((d) => `${showRange(d.range)} "${slice(paper, d.range)}"`),
      ['25:4-25:8 "VJTF"'],
    );
    const [d] = diagnostics;
    assert.equal(d.severity, 4); // a hint by default: dots, not a squiggle (issue 13)
    assert.equal(d.message, '"VJTF" is used before it is spelled out; on first use write "Very High Readiness Joint Task Force (VJTF)".');
    assert.deepEqual(d.data, {
      termId: 'vjtf',
      short: 'VJTF',
      expansion: 'Very High Readiness Joint Task Force',
      replacement: 'Very High Readiness Joint Task Force (VJTF)',
      used: 'VJTF',
    });
  });

  it('reports nothing in the LaTeX example, which introduces its acronyms with \\gls', () => {
    const root = path.resolve(__dirname, '../../..');
    const tex = fs.readFileSync(path.join(root, 'examples/nfm-paper/paper.tex'), 'utf8');
    assert.deepEqual(glossaryDiagnostics(tex, 'latex', withLatex(tex)), []);
  });

  it('reports the first use only, over the acronym with its suffix', () => {
    assert.deepEqual(firstUse('The NRFs rotated. The NRF was small. The NATO Response Force (NRF) ended.'), [
      '0:4-0:8 "NRFs" -> NATO Response Forces (NRFs)',
    ]);
  });

  it('accepts the expansion before or after the acronym, in any case', () => {
    assert.deepEqual(firstUse('The nato response force (NRF) rotated; the NRF ended.'), []);
    assert.deepEqual(firstUse('The NRF (NATO Response Force) rotated; the NRF ended.'), []);
    assert.deepEqual(firstUse('The Defence Education Enhancement\nProgramme (DEEP) and DEEP.'), []);
  });

  it('accepts the writer’s own expansion when its words spell the acronym, not any parentheses', () => {
    const qrf: GlossaryTerm = { id: 'qrf', short: 'QRF', forms: [], expansion: 'Quick Reaction Force', origin: 'project-file' };
    const g = Glossary.create({ project: [[qrf]] });
    assert.deepEqual(firstUse('The quick-reaction forces (QRF) moved; the QRF stayed.', 'markdown', g), []);
    assert.deepEqual(firstUse('Troops on the eastern flank (QRF) moved.', 'markdown', g), ['0:29-0:32 "QRF" -> Quick Reaction Force (QRF)']);
  });

  it('ignores headings: a use there is not the first use, a spelling there does not count', () => {
    assert.deepEqual(firstUse('# The NRF\n\nThe NRF was small.'), ['2:4-2:7 "NRF" -> NATO Response Force (NRF)']);
    assert.deepEqual(firstUse('# The NATO Response Force (NRF)\n\nThe NRF was small.'), ['2:4-2:7 "NRF" -> NATO Response Force (NRF)']);
    assert.deepEqual(firstUse('The NRF\n=======\n\nThe NATO Response Force (NRF).'), []);
  });

  it('skips well-known acronyms (a setting that replaces the default list), terms that are no acronyms, and code', () => {
    assert.deepEqual(firstUse('NATO and the EU invoked Article 5.'), []);
    assert.deepEqual(firstUse('The VJTF and NATO.', 'markdown', builtin, { ignore: ['VJTF', 'NATO'] }), []);
    assert.deepEqual(firstUse('The NATO and the NRF.', 'markdown', builtin, { ignore: ['nato-response-force'] }), ['0:4-0:8 "NATO" -> North Atlantic Treaty Organization (NATO)']);
    assert.deepEqual(firstUse('Run `VJTF` in $NRF$ <!-- SACEUR -->.'), []);
  });

  it('follows the severity setting and can be turned off', () => {
    assert.equal(firstUseDiagnostics('The VJTF.', 'markdown', builtin, { firstUse: 'warning' })[0].severity, 2);
    assert.deepEqual(firstUseDiagnostics('The VJTF.', 'markdown', builtin, { firstUse: 'off' }), []);
  });

  it('reads a project in order when the files share one state', () => {
    const state = newFirstUseState();
    assert.deepEqual(firstUse('The NATO Response Force (NRF) and the VJTF.', 'markdown', builtin, { state }), ['0:38-0:42 "VJTF" -> Very High Readiness Joint Task Force (VJTF)']);
    assert.deepEqual(firstUse('The NRF and the VJTF again.', 'markdown', builtin, { state }), [], 'NRF is known; VJTF was reported once');
  });

  it('in LaTeX, counts \\gls as spelling out and proposes \\gls for a raw use before it', () => {
    const tex = '\\newacronym{nrf}{NRF}{NATO Response Force}\n\\begin{document}\nThe NRF rotated. The \\gls{nrf} ended. The NRF again.\n\\end{document}';
    assert.deepEqual(firstUse(tex, 'latex', withLatex(tex)), ['2:4-2:7 "NRF" -> \\gls{nrf}']);
    const after = tex.replace('The NRF rotated.', 'It rotated.');
    assert.deepEqual(firstUse(after, 'latex', withLatex(after)), []);
    assert.deepEqual(firstUse('The \\acrshort{nrf} and \\acs{nrf}.', 'latex', withLatex(tex)), [], 'short-form commands are the writer’s choice');
  });
});

describe('glossary.undefined diagnostics', () => {
  const preamble = '\\newacronym{nfm}{NFM}{New Force Model}\n\\newacronym{nrf}{NRF}{NATO Response Force}\n';

  it('reports a glossary command with an undefined key, with near keys', () => {
    const text = `${preamble}The \\gls{nfn} and \\acrshort{xyz} and \\gls{nfm}.`;
    const diagnostics = undefinedKeyDiagnostics(text, 'latex', withLatex(preamble));
    assert.deepEqual(
      diagnostics.map((d) => `${showRange(d.range)} ${d.code} ${d.severity} ${JSON.stringify(d.data)}`),
      ['2:9-2:12 glossary.undefined 1 {"key":"nfn","candidates":["nfm"]}', '2:28-2:31 glossary.undefined 1 {"key":"xyz","candidates":[]}'],
    );
    assert.equal(diagnostics[0].message, 'No glossary entry `nfn` is defined (\\newacronym, \\newglossaryentry, \\DeclareAcronym...). Did you mean `nfm`?');
  });

  it('skips macro parameters, commented-out commands and Markdown', () => {
    const text = `${preamble}\\newcommand{\\x}[1]{\\gls{#1}} % \\gls{nope}`;
    assert.deepEqual(undefinedKeyDiagnostics(text, 'latex', withLatex(preamble)), []);
    assert.deepEqual(undefinedKeyDiagnostics('The \\acr{nope}.', 'markdown', builtin), []);
  });
});
