/**
 * The bibliography store: every bibliography file the service has been asked for,
 * read once through the workspace, parsed by format, and kept until the file changes.
 * A file that cannot be read (missing, too large, binary) is still a LoadedBibliography,
 * with no entries and a `fileError` that diagnostics and the status can show.
 */
import type { BibEntry, BibFormat, ParseError, ParseResult, BibFile } from '../model';
import type { FileStat, IIndexCache, ILogger, IWorkspace } from '../workspace';
import type { EntenteConfig } from '../config';
import { parseBibtexSteps, resolveInheritance, type BibtexEntry, type BibtexParse } from '../parsers/bibliography/bibtex';
import type { BibtexState } from '../parsers/bibliography/bibtex';
import { reparseBibtexSteps, type Reparse } from '../parsers/bibliography/bibtexIncremental';
import { parseCslJsonSteps } from '../parsers/bibliography/cslJson';
import { parseCslYamlSteps } from '../parsers/bibliography/cslYaml';
import { parseRisSteps } from '../parsers/bibliography/ris';
import { drain, eachPaced, nextTurn, paced, QUICK_SLICE_MS, type Steps } from '../pacing';
import { findMojibakeAfterEditSteps, findMojibakeSteps, mojibakeFindings, type MojibakeFinding, type MojibakeRun, type MojibakeScan } from '../mojibake';
import type { LineIndex } from '../text';
import { extname, isNetworkPath } from './paths';
import { BibliographyCache, ownFields, type CachedParse } from './bibliographyCache';
import type { CitationSearch } from './search';
import { startedSearch } from './scopeIndex';

export interface LoadedBibliography {
  uri: string;
  format: BibFormat;
  entries: BibEntry[];
  /** Key -> entries with that key (more than one: a duplicate). */
  byKey: Map<string, BibEntry[]>;
  errors: ParseError[];
  /** Why the file could not be read at all (missing, too large, not text). */
  fileError?: string;
  /** Increases every time this file is parsed again. */
  generation: number;
  /** Milliseconds spent reading and parsing. */
  parseMs: number;
  /** BibTeX: the `@string` macros the file defines (lower-case name -> raw value). */
  strings?: Record<string, string>;
  /** BibTeX: macros used but defined nowhere in the file (lower-case), which an earlier file of the scope may define. */
  unknownMacros?: string[];
  /** Size and modification time when read from disk (not for open documents). */
  stat?: FileStat;
  /** BibTeX: what the next parse of this file needs to read only what changed. */
  bibtexState?: BibtexState;
  /** When this parse re-read only part of the file: the entries that changed since the parse `since`. */
  changes?: BibliographyChanges;
  /** Mangled text in the file (`text.mojibake`). */
  mangled?: MojibakeFinding[];
  /** The damaged runs `mangled` places, one for one (a re-parse scans again only around the change). */
  mangledRuns?: MojibakeRun[];
  /** The search of this file's citable entries, once built (`scopeIndex.ts` `bibliographySearch`) or read from the index cache. */
  search?: CitationSearch;
}

export interface BibliographyChanges {
  /** The generation of the parse these changes apply to. */
  since: number;
  removed: BibEntry[];
  added: BibEntry[];
}

export const bibliographyExtensions = ['.bib', '.bibtex', '.biblatex', '.json', '.yaml', '.yml', '.ris'] as const;

/** The format a bibliography file is in, by its extension (`.bib` when unknown). */
export function formatOf(uri: string): BibFormat {
  switch (extname(uri)) {
    case '.json':
      return 'csl-json';
    case '.yaml':
    case '.yml':
      return 'csl-yaml';
    case '.ris':
      return 'ris';
    default:
      return 'bibtex';
  }
}

type BibliographyParse = ParseResult<BibFile> & Pick<BibtexParse, 'state'>;

/** Parses bibliography text in a given format. Never throws. */
export function parseBibliography(text: string, format: BibFormat, strings?: Record<string, string>): BibliographyParse {
  return drain(parseBibliographySteps(text, format, strings));
}

/** `parseBibliography`, pausing between entries (`pacing.ts`). */
function parseBibliographySteps(text: string, format: BibFormat, strings?: Record<string, string>): Steps<BibliographyParse> {
  switch (format) {
    case 'csl-json':
      return parseCslJsonSteps(text);
    case 'csl-yaml':
      return parseCslYamlSteps(text);
    case 'ris':
      return parseRisSteps(text);
    default:
      return parseBibtexSteps(text, strings ? { strings } : undefined);
  }
}

