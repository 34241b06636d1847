/**
 * Which bibliographies a document may cite from: its scope. The rules, in order:
 *   Markdown/Quarto: front matter `bibliography:`; inline `references:`; else, in a project that pandoc
 *   joins (`projects.ts`: declared, bookdown, a Makefile), the `bibliography:` of the last of its files that
 *   declares one (pandoc merges its inputs' metadata, the later winning); else the nearest
 *   `_metadata.yml`, else `_quarto.yml` (Quarto's precedence: the closest declaration wins).
 *   LaTeX: the root document (`% !TEX root`, `\documentclass`, or the file that `\input`s this one)
 *   and everything it includes: `\bibliography{}`, `\addbibresource{}`.
 *   Then the setting `entente.bibliography.files` (a master library), for every document.
 *   When a document declares nothing: every bibliography file in its workspace folder.
 */
import { parseDocument, isMap, isSeq, isScalar } from 'yaml';
import type { Range } from '../model';
import type { IWorkspace } from '../workspace';
import type { EntenteConfig } from '../config';
import type { DocumentFacts, DeclaredPath, LatexDeclarations } from './documents';
import { multibibSuffixes } from '../parsers/drafts/latexMacros';
import { yamlDeclarations } from './documents';
import type { LoadedBibliography } from './bibliographies';
import { bibliographyExtensions } from './bibliographies';
import type { Project } from './projects';
import { LineIndex } from '../text';
import { dirname, extname, isInside, resolvePath, basename } from './paths';

/** Who reads a bibliography: a LaTeX project's BibTeX or biber (`latex`: it declares neither), pandoc for Markdown. */
export type BibliographyReader = 'bibtex' | 'biber' | 'latex' | 'pandoc';

/** The program that reads a draft's bibliographies. */
export function readerOf(kind: DocumentFacts['kind'], scope: Scope): BibliographyReader | undefined {
  return kind === 'markdown' ? 'pandoc' : kind === 'latex' ? (scope.backend ?? 'latex') : undefined;
}

export type SourceOrigin = 'front-matter' | 'project' | 'metadata' | 'quarto' | 'latex' | 'setting' | 'workspace';

export interface BibliographySource {
  uri: string;
  origin: SourceOrigin;
  /** The document (or `_quarto.yml`...) that declares it, and where: for `bibliography.not-found`. */
  declaredIn?: string;
  declaredAt?: Range;
}

export interface Scope {
  sources: BibliographySource[];
  /** The document's own `references:` block. */
  inline?: LoadedBibliography;
  /** A CSL style file the document asks for (front matter `csl:`). */
  cslUri?: string;
  /** LaTeX: the root document of the project. */
  rootUri?: string;
  /**
   * The files whose labels a cross-reference may target, in reading order: a LaTeX root and its includes, the
   * drafts of a Markdown project (`projects.ts`), or the document alone.
   */
  projectFiles: string[];
  /** A file included into the draft could not be read: the labels it would bring are unknown. */
  labelsIncomplete?: boolean;
  /**
   * LaTeX: the program that reads the bibliographies, as the project declares it: biblatex's backend
   * (`\usepackage{biblatex}`: biber), else BibTeX for `\bibliography{}`; undefined when it declares neither.
   */
  backend?: 'biber' | 'bibtex';
  /** LaTeX: the project loads biblatex (`\usepackage{biblatex}`, `\addbibresource`), which reads citations its own way. */
  biblatex?: boolean;
  /** LaTeX: the project loads natbib (`\usepackage{natbib}`) and not biblatex. */
  natbib?: boolean;
  /** LaTeX: biblatex's `style=` (`authoryear`, `numeric`...), the look of its references. */
  biblatexStyle?: string;
}

/** What the resolver needs from the rest of the service. */
export interface ScopeHost {
  workspace: IWorkspace;
  /** The config of a document's workspace folder. */
  config(uri: string): EntenteConfig;
  /** Facts of any document, open or on disk (cached), or undefined when it cannot be read. */
  facts(uri: string): Promise<DocumentFacts | undefined>;
  /** Text of a small file (a `_quarto.yml`), cached until it changes. */
  text(uri: string): Promise<string | undefined>;
  /** Files under a folder with the given extensions (cached until files are created or deleted). */
  list(folderUri: string, extensions: readonly string[]): Promise<string[]>;
  /** The files a settings glob names (cached until files are created or deleted). */
  expandGlob(pattern: string, baseUri: string | undefined): Promise<string[]>;
  /** The Markdown project a draft belongs to, if any. */
  project?(uri: string): Promise<Project | undefined>;
  home?: string;
}

const MAX_INCLUDE_DEPTH = 12;

