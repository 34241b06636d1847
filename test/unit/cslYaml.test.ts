import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseCslYaml } from '../../server/src/service/parsers/bibliography/cslYaml';
import { showRange, slice } from './fixture';

/** Entries as `key | key text | first line of the entry text`, errors as `range text | message`. */
function render(text: string): { entries: string[]; errors: string[] } {
  const { value, errors } = parseCslYaml(text);
  assert.equal(value.format, 'csl-yaml');
  return {
    entries: value.entries.map((e) => `${e.key} | ${slice(text, e.keyRange)} | ${slice(text, e.range).split('\n')[0]}`),
    errors: errors.map((e) => `${showRange(e.range)} ${slice(text, e.range).split('\n')[0]} | ${e.message}`),
  };
}

/** Everything outside the front matter's content replaced by spaces, line breaks kept (what the document index passes). */
function frontMatterOnly(markdown: string): string {
  const start = markdown.indexOf('\n') + 1;
  const end = markdown.indexOf('\n---', start) + 1;
  const blank = (s: string) => s.replace(/[^\r\n]/g, ' ');
  return blank(markdown.slice(0, start)) + markdown.slice(start, end) + blank(markdown.slice(end));
}

/** A Pandoc `references:` file, as `pandoc -t csljson | pandoc -f csljson -t markdown -s` writes it, plus hand edits. */
const pandocReferences = `---
references:
- id: mearsheimer2001
  type: book
  author:
  - family: Mearsheimer
    given: John J.
  issued: 2001
  publisher: W. W. Norton
  publisher-place: New York
  title: The Tragedy of Great Power Politics
- id: "walt1987"
  type: book
  author:
    - family: Walt
      given: Stephen M.
  issued:
    date-parts:
    - - 1987
  title: "The Origins of Alliances"
- id: 'deWaal2022'
  type: article-journal
  author:
  - family: Waal
    given: Frans
    non-dropping-particle: de
  container-title: Survival
  DOI: 10.1080/00396338.2022.2103259
  issued: 2022-08-03
  title: Deterrence in the *North Atlantic*
- id: 2019
  type: report
  author:
  - literal: NATO Parliamentary Assembly
  issued:
  - year: 2019
    month: 10
  title: Burden sharing
...
`;

