import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { BibliographyStore, type LoadedBibliography } from '../../server/src/service/index/bibliographies';
import { defaultConfig, type EntenteConfig } from '../../server/src/service/config';
import type { CacheIdentity, IIndexCache, ReadResult } from '../../server/src/service/workspace';
import { nullLogger } from '../../server/src/service/workspace';
import { DiskIndexCache } from '../../server/src/indexCache';
import { drain, type Steps } from '../../server/src/service/pacing';
import { MemoryWorkspace, uriOf } from './memoryWorkspace';
import { projectRoot, realBibFiles } from '../paths';
import { CitationSearch, words } from '../../server/src/service/index/search';
import { isCitable, ScopeIndex, SYNC_BUILD_ENTRIES } from '../../server/src/service/index/scopeIndex';

/** A workspace whose reads carry a digest, as the disk's do. */
class DigestWorkspace extends MemoryWorkspace {
  override async readFile(uri: string, maxBytes: number): Promise<ReadResult> {
    const read = await super.readFile(uri, maxBytes);
    return 'text' in read && !this.open.has(uri) ? { ...read, digest: createHash('sha256').update(read.text).digest('hex') } : read;
  }
}

/** An index cache in memory that keeps what `v8.serialize` keeps, as the disk does; writes when told. */
class MemoryCache implements IIndexCache {
  readonly stored = new Map<string, Buffer>();
  pending: [CacheIdentity, () => Steps<unknown>][] = [];
  reads = 0;
  async read(id: CacheIdentity): Promise<unknown> {
    this.reads++;
    const data = this.stored.get(JSON.stringify(id));
    return data && v8.deserialize(data);
  }
  write(id: CacheIdentity, value: () => Steps<unknown>): void {
    this.pending.push([id, value]);
  }
  flush(): void {
    for (const [id, value] of this.pending) {
      const v = drain(value());
      if (v !== undefined) this.stored.set(JSON.stringify(id), v8.serialize(v));
    }
    this.pending = [];
  }
}

const logs: string[] = [];
const logger = { ...nullLogger, info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m) };

function store(ws: MemoryWorkspace, cache: IIndexCache, config: Partial<EntenteConfig> = {}): BibliographyStore {
  return new BibliographyStore(ws, logger, () => ({ ...defaultConfig, ...config }), cache);
}

/** Everything a feature may read of a loaded bibliography, as plain data. */
function snapshot(b: LoadedBibliography): unknown {
  const entry = (e: LoadedBibliography['entries'][number]) => ({
    key: e.key,
    type: e.type,
    keyRange: e.keyRange,
    range: e.range,
    fields: { ...e.fields },
    rawFields: e.rawFields && { ...e.rawFields },
    authors: e.authors,
    editors: e.editors,
    year: e.year,
    title: e.title,
    crossref: e.crossref,
    xdata: e.xdata,
    csl: e.csl,
  });
  return {
    format: b.format,
    entries: b.entries.map(entry),
    byKey: [...b.byKey].map(([k, list]) => [k, list.map((e) => b.entries.indexOf(e))]),
    errors: b.errors,
    fileError: b.fileError,
    strings: b.strings,
    unknownMacros: b.unknownMacros,
    mangled: b.mangled,
    stat: b.stat,
  };
}

/** Loads `name` with an empty cache (a full parse, searched, then written), then in a new store from the cache. */
async function freshAndCached(ws: MemoryWorkspace, name: string, searched = true) {
  const cache = new MemoryCache();
  const fresh = await store(ws, cache).get(uriOf(name));
  if (searched) void new ScopeIndex([fresh]).search;
  cache.flush();
  assert.equal(cache.stored.size, 1, `${name}: written to the cache`);
  logs.length = 0;
  const second = store(ws, cache);
  const cached = await second.get(uriOf(name));
  assert.ok(logs.some((l) => l.includes('from the index cache')), `${name}: read from the cache (${logs.join('; ')})`);
  return { fresh, cached, cache, second };
}