export async function resolveScope(facts: DocumentFacts, host: ScopeHost): Promise<Scope> {
  const scope: Scope = { sources: [], projectFiles: [facts.uri] };
  const seen = new Set<string>();
  const add = (source: BibliographySource) => {
    if (seen.has(source.uri)) return;
    seen.add(source.uri);
    scope.sources.push(source);
  };

  if (facts.kind === 'markdown') await markdownSources(facts, host, scope, add);
  else if (facts.kind === 'latex') await latexSources(facts, host, scope, add);

  const declaredNothing = scope.sources.length === 0 && !scope.inline?.entries.length;
  const folder = workspaceFolderOf(facts.uri, host.workspace);

  for (const pattern of host.config(facts.uri).bibliographyFiles) {
    for (const uri of await host.expandGlob(pattern, folder)) add({ uri, origin: 'setting' });
  }

  if (declaredNothing && facts.kind !== 'other' && folder) {
    for (const uri of await workspaceBibliographies(folder, host)) add({ uri, origin: 'workspace' });
  }
  return scope;
}

/** The bibliography files of a workspace folder: `.bib`/`.ris`, and the `.json`/`.yaml` files that look like CSL. */
export async function workspaceBibliographies(folder: string, host: Pick<ScopeHost, 'list' | 'text' | 'workspace'>): Promise<string[]> {
  const out: string[] = [];
  for (const uri of await host.list(folder, bibliographyExtensions)) if (await looksLikeBibliography(uri, host)) out.push(uri);
  return out;
}

export function workspaceFolderOf(uri: string, workspace: IWorkspace): string | undefined {
  // The innermost folder that contains the document.
  let best: string | undefined;
  for (const f of workspace.folders()) if (isInside(uri, f) && (!best || f.length > best.length)) best = f;
  return best;
}

async function markdownSources(facts: DocumentFacts, host: ScopeHost, scope: Scope, add: (s: BibliographySource) => void) {
  const md = facts.markdown!;
  const dir = dirname(facts.uri);
  // In a project, cross-references may point into other chapters.
  const project = await host.project?.(facts.uri);
  if (project) scope.projectFiles = project.files.includes(facts.uri) ? project.files : [facts.uri, ...project.files];
  await markdownIncludes(facts, host, scope);
  if (md.csl) scope.cslUri = resolvePath(dir, md.csl.path, host.home);
  if (md.references && (md.references.entries.length || md.references.errors.length)) scope.inline = md.references;
  if (md.bibliography.length) {
    for (const d of md.bibliography) add(declared(dir, d, 'front-matter', facts.uri, host));
    return;
  }
  if (project && project.origin !== 'quarto' && (await projectSources(facts, project, host, add))) return;
  // Quarto project metadata: the nearest `_metadata.yml`, then `_quarto.yml`, up to the workspace folder.
  const top = workspaceFolderOf(facts.uri, host.workspace);
  for (const name of projectMetadataNames) {
    for (let d = dir, depth = 0; depth < 32; depth++) {
      const metaUri = `${d.replace(/\/$/, '')}/${name}`;
      const meta = await metadataDeclarations(metaUri, host);
      if (meta) {
        if (!scope.cslUri && meta.csl) scope.cslUri = meta.csl;
        if (meta.sources.length) {
          for (const b of meta.sources) add(b);
          return;
        }
      }
      const parent = dirname(d);
      if (parent === d || (top && !isInside(parent, top)) || (!top && depth >= 3)) break;
      d = parent;
    }
  }
}

/**
 * The files included into the draft (`{{< include >}}`, `!INCLUDE`), and theirs (bounded): part of its text, so
 * their labels are its own. One that cannot be read leaves the labels unknown (`labelsIncomplete`).
 */
async function markdownIncludes(facts: DocumentFacts, host: ScopeHost, scope: Scope): Promise<void> {
  const seen = new Set(scope.projectFiles);
  let level = [facts];
  for (let depth = 0; depth < MAX_INCLUDE_DEPTH && level.length; depth++) {
    const next: DocumentFacts[] = [];
    for (const f of level) {
      for (const inc of f.markdown?.includes ?? []) {
        const uri = resolvePath(dirname(f.uri), inc.path, host.home);
        if (seen.has(uri)) continue;
        seen.add(uri);
        const child = await host.facts(uri);
        if (!child) {
          scope.labelsIncomplete = true;
          continue;
        }
        scope.projectFiles = [...scope.projectFiles, uri];
        next.push(child);
      }
    }
    level = next;
  }
}

/**
 * The bibliographies of a project pandoc joins: those of the last file that declares any (pandoc merges the
 * metadata of its inputs, a later file's `bibliography:` replacing an earlier one's), relative to that file.
 */
