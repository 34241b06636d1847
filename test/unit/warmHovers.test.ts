/**
 * Issue 17: the references a draft cites are formatted between requests after it is checked, so that the
 * first hover of each key answers from the cache instead of waiting for citeproc.
 */
import * as assert from 'node:assert/strict';
import { ReferenceRenderer } from '../../server/src/service/render/csl';
import { serviceFor } from './memoryWorkspace';
import { cursor } from './fixture';

describe('references formatted ahead of the first hover (issue 17)', () => {
  it('formats each cited, defined key once, so that the first hover formats nothing', async () => {
    const bib = ['a', 'b', 'c', 'uncited'].map((k) => `@book{${k}, author={Biscop, Sven}, title={Book ${k}}, publisher={Egmont}, year=2022}\n`).join('');
    const { text, position } = cursor('---\nbibliography: refs.bib\n---\nAs [@a; @b] and @|c, and @a again, and [@nosuch].\n');
    const { workspace, service } = serviceFor({ 'refs.bib': bib, 'paper.md': text });
    const prototype = ReferenceRenderer.prototype as unknown as { format(entry: { key: string }, style: string): string | undefined };
    const original = prototype.format;
    const formatted: string[] = [];
    prototype.format = function (entry, style) {
      formatted.push(entry.key);
      return original.call(this, entry, style);
    };
    try {
      const doc = workspace.openDoc('paper.md');
      await service.warmHovers(doc);
      assert.deepEqual(formatted.sort(), ['a', 'b', 'c']);
      const hover = await service.getHover(doc, position);
      assert.match(JSON.stringify(hover), /Book c/);
      assert.deepEqual(formatted.sort(), ['a', 'b', 'c'], 'the hover formatted nothing again');
    } finally {
      prototype.format = original;
    }
  });
});