export function keyMap(entries: readonly BibEntry[]): Map<string, BibEntry[]> {
  return drain(keyMapSteps(entries));
}

function* keyMapSteps(entries: readonly BibEntry[]): Steps<Map<string, BibEntry[]>> {
  const map = new Map<string, BibEntry[]>();
  yield* eachPaced(entries, (e) => {
    const list = map.get(e.key);
    if (list) list.push(e);
    else map.set(e.key, [e]);
  });
  return map;
}

/** Keys copied between two places where a key map's copy may pause. */
const COPIED_PER_STEP = 4096;

/** `previous` with the entries a re-parse removed and added (the lists of the keys involved in file order again). */
function* patchedKeyMapSteps(previous: Map<string, BibEntry[]>, removed: readonly BibtexEntry[], added: readonly BibtexEntry[]): Steps<Map<string, BibEntry[]>> {
  // A copy (the previous parse may still answer requests), a slice at a time (a plain loop: a copy of 50,000 keys
  // through a callback per key was most of a re-index's time after the parse).
  const map = new Map<string, BibEntry[]>();
  let n = 0;
  for (const [key, list] of previous) {
    map.set(key, list);
    if (++n % COPIED_PER_STEP === 0) yield;
  }
  const gone = new Set<BibEntry>(removed);
  for (const key of new Set([...removed, ...added].map((e) => e.key))) {
    const list = [...(map.get(key) ?? []).filter((e) => !gone.has(e)), ...added.filter((e) => e.key === key)] as BibtexEntry[];
    list.sort((a, b) => a.start - b.start);
    if (list.length) map.set(key, list);
    else map.delete(key);
  }
  return map;
}

export class BibliographyStore {
  private readonly cache = new Map<string, Promise<LoadedBibliography>>();
  /** The files whose cached parse has finished. */
  private readonly ready = new Set<string>();
  /** The last parse of each invalidated file, kept until it is read again (see `reuseOrLoad`). */
  private readonly stale = new Map<string, Promise<LoadedBibliography>>();
  /** Parses with macros from other files: `uri \0 providers` -> parse. */
  private readonly withMacros = new Map<string, Promise<LoadedBibliography>>();
  private generation = 0;
  private readonly listeners: ((uri: string) => void)[] = [];
  private readonly diskCache: BibliographyCache;
  /** Told the text of a BibTeX file read for a full parse, before the parse starts (completion's preview, `libraryPreview.ts`). */
  onRead?: (uri: string, text: string) => void;

  constructor(
    private readonly workspace: IWorkspace,
    private readonly logger: ILogger,
    private readonly config: (uri?: string) => EntenteConfig,
    indexCache?: IIndexCache,
  ) {
    this.diskCache = new BibliographyCache(indexCache, logger);
  }

  /** The parsed file, from the cache when it has not changed. */
  get(uri: string): Promise<LoadedBibliography> {
    let p = this.cache.get(uri);
    if (!p) {
      const loading = (p = this.reuseOrLoad(uri));
      this.cache.set(uri, loading);
      loading.then(
        () => this.cache.get(uri) === loading && this.ready.add(uri),
        () => undefined,
      );
    }
    return p;
  }

  /** Whether the file's current parse is done (false while it is read again after a change, or before it was asked for). */
  isReady(uri: string): boolean {
    return this.ready.has(uri);
  }

  /**
   * After an invalidation, a file whose size and modification time did not change is not parsed
   * again: several watchers (the client's, our own fs.watch) report the same save.
   */
  private async reuseOrLoad(uri: string): Promise<LoadedBibliography> {
    const previous = this.stale.get(uri);
    this.stale.delete(uri);
    const old = await previous;
    if (old && !this.workspace.openDocument(uri)) {
      const now = await this.workspace.stat(uri);
      if (old.stat && now && old.stat.size === now.size && old.stat.mtime === now.mtime) return old;
    }
    return this.load(uri, undefined, old);
  }

