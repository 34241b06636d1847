import { createHash } from 'node:crypto';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { decode, expandGlob, findFiles, compileGlob, readFile, readTextFileSync, stat, toUri } from '../../server/src/nodeFileSystem';

describe('reading files from disk', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'entente-fs-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('decodes UTF-8 and strips a byte order mark', () => {
    assert.deepEqual(decode(Buffer.from('\ufeff@book{a}', 'utf8')), { text: '@book{a}' });
  });

  it('decodes a Latin-1 / Windows-1252 file with a note instead of mangling it', () => {
    const r = decode(Buffer.from([0x40, 0x62, 0x6f, 0x6f, 0x6b, 0x7b, 0x5a, 0x6f, 0x6c, 0x74, 0xe1, 0x6e, 0x7d]));
    assert.ok('text' in r);
    assert.equal(r.text, '@book{Zoltán}');
    assert.match(r.note!, /Windows-1252/);
  });

  it('refuses a binary file', () => {
    assert.deepEqual(decode(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d])), { error: 'is not a text file (it contains NUL bytes)' });
  });

  it('decodes a file of several megabytes a slice at a time, characters cut by a slice included', async () => {
    // 'é' is two bytes and '😀' four: with the BOM's three bytes, slices of 2^20 bytes cut through them.
    const text = '@book{a, title = {Zoltán 😀}}\n'.repeat(150_000);
    const file = path.join(dir, 'big.bib');
    fs.writeFileSync(file, '\ufeff' + text);
    assert.ok(fs.statSync(file).size > 3 * (1 << 20));
    const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    assert.deepEqual(await readFile(toUri(file), 64 << 20), { text, digest: sha256(fs.readFileSync(file)) });
    // Not valid UTF-8 further on: read as `decode` reads it.
    const bytes = Buffer.concat([Buffer.from(text, 'utf8'), Buffer.from([0x5a, 0xe1, 0x0a])]);
    fs.writeFileSync(file, bytes);
    assert.deepEqual(await readFile(toUri(file), 64 << 20), { ...decode(bytes), digest: sha256(bytes) });
  });

  it('refuses a file over the size limit without reading it', async () => {
    const file = path.join(dir, 'huge.bib');
    fs.writeFileSync(file, 'x'.repeat(2048));
    const r = await readFile(toUri(file), 1024);
    assert.ok('error' in r);
    assert.match(r.error, /over the .* MB limit \(setting entente.files.maxSizeMB\)/);
  });

  it('counts the bytes it reads: a /proc file whose size says 0 and never ends is over the limit, at once', async function () {
    if (!fs.existsSync('/proc/self/pagemap')) this.skip();
    const t0 = Date.now();
    for (const r of [await readFile(toUri('/proc/self/pagemap'), 1 << 20), readTextFileSync('/proc/self/pagemap', 1 << 20)]) {
      assert.ok('error' in r);
      assert.match(r.error, /^is over the 1 MB limit/);
    }
    assert.ok(Date.now() - t0 < 2000);
  });

  it('refuses a FIFO without waiting for a writer, and devices, even through a symbolic link', async function () {
    if (process.platform === 'win32') this.skip();
    const fifo = path.join(dir, 'refs.bib');
    execFileSync('mkfifo', [fifo]);
    const zero = path.join(dir, 'zero.bib');
    fs.symlinkSync('/dev/zero', zero);
    for (const file of [fifo, zero]) {
      assert.deepEqual(await readFile(toUri(file), 1 << 20), { error: 'is not a regular file' });
      assert.deepEqual(readTextFileSync(file, 1 << 20), { error: 'is not a regular file' });
    }
  });

  it('reads a file swapped for a FIFO and back again, each time as it is when opened', async function () {
    if (process.platform === 'win32') this.skip();
    const file = path.join(dir, 'refs.bib');
    for (let i = 0; i < 20; i++) {
      fs.rmSync(file, { force: true });
      if (i % 2) execFileSync('mkfifo', [file]);
      else fs.writeFileSync(file, '@book{a, title={A}}');
      const r = await readFile(toUri(file), 1 << 20);
      // A file read whole carries the SHA-256 of its bytes (the index cache's check).
      const digest = createHash('sha256').update('@book{a, title={A}}').digest('hex');
      assert.deepEqual(r, i % 2 ? { error: 'is not a regular file' } : { text: '@book{a, title={A}}', digest });
    }
  });

  it('says a missing file does not exist', async () => {
    assert.deepEqual(await readFile(toUri(path.join(dir, 'nope.bib')), 1e6), { error: 'does not exist' });
  });

  it('finds bibliographies but skips node_modules, .git and symlink loops', async () => {
    fs.mkdirSync(path.join(dir, 'a/b'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'node_modules/x'), { recursive: true });
    fs.mkdirSync(path.join(dir, '.git'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'a/b/refs.bib'), '');
    fs.writeFileSync(path.join(dir, 'top.BIB'), '');
    fs.writeFileSync(path.join(dir, 'node_modules/x/dep.bib'), '');
    fs.writeFileSync(path.join(dir, '.git/x.bib'), '');
    fs.symlinkSync(dir, path.join(dir, 'a/loop'));
    const found = (await findFiles(toUri(dir), ['.bib'])).map((u) => u.slice(toUri(dir).length + 1));
    assert.deepEqual(found, ['a/b/refs.bib', 'top.BIB']);
  });

  it('expands globs relative to a folder and absolute ones', async () => {
    fs.mkdirSync(path.join(dir, 'lib/sub'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'lib/one.bib'), '');
    fs.writeFileSync(path.join(dir, 'lib/sub/two.bib'), '');
    fs.writeFileSync(path.join(dir, 'lib/sub/three.json'), '');
    const rel = (uris: string[]) => uris.map((u) => u.slice(toUri(dir).length + 1));
    assert.deepEqual(rel(await expandGlob('lib/*.bib', toUri(dir))), ['lib/one.bib']);
    assert.deepEqual(rel(await expandGlob(`${dir}/lib/**/*.{bib,json}`, undefined)), ['lib/one.bib', 'lib/sub/three.json', 'lib/sub/two.bib']);
    assert.deepEqual(rel(await expandGlob('lib/one.bib', toUri(dir))), ['lib/one.bib']);
    assert.deepEqual(await expandGlob('lib/missing.bib', toUri(dir)), []);
  });

  it('turns globs into anchored expressions', () => {
    assert.ok(compileGlob('/a/**/*.bib').test('/a/x/y/z.bib'));
    assert.ok(compileGlob('/a/**/*.bib').test('/a/z.bib'));
    assert.ok(!compileGlob('/a/*.bib').test('/a/x/z.bib'));
    assert.ok(compileGlob('/a/refs.{bib,json}').test('/a/refs.json'));
    assert.ok(!compileGlob('/a/refs.bib').test('/a/refsXbib'));
  });
});

