/**
 * Project glossaries: glossary files (YAML, JSON), front matter (`acronyms:`, `glossary:`) and LaTeX
 * definitions, with exact ranges for terms and errors, and broken input.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseFrontMatterGlossary, parseGlossaryFile, parseLatexGlossary } from '../../server/src/service/glossary/projectGlossary';
import type { GlossaryTerm } from '../../server/src/service/glossary/model';
import type { ParseResult } from '../../server/src/service/model';
import { showRange, slice } from './fixture';

/** Terms as `short = expansion | definition @ name-range [key]`, errors as `range severity: message`. */
function render(text: string, r: ParseResult<GlossaryTerm[]>) {
  return {
    terms: r.value.map(
      (t) =>
        `${t.short} = ${t.expansion ?? ''} | ${t.definition ?? ''} @ ${showRange(t.range!)} "${slice(text, t.range!)}"${t.key ? ` [${t.key}]` : ''}`,
    ),
    errors: r.errors.map((e) => `${showRange(e.range)} ${e.severity}: ${e.message}`),
  };
}

describe('project glossary files', () => {
  it('reads a `terms:` list with every field', () => {
    const text = `terms:
  - id: jsec
    short: JSEC
    forms: [Joint Support and Enabling Command]
    expansion: Joint Support and Enabling Command
    definition: NATO command in Ulm for rear-area logistics.
    kind: command
    founded: 2018
    members: [Germany]
    related: [nato]
    sources:
      - title: Brussels Summit Declaration
        url: https://www.nato.int/
`;
    const r = parseGlossaryFile(text, 'file:///ws/glossary.yaml');
    assert.deepEqual(render(text, r), {
      terms: ['JSEC = Joint Support and Enabling Command | NATO command in Ulm for rear-area logistics. @ 2:11-2:15 "JSEC"'],
      errors: [],
    });
    const [t] = r.value;
    assert.equal(t.id, 'jsec');
    assert.equal(t.origin, 'project-file');
    assert.equal(t.uri, 'file:///ws/glossary.yaml');
    assert.equal(t.founded, '2018');
    assert.deepEqual(t.forms, ['Joint Support and Enabling Command']);
    assert.deepEqual(t.sources, [{ title: 'Brussels Summit Declaration', url: 'https://www.nato.int/', author: undefined, publisher: undefined, date: undefined, year: undefined, citation: undefined, type: undefined, accessed: undefined }]);
    assert.equal(showRange(t.fullRange!), '1:4-12:34');
  });

  it('reads a top-level list and a map from short forms to definitions', () => {
    const list = `- short: A2/AD\n  long: Anti-access/area denial\n`;
    assert.deepEqual(render(list, parseGlossaryFile(list)).terms, ['A2/AD = Anti-access/area denial |  @ 0:9-0:14 "A2/AD"']);
    const map = `Article 5: NATO's collective-defence clause.\nJEF:\n  expansion: Joint Expeditionary Force\n`;
    assert.deepEqual(render(map, parseGlossaryFile(map)).terms, [
      `Article 5 =  | NATO's collective-defence clause. @ 0:0-0:9 "Article 5"`,
      'JEF = Joint Expeditionary Force |  @ 1:0-1:3 "JEF"',
    ]);
    assert.equal(parseGlossaryFile(map).value[0].id, 'article-5');
  });

  it('reads JSON glossary files', () => {
    const text = '{ "terms": [ { "short": "CJEF", "expansion": "Combined Joint Expeditionary Force" } ] }';
    assert.deepEqual(render(text, parseGlossaryFile(text)), {
      terms: ['CJEF = Combined Joint Expeditionary Force |  @ 0:25-0:29 "CJEF"'],
      errors: [],
    });
  });

  it('reports a term without a short form or without expansion and definition, and keeps the others', () => {
    const text = `terms:
  - short: OK
    definition: fine
  - definition: no short form
  - short: X
    kind: concept
  - just text
`;
    assert.deepEqual(render(text, parseGlossaryFile(text)), {
      terms: ['OK =  | fine @ 1:11-1:13 "OK"'],
      errors: [
        '3:4-3:29 error: A term needs a `short` form',
        '4:11-4:12 error: `X` needs an `expansion` or a `definition`',
        '6:4-6:13 error: A term must be a map with at least `short` and `expansion` or `definition`',
      ],
    });
  });

  it('warns about unknown fields and odd dates, and still reads the term', () => {
    const text = `terms:\n  - short: NFM\n    expansion: New Force Model\n    shrot: typo\n    founded: June 2022\n`;
    assert.deepEqual(render(text, parseGlossaryFile(text)), {
      terms: ['NFM = New Force Model |  @ 1:11-1:14 "NFM"'],
      errors: ['3:4-3:9 warning: Unknown field `shrot` (ignored)', '4:13-4:22 warning: `founded` should be an ISO date (YYYY-MM-DD) or a year'],
    });
  });

  it('reports YAML syntax errors at their place and keeps what was read', () => {
    const text = `terms:\n  - short: A1\n    definition: first\n  - short: "B1\n    definition: second\n`;
    const r = parseGlossaryFile(text);
    assert.deepEqual(r.value.map((t) => t.short), ['A1']);
    assert.ok(r.errors.length > 0);
    assert.ok(r.errors.every((e) => e.code === 'glossary.syntax' && e.severity === 'error'));
    assert.ok(r.errors[0].range.start.line >= 3, showRange(r.errors[0].range));
  });

  it('reads an empty file as no terms and a scalar file as an error', () => {
    assert.deepEqual(parseGlossaryFile(''), { value: [], errors: [] });
    assert.deepEqual(render('hello', parseGlossaryFile('hello')).errors, ['0:0-0:5 error: A glossary file holds a `terms:` list of terms']);
    assert.deepEqual(render('terms: 3', parseGlossaryFile('terms: 3')).errors, ['0:7-0:8 error: `terms` must be a list of terms']);
  });
});