  /**
   * The file parsed with `@string` macros that earlier files of a scope define (BibTeX reads
   * `\bibliography{abbrev,papers}` in order: cryptobib's and biber's files rely on it).
   * `providers` identifies those files and their versions, for the cache.
   */
  getWithStrings(uri: string, strings: Record<string, string>, providers: string): Promise<LoadedBibliography> {
    const k = `${uri}\u0000${providers}`;
    let p = this.withMacros.get(k);
    if (!p) {
      p = this.load(uri, strings);
      this.withMacros.set(k, p);
    }
    return p;
  }

  /** Bibliographies loaded so far (for the status and the CLI). */
  async loaded(): Promise<LoadedBibliography[]> {
    return Promise.all([...this.cache.values()]);
  }

  /** Forgets a file so that the next `get` reads it again. Returns whether it was loaded. */
  invalidate(uri: string): boolean {
    const current = this.cache.get(uri);
    if (current) this.stale.set(uri, current);
    this.ready.delete(uri);
    let had = this.cache.delete(uri);
    // Variants parsed with another file's macros depend on both files.
    for (const k of [...this.withMacros.keys()]) {
      if (k.startsWith(`${uri}\u0000`) || k.includes(`${uri}#`)) had = this.withMacros.delete(k) || had;
    }
    if (had) for (const l of this.listeners) l(uri);
    return had;
  }

  invalidateAll(): void {
    const uris = [...this.cache.keys()];
    this.cache.clear();
    this.ready.clear();
    this.withMacros.clear();
    for (const uri of uris) for (const l of this.listeners) l(uri);
  }

  onDidInvalidate(listener: (uri: string) => void): void {
    this.listeners.push(listener);
  }

  /** Reads and parses the file; with the `previous` parse of the same file, a BibTeX file is re-read only where it changed. */
  private async load(uri: string, strings?: Record<string, string>, previous?: LoadedBibliography): Promise<LoadedBibliography> {
    const format = formatOf(uri);
    const started = Date.now();
    const base = { uri, format, generation: ++this.generation };
    // `bibliography: paper.pdf` or `notes.md` is reported, not read (unless the editor has it open as BibTeX).
    // A name without extension (`/etc/passwd`, `~/.ssh/id_rsa`, `~/notes`) is no bibliography either: never read.
    const ext = extname(uri);
    if (!(bibliographyExtensions as readonly string[]).includes(ext) && !/^(bibtex|biblatex|bib)$/.test(this.workspace.openDocument(uri)?.languageId ?? '')) {
      const fileError = ext ? `is not a bibliography file (${ext})` : 'has no extension: a bibliography file ends in .bib, .json, .yaml or .ris';
      return { ...base, entries: [], byKey: new Map(), errors: [], fileError, parseMs: 0 };
    }
    if (isNetworkPath(uri)) return { ...base, entries: [], byKey: new Map(), errors: [], fileError: 'is on another machine (a network path): not read', parseMs: 0 };
    const stat = this.workspace.openDocument(uri) ? undefined : await this.workspace.stat(uri);
    const read = await this.workspace.readFile(uri, this.config(uri).maxFileBytes);
    if ('error' in read) {
      return { ...base, entries: [], byKey: new Map(), errors: [], fileError: read.error, parseMs: Date.now() - started };
    }
    if (read.note) this.logger.warn(`${uri}: ${read.note}`);
    // Said before the work, so that if memory runs out the log names the library being read (V8's message does not).
    if (read.text.length > 5 * 1024 * 1024) this.logger.info(`Reading ${uri} (${(read.text.length / 1048576).toFixed(0)} MB of text)...`);
    const reparse = previous?.bibtexState && format === 'bibtex' ? await this.reparse(uri, previous.bibtexState, read.text, strings) : undefined;
    // Completion's preview answers while the cache is read or the file parsed.
    if (this.onRead && format === 'bibtex' && !reparse && !strings) {
      this.onRead(uri, read.text);
      await nextTurn(); // what waits for the text (a completion) is answered before the parse's first slice
    }
    // The index cache: for a file read from disk and parsed on its own (not with another file's macros).
    const cacheId = !reparse && !strings && this.config(uri).cacheEnabled ? this.diskCache.identity(uri, stat, read.digest) : undefined;
    const cached = cacheId && (await this.diskCache.restore(cacheId, read.text, format));
    let result: BibliographyParse;
    try {
      // Paced: a library of 100 MB takes seconds to read, and other requests are answered meanwhile.
      result = cached
        ? { value: { format, entries: cached.entries, strings: cached.strings }, errors: cached.errors, state: cached.state }
        : reparse
          ? { ...reparse.result, state: reparse.state }
          : await paced(parseBibliographySteps(read.text, format, strings));
    } catch (e) {
      // Parsers are written never to throw; this is the last line of defence.
      this.logger.error(`Parsing ${uri} failed: ${e instanceof Error ? e.stack : e}`);
      return { ...base, entries: [], byKey: new Map(), errors: [], fileError: `could not be parsed: ${e}`, parseMs: Date.now() - started };
    }
    const entries = result.value.entries;
    const byKey = reparse && previous ? await paced(patchedKeyMapSteps(previous.byKey, reparse.removed, reparse.added), QUICK_SLICE_MS) : await paced(keyMapSteps(entries));
    const own = cacheId && !cached ? ownFields(entries) : undefined;
    // A re-parse kept the inheritance of the entries it kept, and changed no entry that has or is a parent.
    if (format === 'bibtex' && !reparse) resolveInheritance(entries, (key) => byKey.get(key)?.[0]);
    const search = cacheId && cached && cached.search ? this.diskCache.restoreSearch(cacheId, cached.search, entries) : undefined;
    const parseMs = Date.now() - started;
    const how = reparse ? `; ${reparse.removed.length} entries read again as ${reparse.added.length}, the rest kept` : cached ? `; from the index cache${search ? ', with its search' : ''}` : '';
    this.logger.info(`Indexed ${entries.length} entries from ${uri} in ${parseMs} ms (${result.errors.length} problems${how})`);
    const kept = reparse && previous?.mangled && previous.mangledRuns && { runs: previous.mangledRuns, findings: previous.mangled };
    const { runs, findings: mangled } =
      kept && result.state
        ? await paced(findMojibakeAfterEditSteps(kept, read.text, reparse.edit, result.state.source.lines), QUICK_SLICE_MS)
        : await this.mangledText(read.text, cached ? cached.runs : undefined, result.state?.source.lines);
    const loaded: LoadedBibliography = { ...base, entries, byKey, errors: result.errors, parseMs, strings: result.value.strings, unknownMacros: unknownMacros(result.errors), stat, mangled, mangledRuns: runs };
    if (result.state) loaded.bibtexState = result.state;
    if (search) loaded.search = search;
    if (cacheId && own) {
      const parse: CachedParse = { entries, errors: result.errors, strings: result.value.strings, state: result.state, runs };
      this.diskCache.remember(cacheId, read.text, format, parse, own, () => loaded.bibtexState === result.state, () => startedSearch(loaded));
    }
    if (reparse && previous) {
      loaded.changes = { since: previous.generation, removed: reparse.removed, added: reparse.added };
      delete previous.bibtexState; // its entries now belong to the new text: never re-parse from it again
    }
    return loaded;
  }