const handMade = `@string{acm = "ACM Press"}
@string{ieee = {IEEE} # " " # {Computer Society}}

@book{parent,
  title = {The Parent Book},
  editor = {Doe, Jane and Roe, Richard},
  publisher = acm,
  year = 2001,
}

@inbook{child,
  crossref = {parent},
  author = {M{\\"u}ller, J{\\"o}rg},
  title = {A Chapter about {NATO}},
  pages = {1--10},
  month = jun,
}

@xdata{shared, publisher = ieee, location = {Los Alamitos}}
@article{withdata, xdata = {shared}, author = {Smith, A.}, title = {Data}, journal = {J}, year = {2020}}

@article{broken, title = {Unclosed, author = {Nobody},
@article{dup, title = {First}}
@article{dup, title = {Second, with Ã© mangled}}
@misc{usesunknown, howpublished = somemacro # { online}, year = {1999}}
@comment{ignored}
`;

describe('The index cache', () => {
  describe('a bibliography read from the cache is the one a parse makes', () => {
    it('for a hand-made BibTeX file with errors, @string macros, crossref, xdata, months, duplicates and mangled text', async () => {
      const ws = new DigestWorkspace({ 'refs.bib': handMade });
      const { fresh, cached } = await freshAndCached(ws, 'refs.bib');
      assert.ok(fresh.errors.length > 0 && fresh.mangled?.length && fresh.unknownMacros?.length && fresh.entries.find((e) => e.key === 'child')?.fields.booktitle);
      assert.deepEqual(snapshot(cached), snapshot(fresh));
    });

    for (const file of realBibFiles()) {
      it(`for ${path.basename(file)}`, async () => {
        const ws = new DigestWorkspace({ 'lib.bib': fs.readFileSync(file, 'utf8') });
        const { fresh, cached } = await freshAndCached(ws, 'lib.bib');
        assert.deepEqual(snapshot(cached), snapshot(fresh));
      });
    }

    it('for CSL-JSON and CSL-YAML files', async () => {
      const json = fs.readFileSync(path.join(projectRoot, 'examples', 'nfm-paper', 'refs-extra.json'), 'utf8');
      const yaml = 'references:\n- id: doe2020\n  type: book\n  title: A Book\n  author:\n  - family: Doe\n    given: Jane\n  issued:\n    date-parts: [[2020]]\n- id: broken\n  title: [unclosed\n';
      const ws = new DigestWorkspace({ 'refs.json': json, 'refs.yaml': yaml, 'bad.json': '[{"id": "a", "title": "A"}, {"id": ' });
      for (const name of ['refs.json', 'refs.yaml', 'bad.json']) {
        const { fresh, cached } = await freshAndCached(ws, name);
        assert.ok(fresh.entries.length > 0, name);
        assert.deepEqual(snapshot(cached), snapshot(fresh), name);
      }
    });
  });

  it('re-parses an edit of a library read from the cache incrementally, as a parse of the new text', async () => {
    const ws = new DigestWorkspace({ 'refs.bib': handMade });
    const { second } = await freshAndCached(ws, 'refs.bib');
    const edited = handMade.replace('title = {First}', 'title = {First Title}');
    ws.files.set(uriOf('refs.bib'), edited);
    second.invalidate(uriOf('refs.bib'));
    const after = await second.get(uriOf('refs.bib'));
    assert.ok(after.changes, 'read again only where it changed');
    const parsed = await store(new DigestWorkspace({ 'refs.bib': edited }), new MemoryCache()).get(uriOf('refs.bib'));
    assert.deepEqual(snapshot(after), snapshot(parsed));
  });

  it('is not used for another version of the file: the new text is parsed', async () => {
    const ws = new DigestWorkspace({ 'refs.bib': handMade });
    const { cache } = await freshAndCached(ws, 'refs.bib');
    ws.files.set(uriOf('refs.bib'), handMade.replace('Parent Book', 'Other Book'));
    const loaded = await store(ws, cache).get(uriOf('refs.bib'));
    assert.equal(loaded.entries.find((e) => e.key === 'parent')?.title, 'The Other Book');
  });

  it('is neither read nor written when entente.cache.enabled is false', async () => {
    const cache = new MemoryCache();
    const ws = new DigestWorkspace({ 'refs.bib': handMade });
    await store(ws, cache, { cacheEnabled: false }).get(uriOf('refs.bib'));
    cache.flush();
    assert.equal(cache.reads, 0);
    assert.equal(cache.stored.size, 0);
  });

  it('reads a packed payload that does not fit the text as unusable, and parses', async () => {
    const ws = new DigestWorkspace({ 'refs.bib': handMade });
    const { cache } = await freshAndCached(ws, 'refs.bib');
    for (const [k, data] of cache.stored) {
      const value = v8.deserialize(data) as { ints: Int32Array };
      value.ints = value.ints.slice(0, value.ints.length - 3);
      cache.stored.set(k, v8.serialize(value));
    }
    logs.length = 0;
    const loaded = await store(ws, cache).get(uriOf('refs.bib'));
    assert.equal(logs.filter((l) => l.includes('not used')).length, 1, logs.join('\n'));
    assert.ok(!logs.some((l) => l.includes('from the index cache')));
    assert.equal(loaded.entries.length, (await store(ws, new MemoryCache()).get(uriOf('refs.bib'))).entries.length);
  });
});

