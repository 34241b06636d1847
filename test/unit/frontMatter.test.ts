import * as assert from 'assert';
import { findFrontMatter } from '../../server/src/service/parsers/drafts/frontMatter';

/** What a front matter covers, as text: the whole block and its YAML content. */
function show(text: string): { block: string; content: string } | undefined {
  const fm = findFrontMatter(text);
  return fm && { block: text.slice(fm.start, fm.end), content: text.slice(fm.contentStart, fm.contentEnd) };
}

const cases: { name: string; text: string; expected: { block: string; content: string } | undefined }[] = [
  {
    name: 'a block closed by three hyphens is front matter',
    text: '---\ntitle: NATO\n---\nBody @a\n',
    expected: { block: '---\ntitle: NATO\n---', content: 'title: NATO\n' },
  },
  {
    name: 'a block closed by three dots is front matter',
    text: '---\ntitle: NATO\n...\nBody',
    expected: { block: '---\ntitle: NATO\n...', content: 'title: NATO\n' },
  },
  {
    name: 'a byte order mark may precede the opening line',
    text: '\uFEFF---\na: 1\n---\n',
    expected: { block: '---\na: 1\n---', content: 'a: 1\n' },
  },
  {
    name: 'CRLF line endings are allowed and the closing line break is not part of the block',
    text: '---\r\na: 1\r\n---\r\nBody',
    expected: { block: '---\r\na: 1\r\n---', content: 'a: 1\r\n' },
  },
  {
    name: 'delimiters may carry trailing spaces',
    text: '---  \na: 1\n--- \t\nBody',
    expected: { block: '---  \na: 1\n--- \t', content: 'a: 1\n' },
  },
  {
    name: 'a closing line at the very end of the text counts',
    text: '---\na: 1\n---',
    expected: { block: '---\na: 1\n---', content: 'a: 1\n' },
  },
  {
    name: 'an empty block is front matter with empty content',
    text: '---\n---\nBody',
    expected: { block: '---\n---', content: '' },
  },
  {
    name: 'the block must start on the first line',
    text: '\n---\na: 1\n---\n',
    expected: undefined,
  },
  {
    name: 'an opening line followed by a blank line is a horizontal rule',
    text: '---\n\na: 1\n---\n',
    expected: undefined,
  },
  {
    name: 'an unclosed block is no front matter',
    text: '---\na: 1\nBody @a\n',
    expected: undefined,
  },
  {
    name: 'four hyphens are not a delimiter',
    text: '----\na: 1\n----\n',
    expected: undefined,
  },
  {
    name: 'a longer dashed line inside does not close the block',
    text: '---\na: 1\n----\nb: 2\n---\n',
    expected: { block: '---\na: 1\n----\nb: 2\n---', content: 'a: 1\n----\nb: 2\n' },
  },
  {
    name: 'an empty text has no front matter',
    text: '',
    expected: undefined,
  },
  {
    name: 'an opening line alone has no front matter',
    text: '---\n',
    expected: undefined,
  },
];

describe('findFrontMatter', () => {
  for (const c of cases) {
    it(c.name, () => assert.deepStrictEqual(show(c.text), c.expected));
  }
});
