import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseCslJson } from '../../server/src/service/parsers/bibliography/cslJson';
import { showRange, slice } from './fixture';

/** Entries as `key | key text | first line of the entry text`, errors as `range message`. */
function render(text: string): { entries: string[]; errors: string[] } {
  const { value, errors } = parseCslJson(text);
  assert.equal(value.format, 'csl-json');
  return {
    entries: value.entries.map((e) => `${e.key} | ${slice(text, e.keyRange)} | ${slice(text, e.range).split('\n')[0].trim()}`),
    errors: errors.map((e) => `${showRange(e.range)} ${slice(text, e.range)} | ${e.message}`),
  };
}

/** Better BibTeX "Better CSL JSON" export (ids are citation keys; two-space indentation). */
const betterCslJson = `[
  {
    "id": "jervis1978cooperation",
    "author": [
      {
        "family": "Jervis",
        "given": "Robert"
      }
    ],
    "citation-key": "jervis1978cooperation",
    "container-title": "World Politics",
    "DOI": "10.2307/2009958",
    "ISSN": "0043-8871",
    "issue": "2",
    "issued": {
      "date-parts": [
        [
          1978
        ]
      ]
    },
    "page": "167-214",
    "title": "Cooperation under the <i>Security Dilemma</i>",
    "type": "article-journal",
    "URL": "https://www.jstor.org/stable/2009958",
    "volume": "30"
  },
  {
    "id": "ikenberry2001AfterVictory",
    "editor": [
      {
        "family": "Ikenberry",
        "given": "G. John"
      }
    ],
    "citation-key": "ikenberry2001AfterVictory",
    "event-place": "Princeton, NJ",
    "issued": {
      "date-parts": [
        [
          "2001",
          "3"
        ]
      ]
    },
    "publisher": "Princeton University Press",
    "publisher-place": "Princeton, NJ",
    "title": "After Victory",
    "type": "book"
  },
  {
    "id": "vanevera1984cult",
    "author": [
      {
        "family": "Evera",
        "given": "Stephen",
        "non-dropping-particle": "Van"
      }
    ],
    "container-title": "International Security",
    "issued": {
      "raw": "Summer 1984"
    },
    "title": "The Cult of the Offensive",
    "type": "article-journal"
  }
]
`;

/** Zotero's own CSL JSON export: tab indentation, item URIs as ids, numeric strings in dates. */
const zoteroCslJson = `[
\t{
\t\t"id": "http://zotero.org/users/local/kN3bXzQa/items/8ZKVH4TA",
\t\t"type": "chapter",
\t\t"container-title": "The Oxford Handbook of International Security",
\t\t"title": "Alliances",
\t\t"author": [{"family": "Snyder", "given": "Glenn H."}],
\t\t"editor": [{"family": "Gheciu", "given": "Alexandra"}, {"family": "Wohlforth", "given": "William C."}],
\t\t"issued": {"date-parts": [["2018", 3, 1]]}
\t}
]`;

