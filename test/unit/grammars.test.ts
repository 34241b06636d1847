import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';
import { semanticTokensLegend } from '../../server/src/service/features/semanticTokens';

let root = __dirname;
while (!fs.existsSync(path.join(root, 'package.json'))) root = path.dirname(root);

/** Minimal host grammars: enough structure (code spans, comments) to check where our injections apply. */
const hosts: Record<string, object> = {
  'text.html.markdown': {
    scopeName: 'text.html.markdown',
    patterns: [
      { match: '`[^`]*`', name: 'markup.inline.raw.string.markdown' },
      { match: '<!--.*?-->', name: 'comment.block.html' },
    ],
  },
  'text.tex.latex': { scopeName: 'text.tex.latex', patterns: [{ match: '(?<!\\\\)%.*$', name: 'comment.line.percentage.tex' }] },  // The languages of Quarto's cells: present in VS Code; a cell whose grammar is missing is read as Markdown's plain fence.
  ...Object.fromEntries(['source.python', 'source.r', 'source.julia', 'source.shell', 'source.sql', 'source.js'].map((scopeName) => [scopeName, { scopeName, patterns: [] }])),
};
const grammarFiles: Record<string, string> = {
  'text.html.quarto': 'syntaxes/quarto.tmLanguage.json',
  'citation.pandoc.injection': 'syntaxes/pandoc-citations.tmLanguage.json',
  'citation.latex.injection': 'syntaxes/latex-citations.tmLanguage.json',
};

let registry: textmate.Registry;
before(async () => {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  registry = new textmate.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p) => new oniguruma.OnigScanner(p), createOnigString: (s) => new oniguruma.OnigString(s) }),
    loadGrammar: async (scope) => {
      if (hosts[scope]) return textmate.parseRawGrammar(JSON.stringify(hosts[scope]), 'host.json');
      const file = grammarFiles[scope];
      return file ? textmate.parseRawGrammar(fs.readFileSync(path.join(root, file), 'utf8'), path.join(root, file)) : null;
    },
    getInjections: (scope) => (scope === 'text.html.markdown' || scope === 'text.html.quarto' ? ['citation.pandoc.injection'] : scope === 'text.tex.latex' ? ['citation.latex.injection'] : []),
  });
});

/** The tokens of `line`: its text and scopes. */
async function scoped(hostScope: string, line: string): Promise<{ text: string; scopes: string[] }[]> {
  const grammar = (await registry.loadGrammar(hostScope))!;
  return grammar.tokenizeLine(line, textmate.INITIAL).tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
}

/** The pieces of `line` whose scopes include `scope`. */
async function tokens(hostScope: string, line: string, scope: string): Promise<string[]> {
  return (await scoped(hostScope, line)).filter((t) => t.scopes.some((s) => s.startsWith(scope))).map((t) => t.text);
}

describe('the TextMate injection grammars', () => {
  it('highlight Pandoc citation keys, not e-mail addresses, code spans or trailing punctuation', async () => {
    const line = 'As [see @biscop2022new, p. 3; -@palmer2019:odyssey] and @monaghan-2024.ready. Mail nato@example.org, `@code`.';
    assert.deepEqual(await tokens('text.html.markdown', line, 'constant.other.reference.citation'), ['biscop2022new', 'palmer2019:odyssey', 'monaghan-2024.ready']);
  });

  it('highlight braced keys and Quarto cross-references differently', async () => {
    assert.deepEqual(await tokens('text.html.markdown', 'See @{odd key}', 'constant.other.reference.citation'), []);
    assert.deepEqual(await tokens('text.html.markdown', 'See @{odd:key/x}', 'constant.other.reference.citation'), ['odd:key/x']);
    assert.deepEqual(await tokens('text.html.markdown', 'See @fig-nfm-tiers and @sec-intro.', 'variable.other.crossref'), ['fig-nfm-tiers', 'sec-intro']);
    assert.deepEqual(await tokens('text.html.markdown', 'See @fig-nfm-tiers.', 'constant.other.reference.citation'), []);
  });

  it('highlight the keys inside LaTeX citation commands, options skipped, comments untouched', async () => {
    const line = '\\parencite[see][p.~4]{biscop2022new, szenes2023reinforcing} and \\textcites(a)(b)[3]{x1}{x2} % \\cite{commented}';
    assert.deepEqual(await tokens('text.tex.latex', line, 'constant.other.reference.citation'), ['biscop2022new', 'szenes2023reinforcing', 'x1', 'x2']);
    assert.deepEqual(await tokens('text.tex.latex', '\\Citet*{a:b}', 'constant.other.reference.citation'), ['a:b']);
  });

  it('give citation keys a scope the default themes colour (Dark/Light Modern colour variable.other.constant)', async () => {
    for (const [host, line] of [['text.html.markdown', 'As [@a; @b] and @c'], ['text.tex.latex', '\\parencite{a,b}']]) {
      const keys = (await scoped(host, line)).filter((t) => t.scopes.some((s) => s.startsWith('constant.other.reference.citation')));
      assert.ok(keys.length >= 2, `${host}: ${JSON.stringify(keys)}`);
      for (const k of keys) assert.ok(k.scopes.some((s) => s.startsWith('variable.other.constant.citation')), `${host} ${k.text}: ${k.scopes.join(' ')}`);
    }
  });
});

