import * as assert from 'node:assert/strict';
import { FramingGuard } from '../../server/src/framing';

const frame = (body: string) => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

/** Feeds `chunks` through a guard; what came out, and why it failed (if it did). */
async function through(chunks: (string | Buffer)[], limits = { maxHeaderBytes: 1024, maxBodyBytes: 1 << 20, stallMs: 60 }): Promise<{ out: string; failure?: string }> {
  let failure: string | undefined;
  const guard = new FramingGuard((reason) => (failure = reason), limits);
  let out = '';
  guard.on('data', (d: Buffer) => (out += d.toString('utf8')));
  for (const c of chunks) guard.write(typeof c === 'string' ? Buffer.from(c, 'utf8') : c);
  await new Promise((r) => setTimeout(r, limits.stallMs * 2));
  return { out, failure };
}

describe('the stdio framing guard', () => {
  it('passes well-framed messages through unchanged, headers split anywhere, UTF-8 bodies counted in bytes', async () => {
    const text = frame('{"jsonrpc":"2.0","method":"x","params":"Wörner – NATO"}') + 'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n' + frame('{}');
    const bytes = Buffer.from(text, 'utf8');
    const chunks = [bytes.subarray(0, 3), bytes.subarray(3, 17), bytes.subarray(17, 18), bytes.subarray(18, 60), bytes.subarray(60)];
    const { out, failure } = await through(chunks);
    assert.equal(failure, undefined);
    assert.equal(out, text);
  });

  for (const [name, input, reason] of [
    ['garbage', 'hello world\r\n\r\n', /malformed message header/],
    ['a Content-Length shorter than the body', 'Content-Length: 5\r\n\r\n{"jsonrpc":"2.0","id":1}', /malformed message header \("nrpc\\""\)/],
    ['no Content-Length', 'X-Foo: 3\r\n\r\n{}', /without a valid Content-Length/],
    ['a header that never ends', `Content-Length: 10\r\nX: ${'a'.repeat(2000)}`, /header longer than 1024 bytes/],
    ['a body larger than allowed', 'Content-Length: 99999999\r\n\r\n', /a message of 99999999 bytes/],
    ['a message left incomplete (a Content-Length longer than the body)', 'Content-Length: 500\r\n\r\n{"jsonrpc":"2.0"}', /incomplete for 0.06 s/],
  ] as const) {
    it(`fails on ${name}`, async () => {
      const { failure } = await through([input]);
      assert.match(failure ?? 'no failure', reason);
    });
  }

  it('waits quietly between messages: no stall when nothing was begun', async () => {
    const { failure } = await through([frame('{}')]);
    assert.equal(failure, undefined);
  });
});