describe('front-matter glossaries', () => {
  it('reads quarto-acronyms `keys:` (shortname, longname), ignoring the options', () => {
    const text = `---
title: A draft
acronyms:
  loa_title: Acronyms
  keys:
    - shortname: JEF
      longname: Joint Expeditionary Force
  insert_loa: end
---
The \\acr{JEF} deploys.`;
    const r = parseFrontMatterGlossary(text, 'file:///ws/a.qmd');
    assert.deepEqual(render(text, r), { terms: ['JEF = Joint Expeditionary Force |  @ 5:17-5:20 "JEF" [JEF]'], errors: [] });
    assert.equal(r.value[0].origin, 'front-matter');
    assert.equal(r.value[0].uri, 'file:///ws/a.qmd');
  });

  it('reads pandoc-acro maps and the simple map of acronyms to long forms', () => {
    const text = `---
acronyms:
  nfm:
    short: NFM
    long: New Force Model
  CJEF: Combined Joint Expeditionary Force
---
`;
    assert.deepEqual(render(text, parseFrontMatterGlossary(text)), {
      terms: ['NFM = New Force Model |  @ 3:11-3:14 "NFM" [nfm]', 'CJEF = Combined Joint Expeditionary Force |  @ 5:2-5:6 "CJEF" [CJEF]'],
      errors: [],
    });
  });

  it('reads `glossary:` as a list of terms or a map of definitions', () => {
    const list = `---\nglossary:\n  - short: Berlin Plus\n    definition: EU use of NATO assets.\n---\n`;
    assert.deepEqual(render(list, parseFrontMatterGlossary(list)).terms, ['Berlin Plus =  | EU use of NATO assets. @ 2:11-2:22 "Berlin Plus"']);
    const map = `---\nglossary:\n  tripwire: A small force whose loss would trigger a wider response.\n---\n`;
    assert.deepEqual(render(map, parseFrontMatterGlossary(map)).terms, ['tripwire =  | A small force whose loss would trigger a wider response. @ 2:2-2:10 "tripwire"']);
    assert.equal(parseFrontMatterGlossary(map).value[0].key, undefined, 'glossary terms have no key');
  });

  it('reports problems inside the blocks only', () => {
    const text = `---\ntitle: [unclosed\nacronyms:\n  keys: nope\n  NFM: [a, b]\n---\n`;
    const r = render(text, parseFrontMatterGlossary(text));
    assert.deepEqual(r.terms, []);
    assert.ok(r.errors.some((e) => e.startsWith('3:8-3:12 error: `keys` must be a list')), r.errors.join('\n'));
    assert.ok(!r.errors.some((e) => e.startsWith('1:')), 'the title is not the glossary’s business');
  });

  it('returns nothing without front matter or without the blocks', () => {
    assert.deepEqual(parseFrontMatterGlossary('# No front matter\n\nacronyms: x'), { value: [], errors: [] });
    assert.deepEqual(parseFrontMatterGlossary('---\ntitle: x\n---\n'), { value: [], errors: [] });
  });
});

