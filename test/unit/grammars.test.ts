import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

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
  'text.tex.latex': { scopeName: 'text.tex.latex', patterns: [{ match: '(?<!\\\\)%.*$', name: 'comment.line.percentage.tex' }] },
};
const injections: Record<string, string> = {
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
      const file = injections[scope];
      return file ? textmate.parseRawGrammar(fs.readFileSync(path.join(root, file), 'utf8'), path.join(root, file)) : null;
    },
    getInjections: (scope) => (scope === 'text.html.markdown' ? ['citation.pandoc.injection'] : scope === 'text.tex.latex' ? ['citation.latex.injection'] : []),
  });
});

/** The pieces of `line` whose scopes include `scope`. */
async function tokens(hostScope: string, line: string, scope: string): Promise<string[]> {
  const grammar = (await registry.loadGrammar(hostScope))!;
  const { tokens: list } = grammar.tokenizeLine(line, textmate.INITIAL);
  return list.filter((t) => t.scopes.some((s) => s.startsWith(scope))).map((t) => line.slice(t.startIndex, t.endIndex));
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
});
