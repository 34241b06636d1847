/**
 * Which Markdown drafts make up one document, and in what order, when several files are joined into one:
 * - declared in `entente.config.json` (the nearest above the draft): `"projects": [{"files": ["intro.md",
 *   "chapters/*.md"]}]`, paths and globs relative to that file, each glob's files in sorted order;
 * - a Quarto project (`_quarto.yml`): its `book: chapters:` and `appendices:` in order, then its other files;
 * - a bookdown book (`_bookdown.yml`): its `rmd_files:` (a list, or `html:`/`latex:` lists), else bookdown's
 *   default: the `.Rmd` files of its folder by name, `index.Rmd` first, none starting with `_`;
 * - a simple Makefile that passes several Markdown files to pandoc (`parsers/drafts/makefile.ts`).
 * The files of a project share labels, inherit a bibliography one of them declares (pandoc merges the metadata
 * of its inputs), and are read in this order for the glossary's first use. A file in no project is its own.
 */
import { parseDocument, isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import type { IWorkspace } from '../workspace';
import { parseJsonc } from '../jsonc';
import { globOf } from '../glob';
import { parseMakefileCommands, type MakeCommand, type MakeInput } from '../parsers/drafts/makefile';
import { basename, dirname, displayPath, isInside, resolvePath } from './paths';

export interface Project {
  /** Its drafts in reading order. */
  files: string[];
  origin: 'config' | 'quarto' | 'bookdown' | 'makefile';
  /** The file that declares or implies it (`entente.config.json`, `_quarto.yml`, `_bookdown.yml`, `Makefile`). */
  declaredIn: string;
  /** Bibliographies the command gives pandoc (`--bibliography refs.bib` in a Makefile), relative to `declaredIn`'s folder. */
  bibliographies?: string[];
}

export interface ProjectHost {
  workspace: IWorkspace;
  /** Text of a small file, cached until it changes; undefined when it does not exist. */
  text(uri: string): Promise<string | undefined>;
  /** Files under a folder with these extensions (cached until files are created or deleted). */
  list(folderUri: string, extensions: readonly string[]): Promise<string[]>;
}

const markdownExtensions = ['.md', '.markdown', '.qmd', '.rmd', '.pmd'];
const makefileNames = ['GNUmakefile', 'makefile', 'Makefile'];

export class ProjectIndex {
  /** Parses of project files, once per text. */
  private readonly parses = new Map<string, { text: string; value: unknown }>();

  constructor(private readonly host: ProjectHost) {}

  /** The project a Markdown draft belongs to: declared first, then Quarto, bookdown, a Makefile. */
  async projectOf(uri: string): Promise<Project | undefined> {
    return (await this.fromConfig(uri)) ?? (await this.fromQuarto(uri)) ?? (await this.fromBookdown(uri)) ?? (await this.fromMakefile(uri));
  }

  private async fromConfig(uri: string): Promise<Project | undefined> {
    const [config] = await this.above(uri, ['entente.config.json'], true);
    if (!config) return undefined;
    const parsed = this.parsed(config.uri, config.text, (t) => parseJsonc(t));
    const projects = isObject(parsed) && Array.isArray(parsed.projects) ? parsed.projects : [];
    for (const p of projects) {
      const patterns = isObject(p) && Array.isArray(p.files) ? p.files.filter((f): f is string => typeof f === 'string') : [];
      const files = await this.expand(dirname(config.uri), patterns.map((path) => (/[*?[{]/.test(path) ? { wildcard: path } : { path })));
      if (files.includes(uri)) return { files, origin: 'config', declaredIn: config.uri };
    }
    return undefined;
  }

  /**
   * A Quarto book: its chapters share labels (and are read in order). Quarto resolves cross-references within
   * one document otherwise (a website's pages, a manuscript and its notebooks, a default project's files).
   */
  private async fromQuarto(uri: string): Promise<Project | undefined> {
    const [quarto] = await this.above(uri, ['_quarto.yml'], true);
    if (!quarto) return undefined;
    const settings = this.parsed(`${quarto.uri}#project`, quarto.text, quartoProject) as QuartoProject | undefined;
    if (settings?.type !== 'book') return undefined;
    const dir = dirname(quarto.uri);
    const output = `${dir.replace(/\/$/, '')}/${settings.outputDir}`;
    const all = (await this.host.list(dir, ['.qmd', '.md'])).filter((f) => !isInside(f, output));
    const chapters = this.parsed(quarto.uri, quarto.text, quartoChapters) as string[];
    const ordered = await this.expand(dir, chapters.map((path) => ({ path })));
    const rest = all.filter((f) => !ordered.includes(f)).sort((a, b) => a.localeCompare(b));
    return { files: [...ordered, ...rest], origin: 'quarto', declaredIn: quarto.uri };
  }

  /** Whether a file is in a Quarto project's output folder (`output-dir`, or the type's: `_book`, `_site`, `_manuscript`). */
  async isQuartoOutput(uri: string): Promise<boolean> {
    for (const quarto of await this.above(uri, ['_quarto.yml'], false)) {
      const settings = this.parsed(`${quarto.uri}#project`, quarto.text, quartoProject) as QuartoProject | undefined;
      if (settings?.outputDir && isInside(uri, `${dirname(quarto.uri).replace(/\/$/, '')}/${settings.outputDir}`)) return true;
    }
    return false;
  }

  private async fromBookdown(uri: string): Promise<Project | undefined> {
    const [bookdown] = await this.above(uri, ['_bookdown.yml'], true);
    if (!bookdown) return undefined;
    const dir = dirname(bookdown.uri);
    const listed = this.parsed(bookdown.uri, bookdown.text, bookdownFiles) as string[] | undefined;
    const files = listed ? await this.expand(dir, listed.map((path) => ({ path }))) : await this.bookdownDefault(dir);
    return files.includes(uri) ? { files, origin: 'bookdown', declaredIn: bookdown.uri } : undefined;
  }

  /** bookdown's default: the `.Rmd` files of the book's folder by name, `index.Rmd` first, none starting with `_`. */
  private async bookdownDefault(dir: string): Promise<string[]> {
    const files = (await this.host.list(dir, ['.rmd'])).filter((f) => dirname(f) === dir && !basename(f).startsWith('_') && /\.rmd$/i.test(f));
    const name = (f: string) => basename(f);
    return files.sort((a, b) => Number(name(b) === 'index.Rmd') - Number(name(a) === 'index.Rmd') || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
  }

  private async fromMakefile(uri: string): Promise<Project | undefined> {
    for (const makefile of await this.above(uri, makefileNames, false)) {
      const commands = this.parsed(makefile.uri, makefile.text, parseMakefileCommands) as MakeCommand[];
      for (const { inputs, bibliographies } of commands) {
        const files = await this.expand(dirname(makefile.uri), inputs);
        if (files.length >= 2 && files.includes(uri)) return { files, origin: 'makefile', declaredIn: makefile.uri, bibliographies };
      }
    }
    return undefined;
  }

  /** Paths and globs relative to `dir` as existing drafts, in order (a glob's files sorted), each once. */
  private async expand(dir: string, inputs: readonly MakeInput[]): Promise<string[]> {
    const existing = await this.host.list(dir, markdownExtensions);
    const out = new Set<string>();
    for (const input of inputs) {
      if ('path' in input) {
        const uri = resolvePath(dir, input.path);
        if (existing.includes(uri)) out.add(uri);
      } else {
        const re = globOf(input.wildcard.replace(/^\.\//, ''));
        for (const uri of existing.filter((f) => re.test(displayPath(f, dir))).sort()) out.add(uri);
      }
    }
    return [...out];
  }

  /**
   * The files named `names` in the draft's folder and above, within its workspace folder, nearest first
   * (only the nearest with `nearest`).
   */
  private async above(uri: string, names: readonly string[], nearest: boolean): Promise<{ uri: string; text: string }[]> {
    const top = this.host.workspace.folders().filter((f) => isInside(uri, f)).sort((a, b) => b.length - a.length)[0];
    const out: { uri: string; text: string }[] = [];
    for (let d = dirname(uri), depth = 0; depth < 32; depth++) {
      for (const name of names) {
        const candidate = `${d.replace(/\/$/, '')}/${name}`;
        const text = await this.host.text(candidate);
        if (text === undefined) continue;
        out.push({ uri: candidate, text });
        if (nearest) return out;
        break; // make reads one of its names per folder
      }
      const parent = dirname(d);
      if (parent === d || (top && !isInside(parent, top)) || (!top && depth >= 3)) break;
      d = parent;
    }
    return out;
  }

  private parsed(uri: string, text: string, parse: (text: string) => unknown): unknown {
    const cached = this.parses.get(uri);
    if (cached?.text === text) return cached.value;
    let value: unknown;
    try {
      value = parse(text);
    } catch {
      value = undefined;
    }
    if (this.parses.size >= 256) this.parses.clear();
    this.parses.set(uri, { text, value });
    return value;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The top-level map of a small YAML file, or undefined. */
function yamlMap(text: string) {
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
  return isMap(doc.contents) ? doc.contents : undefined;
}

/**
 * The strings of a YAML list (of strings, or of `{part, chapters}` items, read recursively). A part that names a
 * file (`part: part1.qmd`, not `part: "Part I"`) is its part page, read before its chapters.
 */
function strings(node: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 8) return out;
  if (isScalar(node) && typeof node.value === 'string') out.push(node.value);
  else if (isSeq(node)) for (const item of node.items) strings(item, out, depth + 1);
  else if (isMap(node)) {
    const part = node.get('part', true);
    if (isScalar(part) && typeof part.value === 'string' && /\.(?:qmd|md|rmd|ipynb)$/i.test(part.value)) out.push(part.value);
    strings(node.get('chapters', true), out, depth + 1);
  }
  return out;
}

interface QuartoProject {
  type?: string;
  /** Relative to the project's folder; undefined when the output goes beside the sources. */
  outputDir?: string;
}

const quartoOutputDirs: Record<string, string> = { book: '_book', website: '_site', manuscript: '_manuscript' };

/** `_quarto.yml`'s `project:` type and output folder. */
export function quartoProject(text: string): QuartoProject {
  const project = yamlMap(text)?.get('project', true) as YamlNode | undefined;
  if (!isMap(project)) return {};
  const value = (k: string) => {
    const v = project.get(k, true);
    return isScalar(v) && typeof v.value === 'string' ? v.value : undefined;
  };
  const type = value('type');
  const outputDir = (value('output-dir') ?? (type ? quartoOutputDirs[type] : undefined))?.replace(/^\.\//, '').replace(/\/$/, '');
  return { type, outputDir: outputDir && outputDir !== '.' ? outputDir : undefined };
}

/** `_quarto.yml`'s `book: chapters:` then `appendices:`, as written. */
export function quartoChapters(text: string): string[] {
  const book = yamlMap(text)?.get('book', true) as YamlNode | undefined;
  if (!isMap(book)) return [];
  return [...strings(book.get('chapters', true)), ...strings(book.get('appendices', true))];
}

/** `_bookdown.yml`'s `rmd_files:`: a list, or `html:` then what `latex:` adds; undefined when it has none. */
export function bookdownFiles(text: string): string[] | undefined {
  const node = yamlMap(text)?.get('rmd_files', true);
  if (isSeq(node)) return strings(node);
  if (!isMap(node)) return undefined;
  return [...new Set([...strings(node.get('html', true)), ...strings(node.get('latex', true))])];
}