describe('globs', () => {
  it('match as before: folders, names, classes, alternatives', () => {
    const cases: [string, string, boolean][] = [
      ['**/*.bib', 'a/b/c.bib', true],
      ['**/*.bib', 'c.bib', true],
      ['*.bib', 'a/c.bib', false],
      ['a/**', 'a/b/c', true],
      ['a/**/b', 'a/b', true],
      ['a/**/b', 'a/x/y/b', true],
      ['ch[0-9].md', 'ch3.md', true],
      ['ch[!0-9].md', 'ch3.md', false],
      ['refs.{bib,json}', 'refs.json', true],
      ['refs.{bib,json}', 'refs.yaml', false],
      ['**/_extensions/**', 'x/_extensions/a/b.tex', true],
      ['a?c', 'abc', true],
      ['a?c', 'a/c', false],
      ['a*b*c', 'aXbYc', true],
      ['a*b*c', 'aXbY', false],
    ];
    for (const [glob, p, expected] of cases) assert.equal(compileGlob(glob).test(p), expected, `${glob} ${p}`);
  });

  it('cannot backtrack: 8 globstars and 6 stars over a 24-level tree of near-miss names take milliseconds', () => {
    const glob = compileGlob('**/**/**/**/**/**/**/**/a*b*c*d*e*f');
    const p = Array.from({ length: 24 }, () => 'abcdeabcdeabcdeabcde').join('/');
    const t0 = performance.now();
    for (let i = 0; i < 100; i++) assert.equal(glob.test(p), false);
    assert.ok(performance.now() - t0 < 500, `${performance.now() - t0} ms`);
  });
});

describe('network paths', () => {
  it('are never opened, stat-ed, listed or globbed (on Windows that sends the credentials)', async () => {
    for (const uri of ['file://host/share/refs.bib', 'file://evil.example/x.bib']) {
      assert.deepEqual(await readFile(uri, 1 << 20), { error: 'is on another machine (a network path): not read' });
      assert.equal(await stat(uri), undefined);
      assert.deepEqual(await findFiles(uri, ['.bib']), []);
    }
    assert.deepEqual(await expandGlob('//host/share/*.bib', undefined), []);
  });
});