  /** The mangled text of a whole file (`runs` when known: read from the index cache). */
  private async mangledText(text: string, runs: MojibakeRun[] | undefined, lines: LineIndex | undefined): Promise<MojibakeScan> {
    const found = runs ?? (await paced(findMojibakeSteps(text)));
    return { runs: found, findings: mojibakeFindings(text, found, lines) };
  }

  /**
   * The incremental re-parse, or undefined for a full parse (it does not apply, or failed). Paced in short slices:
   * comparing and re-indexing a 25 MB text takes tens of milliseconds, and completions come in meanwhile (issue 17).
   */
  private async reparse(uri: string, state: BibtexState, text: string, strings: Record<string, string> | undefined): Promise<Reparse | undefined> {
    try {
      const reparse = await paced(reparseBibtexSteps(state, text, strings), QUICK_SLICE_MS);
      if ('result' in reparse) return reparse;
      this.logger.info(`Reading all of ${uri}: ${reparse.fullParse}`);
      return undefined;
    } catch (e) {
      this.logger.error(`Re-reading the changes of ${uri} failed, reading it all: ${e instanceof Error ? e.stack : e}`);
      return undefined;
    }
  }
}

/** Names of the macros the BibTeX parser reported as unknown (its message: `Unknown macro 'name'`). */
function unknownMacros(errors: readonly ParseError[]): string[] | undefined {
  const names = new Set<string>();
  for (const e of errors) {
    const m = /^Unknown macro '([^']+)'/.exec(e.message);
    if (m) names.add(m[1].toLowerCase());
  }
  return names.size ? [...names] : undefined;
}