describe('the Quarto language (.qmd)', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

  it('is read as Markdown, with the citation injection', async () => {
    const line = 'As [see @biscop2022new, p. 3; @palmer2019] and `@code`.';
    const all = await scoped('text.html.quarto', line);
    assert.ok(all.every((t) => t.scopes[0] === 'text.html.quarto'));
    // The Markdown grammar's rules apply (here the stand-in's code span), and the citations inside Markdown are found.
    assert.deepEqual(await tokens('text.html.quarto', line, 'markup.inline.raw'), ['`@code`']);
    assert.deepEqual(await tokens('text.html.quarto', line, 'constant.other.reference.citation'), ['biscop2022new', 'palmer2019']);
  });

  it('reads executable cells in their language, where @ is no citation', async () => {
    const grammar = (await registry.loadGrammar('text.html.quarto'))!;
    const lines = ['```{python}', '#| label: fig-map', 'print("@biscop2022new")', '```', 'After [@biscop2022new].', '```{r, echo=FALSE}', 'x <- 1', '```'];
    let state = textmate.INITIAL;
    const seen: string[] = [];
    for (const line of lines) {
      const r = grammar.tokenizeLine(line, state);
      state = r.ruleStack;
      for (const t of r.tokens) {
        const scope = t.scopes.find((x) => x.startsWith('meta.embedded.block.') || x.startsWith('constant.other.reference.citation') || x === 'fenced_code.block.language.markdown');
        if (scope) seen.push(`${line.slice(t.startIndex, t.endIndex)} ${scope}`);
      }
    }
    assert.deepEqual(seen, [
      'python fenced_code.block.language.markdown',
      '#| label: fig-map meta.embedded.block.python',
      'print("@biscop2022new") meta.embedded.block.python',
      'biscop2022new constant.other.reference.citation.pandoc',
      'r fenced_code.block.language.markdown',
      'x <- 1 meta.embedded.block.r',
    ]);
  });

  it('is contributed with that grammar, a language configuration and Markdown\'s quiet suggestions', () => {
    const grammar = manifest.contributes.grammars.find((g: { language?: string }) => g.language === 'quarto');
    assert.equal(grammar?.scopeName, 'text.html.quarto');
    assert.ok(JSON.parse(fs.readFileSync(path.join(root, grammar.path), 'utf8')).patterns.some((p: { include: string }) => p.include === 'text.html.markdown'));
    const injection = manifest.contributes.grammars.find((g: { scopeName: string }) => g.scopeName === 'citation.pandoc.injection');
    assert.ok(injection.injectTo.includes('text.html.quarto'));
    assert.deepEqual(manifest.contributes.configurationDefaults['[quarto]']['editor.quickSuggestions'], { comments: 'off', strings: 'off', other: 'off' });
    assert.equal(manifest.contributes.configurationDefaults['[quarto]']['editor.wordBasedSuggestions'], 'off');
    const language = manifest.contributes.languages.find((l: { id: string }) => l.id === 'quarto');
    const config = JSON.parse(fs.readFileSync(path.join(root, language.configuration), 'utf8'));
    assert.deepEqual(config.comments.blockComment, ['<!--', '-->']);
    assert.ok(config.autoClosingPairs.some((p: { open: string; close: string }) => p.open === '[' && p.close === ']'));
    const word = new RegExp(config.wordPattern.pattern, config.wordPattern.flags);
    const words = 'As [see @biscop2022new, p. 3; -@palmer2019:odyssey] and @monaghan-2024.ready. A well-known @{odd:key/x}, e.g. end.'.match(word);
    assert.deepEqual(words, ['As', 'see', '@biscop2022new', 'p', '3', '-@palmer2019:odyssey', 'and', '@monaghan-2024.ready', 'A', 'well-known', '@{odd:key/x}', 'e.g', 'end']);
  });
});

describe('the citation colours of semantic tokens', () => {
  it('declares the server\'s token type and modifier in package.json, mapped to scopes the default themes colour', () => {
    const contributes = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).contributes;
    assert.deepEqual(contributes.semanticTokenTypes.map((t: { id: string }) => t.id), semanticTokensLegend.tokenTypes);
    assert.deepEqual(contributes.semanticTokenModifiers.map((t: { id: string }) => t.id), semanticTokensLegend.tokenModifiers);
    const scopes = contributes.semanticTokenScopes[0].scopes;
    // Dark and Light Modern colour variable.other.constant (a blue) and invalid (a red).
    assert.ok(scopes.citation.includes('variable.other.constant'));
    assert.ok(scopes['citation.undefined'].includes('invalid'));
  });
});