/** A search as plain data: its records (the entry by its place in `entries`) and its token index. */
function searchShape(search: CitationSearch, entries: readonly LoadedBibliography['entries'][number][]): unknown {
  return {
    records: search.records.map((r) => ({ entry: entries.indexOf(r.entry), uri: r.uri, key: r.key, authors: r.authors, year: r.year, title: r.title, more: r.more })),
    fields: search.fields.map((f) => ({ words: f.words.list(), offsets: [...f.offsets], docs: [...f.docs] })),
  };
}

/** The queries a writer types, made from a library's own entries: a key's start, a family name, title words, a year, a typo, several words. */
function queriesOf(b: LoadedBibliography): string[] {
  const out = new Set<string>(['zzqx', 'the', 'a b']);
  const step = Math.max(1, Math.floor(b.entries.length / 7));
  for (let i = 0; i < b.entries.length; i += step) {
    const e = b.entries[i];
    const family = e.authors?.find((n) => n.family)?.family;
    const title = words(e.title ?? '').filter((w) => w.length > 3);
    out.add(e.key.slice(0, 4));
    if (family) out.add(family);
    if (family && family.length > 4) out.add(family.slice(0, 2) + family[3] + family[2] + family.slice(4)); // two letters swapped
    if (title.length >= 2) out.add(`${title[0]} ${title[1]}`);
    if (e.year) out.add(e.year);
    if (family && e.year) out.add(`${family} ${e.year}`);
    if (family && title.length) out.add(`${title[0].slice(0, 3)} ${family.toLowerCase()}`);
  }
  return [...out];
}

/** What a scope answers to each query, as `key score` lines. */
function answers(index: ScopeIndex, queries: readonly string[]): string[] {
  return queries.flatMap((q) => {
    const { hits, total } = index.search.searchLoose(q, 20);
    return [`${q}: ${total}`, ...hits.map((h) => `  ${h.record.key} ${h.record.uri} ${h.score.toFixed(6)}`)];
  });
}