describe('LaTeX glossary definitions', () => {
  it('reads \\newacronym and \\newabbreviation with options, keeping the key and its range', () => {
    const text = String.raw`\newacronym{nfm}{NFM}{New Force Model}
\newacronym[description={A tiered model, with commas}, longplural={New Force Models}]{vjtf}{VJTF}{Very High Readiness
  Joint Task Force}
\newabbreviation{jef}{JEF}{Joint Expeditionary Force}`;
    const r = parseLatexGlossary(text, 'file:///ws/main.tex');
    assert.deepEqual(render(text, r), {
      terms: [
        'NFM = New Force Model |  @ 0:12-0:15 "nfm" [nfm]',
        'VJTF = Very High Readiness Joint Task Force | A tiered model, with commas @ 1:86-1:90 "vjtf" [vjtf]',
        'JEF = Joint Expeditionary Force |  @ 3:17-3:20 "jef" [jef]',
      ],
      errors: [],
    });
    assert.deepEqual(r.value[1].forms, ['New Force Models']);
    assert.equal(showRange(r.value[1].fullRange!), '1:0-2:19');
    assert.equal(r.value[0].origin, 'latex');
    assert.equal(r.value[0].id, 'nfm');
  });

  it('reads \\newglossaryentry fields: braced values with commas, spanning lines, with comments', () => {
    const text = String.raw`\newglossaryentry{deterrence}{
  name={deterrence}, % the name
  description={Discouraging an attack, by threat of punishment
    or by denial},
  plural=deterrences
}
\newglossaryentry{nrf}{name=NRF, first={NATO Response Force (NRF)}, description={The old pool.}}
\longnewglossaryentry{pme}{name={PME}}{Professional military

education, at length.}`;
    assert.deepEqual(render(text, parseLatexGlossary(text)), {
      terms: [
        'deterrence =  | Discouraging an attack, by threat of punishment or by denial @ 0:18-0:28 "deterrence" [deterrence]',
        'NRF = NATO Response Force | The old pool. @ 6:18-6:21 "nrf" [nrf]',
        'PME =  | Professional military education, at length. @ 7:22-7:25 "pme" [pme]',
      ],
      errors: [],
    });
  });

  it('reads acro’s \\DeclareAcronym and the acronym package’s \\acro', () => {
    const text = String.raw`\DeclareAcronym{efp}{
  short = eFP ,
  long  = {enhanced Forward Presence, in the Baltics} ,
  long-plural = {enhanced Forward Presences},
}
\begin{acronym}
  \acro{PfP}{Partnership for Peace}
  \acro{dcb}[DCB]{Defence Capacity Building}
\end{acronym}`;
    assert.deepEqual(render(text, parseLatexGlossary(text)), {
      terms: [
        'eFP = enhanced Forward Presence, in the Baltics |  @ 0:16-0:19 "efp" [efp]',
        'PfP = Partnership for Peace |  @ 6:8-6:11 "PfP" [PfP]',
        'DCB = Defence Capacity Building |  @ 7:8-7:11 "dcb" [dcb]',
      ],
      errors: [],
    });
  });

  it('ignores definitions in comments and verbatim, and turns LaTeX into text', () => {
    const text = String.raw`% \newacronym{old}{OLD}{Commented out}
\begin{verbatim}
\newacronym{ex}{EX}{An example}
\end{verbatim}
\newacronym{ete}{ÉTÉ}{\'Etat-major \emph{t}actique~europ\'een \& co.} 50\% done`;
    assert.deepEqual(render(text, parseLatexGlossary(text)).terms, ['ÉTÉ = État-major tactique européen & co. |  @ 4:12-4:15 "ete" [ete]']);
  });

  it('reports an unclosed brace at the brace and goes on after the paragraph', () => {
    const text = String.raw`\newacronym{broken}{BR}{Unclosed long form

\newacronym{after}{AFT}{After the break}`;
    assert.deepEqual(render(text, parseLatexGlossary(text)), {
      terms: ['AFT = After the break |  @ 2:12-2:17 "after" [after]'],
      errors: ['0:23-0:24 error: \\newacronym: unclosed `{`'],
    });
  });

  it('reports missing arguments and missing fields at the command or the key', () => {
    const text = String.raw`\newacronym{a}{A}
\newglossaryentry{noname}{description={x}}
\newglossaryentry{nodesc}{name={y}}
\DeclareAcronym{nolong}{short = NL}
\newacronym{}{E}{Empty key}`;
    assert.deepEqual(render(text, parseLatexGlossary(text)), {
      terms: [],
      errors: [
        '0:0-0:11 error: \\newacronym: missing {argument}; expected \\newacronym[options]{key}{short}{long}',
        '1:18-1:24 error: \\newglossaryentry{noname}: no `name`',
        '2:18-2:24 error: \\newglossaryentry{nodesc}: no `description`',
        '3:16-3:22 error: \\DeclareAcronym{nolong}: needs `short` and `long`',
        '4:11-4:13 error: \\newacronym: empty key',
      ],
    });
  });

  it('never throws, whatever the input', () => {
    const pieces = ['\\newacronym', '\\DeclareAcronym', '\\newglossaryentry', '\\acro', '{', '}', '[', ']', '%', '\n', '\n\n', 'a=b', ',', 'NFM', '---\n', 'acronyms:', '  keys:', '- ', ': ', '"'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        for (const r of [parseLatexGlossary(text), parseGlossaryFile(text), parseFrontMatterGlossary(text)]) {
          assert.ok(Array.isArray(r.value) && Array.isArray(r.errors));
        }
      }),
      { numRuns: 300 },
    );
  });
});