describe('CSL-JSON parser', () => {
  it('indexes a Better CSL JSON export with exact key and entry ranges', () => {
    const { entries, errors } = render(betterCslJson);
    assert.deepEqual(errors, []);
    assert.deepEqual(entries, [
      'jervis1978cooperation | jervis1978cooperation | {',
      'ikenberry2001AfterVictory | ikenberry2001AfterVictory | {',
      'vanevera1984cult | vanevera1984cult | {',
    ]);
    for (const e of parseCslJson(betterCslJson).value.entries) {
      assert.equal(JSON.parse(slice(betterCslJson, e.range)).id, e.key, 'the range covers the whole object');
    }
  });

  it('fills fields, names, year and title from the CSL item', () => {
    const [jervis, ikenberry, vanEvera] = parseCslJson(betterCslJson).value.entries;
    assert.equal(jervis.type, 'article-journal');
    assert.equal(jervis.title, 'Cooperation under the Security Dilemma');
    assert.equal(jervis.year, '1978');
    assert.deepEqual(jervis.authors, [{ family: 'Jervis', given: 'Robert' }]);
    assert.equal(jervis.editors, undefined);
    assert.deepEqual(
      { ...jervis.fields },
      {
        author: 'Jervis, Robert',
        'citation-key': 'jervis1978cooperation',
        'container-title': 'World Politics',
        journal: 'World Politics',
        doi: '10.2307/2009958',
        issn: '0043-8871',
        issue: '2',
        issued: '1978',
        page: '167-214',
        title: 'Cooperation under the Security Dilemma',
        url: 'https://www.jstor.org/stable/2009958',
        volume: '30',
        year: '1978',
      },
    );
    assert.equal((jervis.csl as { title: string }).title, 'Cooperation under the <i>Security Dilemma</i>', 'csl keeps the rich text');
    assert.deepEqual(ikenberry.authors, [{ family: 'Ikenberry', given: 'G. John' }], 'editors stand in for missing authors');
    assert.deepEqual(ikenberry.editors, [{ family: 'Ikenberry', given: 'G. John' }]);
    assert.equal(ikenberry.year, '2001');
    assert.equal(ikenberry.fields.issued, '2001-03');
    assert.equal(ikenberry.fields.publisher, 'Princeton University Press');
    assert.deepEqual(vanEvera.authors, [{ family: 'Evera', given: 'Stephen', dropping: 'Van' }]);
    assert.equal(vanEvera.year, '1984', 'a raw date still gives its year');
  });

  it('indexes a Zotero CSL JSON export with tabs and item URIs as ids', () => {
    const { entries, errors } = render(zoteroCslJson);
    assert.deepEqual(errors, []);
    assert.deepEqual(entries, ['http://zotero.org/users/local/kN3bXzQa/items/8ZKVH4TA | http://zotero.org/users/local/kN3bXzQa/items/8ZKVH4TA | {']);
    const [e] = parseCslJson(zoteroCslJson).value.entries;
    assert.equal(e.fields.booktitle, 'The Oxford Handbook of International Security');
    assert.equal(e.fields.editor, 'Gheciu, Alexandra and Wohlforth, William C.');
    assert.equal(e.fields.issued, '2018-03-01');
    assert.equal(e.year, '2018');
  });

  it('accepts numeric ids as written and escaped characters in ids', () => {
    const text = '[{"id": 42, "title": "A"}, {"id": "a\\"b", "title": "B"}]';
    assert.deepEqual(render(text).entries, ['42 | 42 | {"id": 42, "title": "A"}', 'a"b | a\\"b | {"id": "a\\"b", "title": "B"}']);
  });

  it('accepts a single item or an items/references wrapper at the top level', () => {
    assert.deepEqual(render('{"id": "solo", "type": "book"}').entries, ['solo | solo | {"id": "solo", "type": "book"}']);
    assert.deepEqual(render('{"items": [{"id": "a"}], "style": "apa"}').entries, ['a | a | {"id": "a"}']);
    assert.deepEqual(render('{"references": [{"id": "b"}]}').entries, ['b | b | {"id": "b"}']);
  });

  it('turns date shorthands into CSL dates in the item', () => {
    const [e] = parseCslJson('[{"id": "x", "issued": "2020-05-01", "accessed": 2023}]').value.entries;
    assert.deepEqual(e.csl?.issued, { 'date-parts': [[2020, 5, 1]] });
    assert.deepEqual(e.csl?.accessed, { 'date-parts': [[2023]] });
    assert.equal(e.year, '2020');
  });

  it('reads an empty file, blank text and an empty array as no entries and no errors', () => {
    for (const text of ['', '  \n', '[]', '\uFEFF[ ]\n']) assert.deepEqual(render(text), { entries: [], errors: [] }, JSON.stringify(text));
  });

  const broken: { name: string; text: string; entries: string[]; errors: string[] }[] = [
    {
      name: 'a missing comma between items is reported and both items are kept',
      text: '[\n  {"id": "a"}\n  {"id": "b"}\n]',
      entries: ['a | a | {"id": "a"}', 'b | b | {"id": "b"}'],
      errors: ['2:2-2:3 { | Expected \',\' or \']\' after an item'],
    },
    {
      name: 'an unterminated string drops its item and the next item is found again',
      text: '[\n  {\n    "id": "a"\n  },\n  {\n    "id": "b",\n    "title": "Unclosed\n  },\n  {\n    "id": "c"\n  }\n]',
      entries: ['a | a | {', 'c | c | {'],
      errors: ['6:13-6:22 "Unclosed | Unterminated string'],
    },
    {
      name: 'a missing colon is reported at the value',
      text: '[\n  {"id": "a"},\n  {"id" "b"},\n  {"id": "c"}\n]',
      entries: ['a | a | {"id": "a"}', 'c | c | {"id": "c"}'],
      errors: ['2:8-2:9 " | Expected \':\' after a property name'],
    },
    {
      name: 'a trailing comma in the array is reported and every item is kept',
      text: '[\n  {"id": "a"},\n  {"id": "b"},\n]',
      entries: ['a | a | {"id": "a"}', 'b | b | {"id": "b"}'],
      errors: ["2:13-2:14 , | Trailing comma before ']'"],
    },
    {
      name: 'a trailing comma in an item drops that item only',
      text: '[\n  {"id": "a", "title": "T",},\n  {"id": "b"}\n]',
      entries: ['b | b | {"id": "b"}'],
      errors: ["1:26-1:27 , | Trailing comma before '}'"],
    },
    {
      name: 'a file cut off after an item keeps the items read so far',
      text: '[\n  {"id": "a"},\n  {"id": "b"',
      entries: ['a | a | {"id": "a"}'],
      errors: ["2:12-2:12  | Unexpected end of file: expected ',' or '}' after a property value"],
    },
    {
      name: 'a missing closing bracket is reported at the end of the file',
      text: '[\n  {"id": "a"}\n',
      entries: ['a | a | {"id": "a"}'],
      errors: ["2:0-2:0  | Unclosed array: expected ']'"],
    },
    {
      name: 'an item without id is reported at its brace',
      text: '[\n  {"title": "No key"},\n  {"id": "b"}\n]',
      entries: ['b | b | {"id": "b"}'],
      errors: ['1:2-1:3 { | This CSL item has no "id"'],
    },
    {
      name: 'a null or empty id is reported at the value',
      text: '[{"id": null}, {"id": ""}, {"id": "ok"}]',
      entries: ['ok | ok | {"id": "ok"}'],
      errors: ['0:8-0:12 null | The "id" of a CSL item must be a string or a number', '0:22-0:24 "" | The "id" of this CSL item is empty'],
    },
    {
      name: 'an element that is not an object is reported and skipped',
      text: '[1, "x", {"id": "a"}]',
      entries: ['a | a | {"id": "a"}'],
      errors: ['0:1-0:2 1 | Expected a CSL item (a JSON object)', '0:4-0:7 "x" | Expected a CSL item (a JSON object)'],
    },
    {
      name: 'text that is not JSON is reported at its first character',
      text: 'TY  - JOUR\nER  - ',
      entries: [],
      errors: ['0:0-0:1 T | Expected a JSON array of CSL items'],
    },
    {
      name: 'content after the array is reported',
      text: '[{"id": "a"}] x',
      entries: ['a | a | {"id": "a"}'],
      errors: ['0:14-0:15 x | Unexpected content after the end of the JSON value'],
    },
    {
      name: 'an error in minified JSON keeps the items before it',
      text: '[{"id":"a"},{"id":"b","x":tru},{"id":"c"}]',
      entries: ['a | a | {"id":"a"}'],
      errors: ['0:26-0:29 tru | Expected a value'],
    },
    {
      name: 'invalid escapes and raw control characters are reported where they are',
      text: '[\n  {"id": "a\\q"},\n  {"id": "b\tc"},\n  {"id": "d"}\n]',
      entries: ['d | d | {"id": "d"}'],
      errors: ['1:11-1:13 \\q | Invalid escape sequence in a string', '2:11-2:12 \t | Control characters in a string must be escaped'],
    },
    {
      name: 'comments are reported like any unexpected character',
      text: '[\n  // my refs\n  {"id": "a"}\n]',
      entries: ['a | a | {"id": "a"}'],
      errors: ['1:2-1:3 / | Expected a value'],
    },
  ];
  for (const t of broken) {
    it(t.name, () => {
      const { entries, errors } = render(t.text);
      assert.deepEqual({ entries, errors }, { entries: t.entries, errors: t.errors });
    });
  }

  it('never fails internally and keeps exact key ranges whatever is typed into an export', () => {
    const text = betterCslJson + zoteroCslJson.slice(1);
    const typed = fc.string({ unit: fc.constantFrom(...'{}[],:"\\ \n\tid0-'.split('')), maxLength: 6 });
    fc.assert(
      fc.property(fc.nat(text.length), fc.nat(30), typed, (at, deleted, inserted) => {
        const edited = text.slice(0, at) + inserted + text.slice(at + deleted);
        const { value, errors } = parseCslJson(edited);
        assert.ok(!errors.some((e) => e.message.startsWith('Could not read')), 'no internal failure');
        for (const e of value.entries) {
          const written = slice(edited, e.keyRange);
          assert.ok(written === e.key || JSON.parse(`"${written}"`) === e.key, `${written} is the key ${e.key}`);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses absurd nesting without overflowing the stack', () => {
    const text = `[{"id": "a"}, {"id": "b", "x": ${'['.repeat(100_000)}`;
    const { entries, errors } = render(text);
    assert.deepEqual(entries, ['a | a | {"id": "a"}']);
    assert.match(errors[0], /JSON nested too deeply/);
  });

  it('parses 50,000 items (speed is measured by npm run bench)', () => {
    const items = [];
    for (let i = 0; i < 50_000; i++) {
      items.push({
        id: `author${i}2020title`,
        type: 'article-journal',
        title: `A study of alliance burden sharing, part ${i}`,
        author: [{ family: `Family${i}`, given: 'Given' }, { family: 'Second', given: 'Author' }],
        'container-title': 'Journal of Strategic Studies',
        issued: { 'date-parts': [[2000 + (i % 25), 1 + (i % 12)]] },
        volume: String(i % 40),
        page: '1-30',
        DOI: `10.1080/0140239${i}`,
      });
    }
    const text = JSON.stringify(items, null, 2);
    const { value, errors } = parseCslJson(text);
    assert.equal(errors.length, 0);
    assert.equal(value.entries.length, 50_000);
    assert.equal(slice(text, value.entries[49_999].keyRange), 'author499992020title');
  });
});