async function projectSources(facts: DocumentFacts, project: Project, host: ScopeHost, add: (s: BibliographySource) => void): Promise<boolean> {
  for (const uri of [...project.files].reverse()) {
    const declaring = uri === facts.uri ? undefined : await host.facts(uri);
    if (!declaring?.markdown?.bibliography.length) continue;
    for (const d of declaring.markdown.bibliography) add(declared(dirname(uri), d, 'project', uri, host));
    return true;
  }
  // `pandoc --bibliography refs.bib ch1.md ch2.md` in a Makefile: declared on that line of the Makefile.
  if (!project.bibliographies?.length) return false;
  const text = (await host.text(project.declaredIn)) ?? '';
  const lines = new LineIndex(text);
  for (const path of project.bibliographies) {
    const at = text.indexOf(path);
    const range = at < 0 ? lines.range(0, 0) : lines.range(at, at + path.length);
    add(declared(dirname(project.declaredIn), { path, range }, 'project', project.declaredIn, host));
  }
  return true;
}

/** The files whose `bibliography:` and `csl:` Quarto drafts inherit (the nearest first). */
const projectMetadataNames = ['_metadata.yml', '_quarto.yml'] as const;

/** Is this a `_quarto.yml` or `_metadata.yml`, whose declarations drafts inherit? */
export function isProjectMetadata(uri: string): boolean {
  return (projectMetadataNames as readonly string[]).includes(basename(uri));
}

/**
 * What a `_quarto.yml` or `_metadata.yml` declares: its bibliographies (relative to its folder) and CSL
 * style. Undefined when the file does not exist.
 */
export async function metadataDeclarations(metaUri: string, host: Pick<ScopeHost, 'text' | 'home'>): Promise<{ sources: BibliographySource[]; csl?: string } | undefined> {
  const text = await host.text(metaUri);
  if (text === undefined) return undefined;
  const decl = yamlDeclarations(text, new LineIndex(text));
  const dir = dirname(metaUri);
  const origin = basename(metaUri) === '_quarto.yml' ? 'quarto' : 'metadata';
  return {
    sources: decl.bibliography.map((b) => declared(dir, b, origin, metaUri, host)),
    csl: decl.csl && resolvePath(dir, decl.csl.path, host.home),
  };
}

async function latexSources(facts: DocumentFacts, host: ScopeHost, scope: Scope, add: (s: BibliographySource) => void) {
  const root = await findLatexRoot(facts, host);
  scope.rootUri = root.uri;
  const rootDir = dirname(root.uri);
  // Walk the include tree from the root: LaTeX resolves paths against the root's folder.
  const visited = new Map<string, LatexDeclarations>();
  const walk = async (f: DocumentFacts, depth: number) => {
    if (visited.has(f.uri) || depth > MAX_INCLUDE_DEPTH || !f.latex) return;
    visited.set(f.uri, f.latex);
    for (const input of f.latex.inputs) {
      const child = await includedFacts(rootDir, input.path, host);
      if (child) await walk(child, depth + 1);
    }
  };
  await walk(root, 0);
  // multibib's `\bibliographyapp{x}` declares a bibliography where `\newcites{app}` makes the command.
  const suffixes = multibibSuffixes([...visited.values()].flatMap((l) => l.macros));
  for (const [uri, latex] of visited) {
    const suffixed = latex.suffixedBibliographies.filter((b) => suffixes.has(b.suffix));
    for (const b of [...latex.bibliographies, ...suffixed]) {
      if (/^(https?|ftp):/i.test(b.path)) continue; // biblatex remote resources are not read
      const path = b.command?.startsWith('bibliography') && !extname(b.path) ? `${b.path}.bib` : b.path;
      add(declared(rootDir, { ...b, path }, 'latex', uri, host));
    }
  }
  scope.backend = backendOf([...visited.values()], suffixes.size > 0);
  scope.biblatex = [...visited.values()].some(usesBiblatex);
  scope.natbib = !scope.biblatex && [...visited.values()].some((l) => !!l.natbib);
  scope.biblatexStyle = [...visited.values()].find((l) => l.biblatexStyle)?.biblatexStyle;
  scope.projectFiles = visited.has(facts.uri) ? [...visited.keys()] : [facts.uri, ...visited.keys()];
}

/** biblatex's backend where it is loaded or its `\addbibresource` used (biber unless told), else BibTeX for `\bibliography{}` and multibib. */
function backendOf(files: readonly LatexDeclarations[], multibib: boolean): Scope['backend'] {
  const biblatex = files.find((l) => l.biblatexBackend)?.biblatexBackend;
  if (biblatex) return biblatex;
  if (files.some(usesBiblatex)) return 'biber';
  return multibib || files.some((l) => l.bibliographies.some((b) => b.command === 'bibliography')) ? 'bibtex' : undefined;
}

function usesBiblatex(latex: LatexDeclarations): boolean {
  return !!latex.biblatexBackend || latex.bibliographies.some((b) => b.command?.startsWith('add'));
}