describe('The index cache of the citation search', () => {
  const libraries = [...realBibFiles().map((f) => [path.basename(f), fs.readFileSync(f, 'utf8')] as const), ['hand-made.bib', handMade] as const];

  for (const [name, text] of libraries) {
    it(`restores the search a build gives, answering every query alike, for ${name}`, async () => {
      const ws = new DigestWorkspace({ 'lib.bib': text });
      const { fresh, cached } = await freshAndCached(ws, 'lib.bib');
      assert.ok(cached.search, 'the search is read from the cache');
      const built = CitationSearch.of(fresh.entries.filter(isCitable).map((entry) => ({ entry, uri: fresh.uri })));
      assert.deepEqual(searchShape(cached.search, cached.entries), searchShape(built, fresh.entries));
      const queries = queriesOf(fresh);
      const got = answers(new ScopeIndex([cached]), queries);
      assert.deepEqual(got, answers(new ScopeIndex([{ ...fresh, search: undefined }]), queries));
      // biber-definitions.bib holds only @string macros.
      assert.equal(got.some((l) => l.startsWith('  ')), fresh.entries.length > 0, 'some queries find entries');
    });
  }

  it('restores the search of CSL-JSON', async () => {
    const json = fs.readFileSync(path.join(projectRoot, 'examples', 'nfm-paper', 'refs-extra.json'), 'utf8');
    const { fresh, cached } = await freshAndCached(new DigestWorkspace({ 'refs.json': json }), 'refs.json');
    assert.ok(cached.search);
    const built = CitationSearch.of(fresh.entries.map((entry) => ({ entry, uri: fresh.uri })));
    assert.deepEqual(searchShape(cached.search, cached.entries), searchShape(built, fresh.entries));
  });

  it("assembles a scope's search from its libraries' cached searches: the search one build over all of them gives", async () => {
    const files = realBibFiles().slice(0, 4);
    const texts = Object.fromEntries(files.map((f) => [path.basename(f), fs.readFileSync(f, 'utf8')]));
    texts['hand-made.bib'] = handMade;
    const names = Object.keys(texts);
    const ws = new DigestWorkspace(texts);
    const cache = new MemoryCache();
    const first = store(ws, cache);
    const fresh = await Promise.all(names.map((n) => first.get(uriOf(n))));
    for (const b of fresh) void new ScopeIndex([b]).search;
    cache.flush();
    const cached = await Promise.all(names.map((n) => store(ws, cache).get(uriOf(n))));
    assert.ok(cached.every((b) => b.search));
    const notes = '@book{inline, title = {Inline Notes on the Parent}, author = {Parent, Ann}, year = 2001}\n@article{biscop2022, title = {Second}}';
    const inline = { ...(await store(new DigestWorkspace({ 'draft.bib': notes }), new MemoryCache()).get(uriOf('draft.bib'))), uri: uriOf('draft.md') };
    const assembled = new ScopeIndex([inline, ...cached]);
    const whole = CitationSearch.of([inline, ...fresh].flatMap((b) => b.entries.filter(isCitable).map((entry) => ({ entry, uri: b.uri }))));
    const all = [inline, ...cached].flatMap((b) => b.entries);
    const allFresh = [inline, ...fresh].flatMap((b) => b.entries);
    assert.deepEqual(searchShape(assembled.search as CitationSearch, all), searchShape(whole, allFresh));
    const queries = fresh.flatMap(queriesOf);
    assert.deepEqual(answers(assembled, queries), answers(new ScopeIndex([inline, ...fresh.map((b) => ({ ...b, search: undefined }))]), queries));
  });

  it('keeps no search of a library nothing searched (entente index); the next start builds it when asked', async () => {
    const ws = new DigestWorkspace({ 'refs.bib': handMade });
    const { cached } = await freshAndCached(ws, 'refs.bib', false);
    assert.ok(logs.some((l) => l.endsWith('; from the index cache)')), logs.join('\n'));
    assert.equal(cached.search, undefined);
    assert.ok(new ScopeIndex([cached]).search.search('parent', 5).hits.some((h) => h.record.key === 'parent'));
    assert.ok(cached.search, 'built when asked, and kept');
  });

  it('finishes a search being built before writing it, sharing one build with the scope that started it', async () => {
    const text = fs.readFileSync(realBibFiles().find((f) => f.endsWith('biber-papers.bib'))!, 'utf8');
    const ws = new DigestWorkspace({ 'lib.bib': text });
    const cache = new MemoryCache();
    const fresh = await store(ws, cache).get(uriOf('lib.bib'));
    const scope = new ScopeIndex([fresh]);
    assert.ok(fresh.entries.length > SYNC_BUILD_ENTRIES);
    scope.buildInBackground(); // a slice at a time, from the next turn on
    const ready = scope.searchReady();
    await new Promise((resolve) => setImmediate(resolve)); // its first slice
    assert.equal(fresh.search, undefined, 'still being built');
    cache.flush(); // the cache's steps finish the build
    assert.ok(fresh.search);
    await ready;
    assert.equal(scope.search, fresh.search, 'one build');
    const cached = await store(ws, cache).get(uriOf('lib.bib'));
    assert.ok(cached.search);
  });

  it('packs a library a step at a time: its value pauses every few hundred entries', async () => {
    const text = fs.readFileSync(realBibFiles().find((f) => f.endsWith('biber-papers.bib'))!, 'utf8');
    const ws = new DigestWorkspace({ 'lib.bib': text });
    const cache = new MemoryCache();
    const fresh = await store(ws, cache).get(uriOf('lib.bib'));
    void new ScopeIndex([fresh]).search;
    const [[, value]] = cache.pending;
    const steps = value();
    let pauses = 0;
    while (!steps.next().done) pauses++;
    assert.ok(pauses >= fresh.entries.length / 256, `${pauses} pauses for ${fresh.entries.length} entries`);
  });

  it('builds the search afresh when its cached part does not fit the entries', async () => {
    const ws = new DigestWorkspace({ 'refs.bib': handMade });
    const { cache } = await freshAndCached(ws, 'refs.bib');
    for (const [k, data] of cache.stored) {
      const value = v8.deserialize(data) as { search: { records: number } };
      value.search.records++;
      cache.stored.set(k, v8.serialize(value));
    }
    logs.length = 0;
    const loaded = await store(ws, cache).get(uriOf('refs.bib'));
    assert.ok(logs.some((l) => l.includes('from the index cache')));
    assert.deepEqual(logs.filter((l) => l.includes('search not used')), [`Index cache of ${uriOf('refs.bib')}: its search not used: its search holds 8 entries, not 7`]);
    assert.equal(loaded.search, undefined);
    assert.ok(new ScopeIndex([loaded]).search.search('parent', 5).hits.some((h) => h.record.key === 'parent'));
  });
});