describe('CSL-YAML parser', () => {
  it('indexes a Pandoc references file with exact key and item ranges', () => {
    const { entries, errors } = render(pandocReferences);
    assert.deepEqual(errors, []);
    assert.deepEqual(entries, [
      'mearsheimer2001 | mearsheimer2001 | id: mearsheimer2001',
      'walt1987 | walt1987 | id: "walt1987"',
      'deWaal2022 | deWaal2022 | id: \'deWaal2022\'',
      '2019 | 2019 | id: 2019',
    ]);
  });

  it('reads issued as a bare year, date-parts, an ISO date or the legacy year/month list', () => {
    const entries = parseCslYaml(pandocReferences).value.entries;
    assert.deepEqual(
      entries.map((e) => [e.year, e.csl?.issued]),
      [
        ['2001', { 'date-parts': [[2001]] }],
        ['1987', { 'date-parts': [[1987]] }],
        ['2022', { 'date-parts': [[2022, 8, 3]] }],
        ['2019', { 'date-parts': [[2019, 10]] }],
      ],
    );
    assert.equal(entries[2].fields.issued, '2022-08-03');
  });

  it('fills names, titles and fields from each item', () => {
    const [mearsheimer, , deWaal, nato] = parseCslYaml(pandocReferences).value.entries;
    assert.equal(mearsheimer.type, 'book');
    assert.equal(mearsheimer.title, 'The Tragedy of Great Power Politics');
    assert.deepEqual(mearsheimer.authors, [{ family: 'Mearsheimer', given: 'John J.' }]);
    assert.equal(mearsheimer.fields.publisher, 'W. W. Norton');
    assert.equal(mearsheimer.fields['publisher-place'], 'New York');
    assert.deepEqual(deWaal.authors, [{ family: 'Waal', given: 'Frans', dropping: 'de' }]);
    assert.equal(deWaal.fields.doi, '10.1080/00396338.2022.2103259');
    assert.equal(deWaal.fields.journal, 'Survival');
    assert.equal(deWaal.csl?.id, 'deWaal2022');
    assert.deepEqual(nato.authors, [{ literal: 'NATO Parliamentary Assembly' }]);
    assert.equal(nato.csl?.id, '2019', 'numeric ids become string keys');
  });

  it('indexes a top-level sequence of items', () => {
    const text = '- id: a\n  title: A\n- id: b\n  title: B\n';
    assert.deepEqual(render(text), { entries: ['a | a | id: a', 'b | b | id: b'], errors: [] });
  });

  it('reads references in a Markdown front matter with other keys, with ranges in the Markdown document', () => {
    const markdown = [
      '---',
      'title: "Burden Sharing in NATO"',
      'author: A. Student',
      'bibliography: refs.bib',
      'csl: apa.csl',
      'references:',
      '  - id: olson1966',
      '    type: article-journal',
      '    title: An Economic Theory of Alliances',
      '    issued: 1966',
      'link-citations: true',
      '---',
      '',
      '# Introduction',
      '',
      'As @olson1966 argued, small allies free-ride. See also [@walt1987, p. 5]:',
      '- id: not-a-reference',
      '',
    ].join('\n');
    const text = frontMatterOnly(markdown);
    assert.equal(text.length, markdown.length);
    const { value, errors } = parseCslYaml(text);
    assert.deepEqual(errors, []);
    assert.deepEqual(value.entries.map((e) => e.key), ['olson1966']);
    const [olson] = value.entries;
    assert.equal(slice(markdown, olson.keyRange), 'olson1966');
    assert.equal(showRange(olson.keyRange), '6:8-6:17');
    assert.equal(slice(markdown, olson.range), 'id: olson1966\n    type: article-journal\n    title: An Economic Theory of Alliances\n    issued: 1966');
    assert.equal(olson.year, '1966');
  });

  it('reads a CRLF front matter with the same ranges', () => {
    const markdown = '---\r\ntitle: T\r\nreferences:\r\n- id: "a"\r\n  title: A\r\n---\r\nText [@a].\r\n';
    const text = frontMatterOnly(markdown);
    const { value, errors } = parseCslYaml(text);
    assert.deepEqual(errors, []);
    assert.deepEqual(value.entries.map((e) => [e.key, showRange(e.keyRange), slice(markdown, e.range)]), [['a', '3:7-3:8', 'id: "a"\r\n  title: A']]);
  });

  it('reads a front matter without references as no entries and no errors', () => {
    assert.deepEqual(render(frontMatterOnly('---\ntitle: T\nbibliography: refs.bib\n---\nText\n')), { entries: [], errors: [] });
    assert.deepEqual(render(''), { entries: [], errors: [] });
    assert.deepEqual(render('references:\n'), { entries: [], errors: [] });
  });

  const broken: { name: string; text: string; entries: string[]; errors: string[] }[] = [
    {
      name: 'a YAML syntax error is reported where it is and the other items are still indexed',
      text: 'references:\n- id: a\n  title: x: y\n- id: b\n  title: B\n',
      entries: ['a | a | id: a', 'b | b | id: b'],
      errors: ['2:9-2:10 x | Nested mappings are not allowed in compact mappings'],
    },
    {
      name: 'an unclosed quote is reported at the opening quote, not at the end of the file',
      text: 'references:\n- id: a\n  title: "unclosed\n- id: b\n  title: B\n',
      entries: ['a | a | id: a'],
      errors: ['2:9-2:18 "unclosed | Missing closing "quote'],
    },
    {
      name: 'a tab used as indentation is reported once, not once per token',
      text: '- id: a\n\ttitle: x\n- id: b\n',
      entries: ['a | a | id: a'],
      errors: ['1:1-1:6 title | Unexpected scalar at node end'],
    },
    {
      name: 'an item without id is reported at its first line',
      text: '- title: No key\n  type: book\n- id: b\n',
      entries: ['b | b | id: b'],
      errors: ['0:2-0:15 title: No key | This CSL item has no `id`'],
    },
    {
      name: 'an empty id is reported like a missing one',
      text: '- id:\n  title: T\n- id: ""\n',
      entries: [],
      errors: ['0:2-0:5 id: | This CSL item has no `id`', '2:2-2:8 id: "" | This CSL item has no `id`'],
    },
    {
      name: 'an id that is a list is reported at the value',
      text: '- id: [a, b]\n',
      entries: [],
      errors: ['0:6-0:12 [a, b] | The `id` of a CSL item must be a string or a number'],
    },
    {
      name: 'an element that is not a mapping is reported and skipped',
      text: 'references:\n- just text\n- id: b\n',
      entries: ['b | b | id: b'],
      errors: ['1:2-1:11 just text | Expected a CSL item (a mapping)'],
    },
    {
      name: 'references that are not a list are reported',
      text: 'references: refs.bib\n',
      entries: [],
      errors: ['0:12-0:20 refs.bib | `references` must be a list of CSL items'],
    },
    {
      name: 'a plain scalar document is reported',
      text: 'hello\n',
      entries: [],
      errors: ['0:0-0:5 hello | Expected a list of CSL items or a `references:` mapping'],
    },
    {
      name: 'a duplicated key in an item is reported',
      text: '- id: a\n  title: A\n  title: B\n',
      entries: ['a | a | id: a'],
      errors: ['2:2-2:3 t | Map keys must be unique'],
    },
  ];
  for (const t of broken) {
    it(t.name, () => {
      const { entries, errors } = render(t.text);
      assert.deepEqual({ entries, errors }, { entries: t.entries, errors: t.errors });
    });
  }

  it('never fails internally and keeps exact key ranges whatever is typed into a references block', () => {
    const typed = fc.string({ unit: fc.constantFrom(...'-:[]{}"\' \n\t&*#|>id0'.split('')), maxLength: 6 });
    fc.assert(
      fc.property(fc.nat(pandocReferences.length), fc.nat(30), typed, (at, deleted, inserted) => {
        const edited = pandocReferences.slice(0, at) + inserted + pandocReferences.slice(at + deleted);
        const { value, errors } = parseCslYaml(edited);
        assert.ok(!errors.some((e) => e.message.startsWith('Could not read')), 'no internal failure');
        for (const e of value.entries) {
          const written = slice(edited, e.keyRange);
          // Escapes and folded lines aside, the key range holds the key as written.
          if (!/[\\\n']/.test(written)) assert.equal(written, e.key);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses an alias bomb in one item and still indexes the others', () => {
    const lines = ['- id: safe', '  title: Safe', '- id: bomb', '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 12; i++) lines.push(`  ${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    lines.push('- id: after');
    const text = lines.join('\n');
    const started = performance.now();
    const { value, errors } = parseCslYaml(text);
    assert.ok(performance.now() - started < 5000, 'no exponential expansion');
    assert.deepEqual(value.entries.map((e) => e.key), ['safe', 'after']);
    assert.equal(errors.length, 1);
    assert.equal(slice(text, errors[0].range), 'id: bomb');
    assert.match(errors[0].message, /alias/i);
  });

  it('survives deeply nested flow collections without throwing', function () {
    this.timeout(10_000); // fast alone (~150 ms), but 20,000 levels deserve slack on a busy machine
    const text = `- id: a\n- id: b\n  x: ${'['.repeat(20_000)}`;
    const { value, errors } = parseCslYaml(text);
    assert.ok(value.entries.some((e) => e.key === 'a'));
    assert.ok(errors.length > 0);
  });
});