function declared(dir: string, d: DeclaredPath, origin: SourceOrigin, declaredIn: string, host: Pick<ScopeHost, 'home'>): BibliographySource {
  return { uri: resolvePath(dir, d.path, host.home), origin, declaredIn, declaredAt: d.range };
}

async function includedFacts(rootDir: string, path: string, host: ScopeHost): Promise<DocumentFacts | undefined> {
  const uri = resolvePath(rootDir, path, host.home);
  if (!extname(uri)) return (await host.facts(`${uri}.tex`)) ?? host.facts(uri);
  return host.facts(uri);
}

/** The root of a LaTeX project containing `facts`: magic comment, else itself if it has `\documentclass`, else an includer. */
export async function findLatexRoot(facts: DocumentFacts, host: ScopeHost): Promise<DocumentFacts> {
  const magic = facts.latex?.texRoot;
  if (magic) {
    const root = await host.facts(resolvePath(dirname(facts.uri), magic.path, host.home));
    if (root?.latex) return root;
  }
  if (!facts.latex || facts.latex.isRoot) return facts;
  const folder = workspaceFolderOf(facts.uri, host.workspace) ?? dirname(facts.uri);
  const candidates = await host.list(folder, ['.tex']);
  // A root whose include tree reaches this file, paths resolved as LaTeX does, against the root's folder
  // (`\input{tables/x}` in `sections/intro.tex` is `tables/x.tex` beside `main.tex`).
  for (const uri of candidates) {
    const root = uri === facts.uri ? undefined : await host.facts(uri);
    if (root?.latex?.isRoot && (await includeTreeReaches(root, facts.uri, host))) return root;
  }
  // Else climb: find a document that includes this one relative to itself, and repeat from it (bounded).
  let current = facts;
  for (let depth = 0; depth < MAX_INCLUDE_DEPTH; depth++) {
    let parent: DocumentFacts | undefined;
    for (const uri of candidates) {
      if (uri === current.uri) continue;
      const f = await host.facts(uri);
      if (!f?.latex) continue;
      const dir = dirname(uri);
      if (f.latex.inputs.some((i) => includes(dir, i.path, current.uri, host))) {
        parent = f;
        break;
      }
    }
    if (!parent) return current;
    if (parent.latex?.isRoot) return parent;
    current = parent;
  }
  return current;
}

/** Whether `target` is in the include tree of `root` (bounded depth, each file once). */
async function includeTreeReaches(root: DocumentFacts, target: string, host: ScopeHost): Promise<boolean> {
  const rootDir = dirname(root.uri);
  const seen = new Set<string>([root.uri]);
  let level = [root];
  for (let depth = 0; depth < MAX_INCLUDE_DEPTH && level.length; depth++) {
    const next: DocumentFacts[] = [];
    for (const f of level) {
      for (const input of f.latex?.inputs ?? []) {
        if (includes(rootDir, input.path, target, host)) return true;
        const child = await includedFacts(rootDir, input.path, host);
        if (child && !seen.has(child.uri)) {
          seen.add(child.uri);
          next.push(child);
        }
      }
    }
    level = next;
  }
  return false;
}

function includes(dir: string, path: string, target: string, host: ScopeHost): boolean {
  const uri = resolvePath(dir, path, host.home);
  return uri === target || `${uri}.tex` === target;
}

/** `.bib`/`.ris` always count; a `.json`/`.yaml` only when it looks like CSL (not package.json). */
async function looksLikeBibliography(uri: string, host: Pick<ScopeHost, 'text' | 'workspace'>): Promise<boolean> {
  const ext = extname(uri);
  if (ext !== '.json' && ext !== '.yaml' && ext !== '.yml') return true;
  const name = basename(uri);
  if (/^(_quarto|_metadata|package|package-lock|tsconfig|jsconfig|composer|\.?[a-z]*rc)\b/i.test(name)) return false;
  const stat = await host.workspace.stat(uri);
  if (!stat || stat.size > 64 * 1024 * 1024) return false;
  const text = await host.text(uri);
  if (text === undefined) return false;
  if (ext === '.json') return /^\s*\[\s*(\]|\{[\s\S]{0,4000}?"(id|type|title)"\s*:)/.test(text.slice(0, 8192));
  return looksLikeCslYaml(text.slice(0, 8192));
}

function looksLikeCslYaml(head: string): boolean {
  if (/^references\s*:/m.test(head)) return true;
  try {
    const doc = parseDocument(head.replace(/\n[^\n]*$/, ''));
    const c = doc.contents;
    return isSeq(c) && c.items.length > 0 && isMap(c.items[0]) && isScalar(c.items[0].get('id', true));
  } catch {
    return false;
  }
}