describe('The index cache folder (DiskIndexCache)', () => {
  let folder: string;
  const notes: string[] = [];
  const diskLogger = { ...nullLogger, info: (m: string) => notes.push(m), warn: (m: string) => notes.push(m) };
  const id: CacheIdentity = { uri: 'file:///lib.bib', size: 10, mtime: 5, digest: 'abc' };
  const value = { format: 1, ints: new Int32Array([1, 2, 3]), pool: 'héllo' };
  function* steps<T>(v: T): Steps<T> {
    return v;
  }

  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'entente-cache-test-'));
    notes.length = 0;
  });
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  async function written(cache = new DiskIndexCache(folder, diskLogger), what = id): Promise<string> {
    cache.write(what, () => steps(value));
    await cache.flush();
    return cache.fileOf(folder, what.uri);
  }

  it('gives back what was written, for the same identity only', async () => {
    const file = await written();
    assert.ok(fs.existsSync(file));
    assert.deepEqual(await new DiskIndexCache(folder, diskLogger).read(id), value);
    notes.length = 0;
    assert.equal(await new DiskIndexCache(folder, diskLogger).read({ ...id, digest: 'abd' }), undefined);
    assert.equal(await new DiskIndexCache(folder, diskLogger).read({ ...id, mtime: 6 }), undefined);
    assert.deepEqual(notes, ['Index cache of file:///lib.bib not used: the file has changed since', 'Index cache of file:///lib.bib not used: the file has changed since']);
    assert.deepEqual(fs.readdirSync(folder), [path.basename(file)], 'no temporary file left');
  });

  it('writes large strings and Int32Arrays as pieces of their own, and gives the whole value back, leaving the value written as it was', async () => {
    const ints = new Int32Array(100_000).map((_, i) => i * 7 - 3);
    const long = 'é'.repeat(70_000) + 'x';
    const live = { strings: { acm: 'ACM' }, list: [1, 'two', ints] };
    // Large parts are looked for three levels deep: deeper, they stay in the rest.
    const big = { format: 1, live, search: { text: long, docs: [ints, new Int32Array([5])], short: 'short' }, deep: { er: { still: { ints } } } };
    const cache = new DiskIndexCache(folder, diskLogger);
    let pauses = 0;
    cache.idle = async () => void pauses++;
    cache.write(id, () => steps(big));
    await cache.flush();
    assert.ok(pauses >= 4, `waits for idle time before each piece (${pauses} times)`);
    assert.equal(live.list[2], ints, 'the value written is left as it was');
    assert.equal(big.search.text, long);
    assert.deepEqual(await new DiskIndexCache(folder, diskLogger).read(id), big);
    const bytes = fs.readFileSync(cache.fileOf(folder, id.uri));
    const header = JSON.parse(bytes.toString('utf8', 24, 24 + bytes.readUInt32LE(20)));
    assert.deepEqual(
      header.pieces.map((p: { kind: string }) => p.kind),
      ['v8', 'int32', 'v8', 'int32'],
    );
  });

  for (const [what, damage, reason] of [
    ['damaged', (b: Buffer) => (b[b.length - 2] ^= 0xff, b), 'it is damaged (its checksum differs)'],
    ['truncated', (b: Buffer) => b.subarray(0, b.length - 7), 'it is cut short'],
    ['cut inside its header', (b: Buffer) => b.subarray(0, 30), 'it is cut short'],
    ['not a cache file', () => Buffer.from('hello'), 'it is not an index cache file'],
  ] as const) {
    it(`ignores a ${what} file with one line in the log`, async () => {
      const file = await written();
      fs.writeFileSync(file, damage(fs.readFileSync(file)));
      notes.length = 0;
      assert.equal(await new DiskIndexCache(folder, diskLogger).read(id), undefined);
      assert.deepEqual(notes, [`Index cache of file:///lib.bib not used: ${reason}`]);
    });
  }

  it('ignores a file another version wrote', async () => {
    await written(new DiskIndexCache(folder, diskLogger, undefined, '0.0.1'));
    notes.length = 0;
    assert.equal(await new DiskIndexCache(folder, diskLogger, undefined, '0.0.2').read(id), undefined);
    assert.match(notes.join(), /another version \(0\.0\.1/);
  });

  it('answers nothing, and writes nothing, when its folder is unknown or deleted', async () => {
    const none = new DiskIndexCache(undefined, diskLogger);
    none.write(id, () => steps(value));
    await none.flush();
    assert.equal(await none.read(id), undefined);
    await written();
    fs.rmSync(folder, { recursive: true });
    assert.equal(await new DiskIndexCache(folder, diskLogger).read(id), undefined);
    assert.deepEqual(notes.filter((n) => n.includes('not used')), []);
  });

  it('keeps the folder under its bound, dropping the files used longest ago', async () => {
    const one = fs.statSync(await written()).size;
    const ids = ['a', 'b', 'c'].map((n) => ({ ...id, uri: `file:///${n}.bib` }));
    const unbounded = new DiskIndexCache(folder, diskLogger);
    await written(unbounded, ids[0]);
    await written(unbounded, ids[1]);
    const age = (what: CacheIdentity, minutes: number) => {
      const t = new Date(Date.now() - minutes * 60_000);
      fs.utimesSync(unbounded.fileOf(folder, what.uri), t, t);
    };
    age(id, 30);
    age(ids[0], 20);
    age(ids[1], 10);
    // `a` is read: now used last. Writing `c` over the bound drops the two used longest ago.
    const bounded = new DiskIndexCache(folder, diskLogger, 2.5 * one);
    assert.deepEqual(await bounded.read(ids[0]), value);
    await new Promise((r) => setTimeout(r, 50));
    await written(bounded, ids[2]);
    const left = fs.readdirSync(folder).sort();
    assert.deepEqual(left, [ids[0], ids[2]].map((each) => path.basename(bounded.fileOf(folder, each.uri))).sort());
  });

  it('tolerates two writers of the same file: a whole file is left', async () => {
    const a = new DiskIndexCache(folder, diskLogger);
    const b = new DiskIndexCache(folder, diskLogger);
    a.write(id, () => steps(value));
    b.write(id, () => steps({ ...value, pool: 'other' }));
    await Promise.all([a.flush(), b.flush()]);
    const read = (await a.read(id)) as typeof value;
    assert.ok(read.pool === 'héllo' || read.pool === 'other');
    assert.equal(fs.readdirSync(folder).length, 1);
  });
});

