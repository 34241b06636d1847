/**
 * Per-document facts, parsed once per document version: the citations it makes and
 * what it declares about its bibliographies (front matter, LaTeX commands).
 * Features read these facts; they never scan the text again.
 */
import { parseDocument, isScalar, isSeq, isMap, type Node as YamlNode } from 'yaml';
import type { Citation, Range } from '../model';
import type { ITextDocument } from '../workspace';
import { LineIndex } from '../text';
import { findFrontMatter } from '../parsers/drafts/frontMatter';
import { parseMarkdownCitations, type MarkdownDialect } from '../parsers/drafts/markdownCitations';
import { latexCitationFacts, parseLatexStructure, type EmptyKey, type LatexPath } from '../parsers/drafts/latexCitations';
import { citeCommands, type CiteCommands } from '../parsers/drafts/latexCiteArguments';
import { citeMacrosSignature, parseMacroDefinitions, resolveCiteMacros, verbatimEnvironmentsOf, type MacroDefinition } from '../parsers/drafts/latexMacros';
import { verbatimEnvironments } from '../parsers/drafts/latexLexer';
import { parseLatexLabels } from '../parsers/drafts/latexLabels';
import { parseCslYaml, yamlNestingOffset } from '../parsers/bibliography/cslYaml';
import { keyMap, type LoadedBibliography } from './bibliographies';
import { extname } from './paths';

export type DocumentKind = 'markdown' | 'latex' | 'other';

/** A path a document names (a bibliography, a CSL style, an included file), where it names it. */
export interface DeclaredPath {
  path: string;
  range: Range;
  command?: string;
}

export interface MarkdownDeclarations {
  bibliography: DeclaredPath[];
  csl?: DeclaredPath;
  /** `references:` in the front matter, parsed as CSL-YAML (the document is its own bibliography). */
  references?: LoadedBibliography;
  /** `@{}`: a citation of the empty key (pandoc reads one, citeproc cannot find it). */
  emptyKeys?: Range[];
  /** Files included into this one (`{{< include >}}`, `!INCLUDE`): their labels are this document's. */
  includes?: DeclaredPath[];
}

export interface LatexDeclarations {
  bibliographies: DeclaredPath[];
  /** multibib's `\bibliographyapp{x}`: a bibliography when the project's `\newcites{app}` makes the command. */
  suffixedBibliographies: (LatexPath & { suffix: string })[];
  inputs: DeclaredPath[];
  texRoot?: DeclaredPath;
  isRoot: boolean;
  /** `\usepackage{biblatex}`: which program reads its bibliographies. */
  biblatexBackend?: 'biber' | 'bibtex';
  /** `\usepackage{natbib}`. */
  natbib?: boolean;
  /** `\usepackage[style=...]{biblatex}`. */
  biblatexStyle?: string;
  /** The definitions of the document's text (`\newcommand`, `\def`...), from which its project's citation macros are learned. */
  macros: MacroDefinition[];
  /** The citation commands its citations were read with (built-in, settings, learned), and the learned ones' signature. */
  citeCommands: CiteCommands;
  citeSignature: string;
  /** Empty keys in its citations (`\cite{a,}`). */
  emptyKeys: EmptyKey[];
}

/** A cross-reference label or a reference to one (`\label{x}`/`\ref{x}`, `{#fig-x}`/`@fig-x`). */
export interface LabelFact {
  label: string;
  range: Range;
  command?: string;
}

/** A heading, for document symbols. */
export interface Heading {
  title: string;
  level: number;
  /** The heading line. */
  range: Range;
}

export interface DocumentFacts {
  uri: string;
  version: number;
  kind: DocumentKind;
  lines: LineIndex;
  citations: Citation[];
  /** Cross-reference labels defined, and references to labels. */
  labels: LabelFact[];
  refs: LabelFact[];
  /** The fixed starts of labels made when the document is typeset: by LaTeX macros, by Quarto for a cell's plots. */
  generatedLabels?: string[];
  headings: Heading[];
  markdown?: MarkdownDeclarations;
  latex?: LatexDeclarations;
}

const markdownLanguages = new Set(['markdown', 'quarto', 'rmd', 'rmarkdown', 'pandoc']);
const latexLanguages = new Set(['latex', 'tex', 'plaintex', 'context', 'latex-expl3', 'doctex']);
const markdownExtensions = new Set(['.md', '.markdown', '.qmd', '.rmd', '.pmd']);
const latexExtensions = new Set(['.tex', '.ltx', '.latex']);

/** The Markdown dialect of a document: R Markdown reads bare URLs and `\\(...\\)` math (`markdownScanner.ts`). */
export function markdownDialect(uri: string, languageId = ''): MarkdownDialect {
  return { rmarkdown: languageId === 'rmd' || languageId === 'rmarkdown' || extname(uri) === '.rmd' };
}

export function documentKind(languageId: string, uri: string): DocumentKind {
  if (markdownLanguages.has(languageId)) return 'markdown';
  if (latexLanguages.has(languageId)) return 'latex';
  const ext = extname(uri);
  if (markdownExtensions.has(ext)) return 'markdown';
  if (latexExtensions.has(ext)) return 'latex';
  return 'other';
}

/**
 * A plain-text draft (`.txt`): text pasted from Word, a PDF or a web page, with no citation syntax. It is checked
 * only for what such text can hold (issue 16): mangled text, author-date citations against its typed reference
 * list, stale alliance facts. Its kind stays `other`: no citation, label or first-use feature reads it.
 */
export function isPlainTextDraft(uri: string): boolean {
  return extname(uri) === '.txt';
}

export function isDraftFile(uri: string): boolean {
  const ext = extname(uri);
  return markdownExtensions.has(ext) || latexExtensions.has(ext);
}

export const draftExtensions = [...markdownExtensions, ...latexExtensions];

/**
 * Computes a document's facts. Never throws: a broken front matter simply declares nothing. A LaTeX
 * document's citations are read with the citation macros its own definitions make (those its project
 * defines elsewhere are added by `withProjectMacros`).
 */
export function computeFacts(doc: ITextDocument, latexCommands: readonly string[] = []): DocumentFacts {
  const text = doc.getText();
  const kind = documentKind(doc.languageId, doc.uri);
  const lines = new LineIndex(text);
  const base = { uri: doc.uri, version: doc.version, kind, lines };
  if (kind === 'markdown') {
    const parsed = parseMarkdownCitations(text, markdownDialect(doc.uri, doc.languageId));
    return {
      ...base,
      citations: parsed.citations,
      labels: parsed.labels,
      refs: parsed.crossRefs,
      generatedLabels: parsed.generated,
      headings: markdownHeadings(text, lines),
      markdown: { ...markdownDeclarations(doc.uri, text, lines), emptyKeys: parsed.emptyKeys, includes: parsed.includes },
    };
  }
  if (kind === 'latex') {
    const structure = parseLatexStructure(text);
    const macros = parseMacroDefinitions(text);
    const verbatim = verbatimSet(macros);
    const { labels, refs, generated } = parseLatexLabels(text, verbatim);
    const learned = resolveCiteMacros(macros, citeCommands(latexCommands));
    const commands = citeCommands(latexCommands, learned);
    const cited = latexCitationFacts(text, commands, verbatim);
    return {
      ...base,
      citations: cited.citations,
      labels,
      refs,
      generatedLabels: generated,
      headings: latexHeadings(text, lines),
      latex: {
        bibliographies: structure.bibliographies,
        suffixedBibliographies: structure.suffixedBibliographies,
        inputs: structure.inputs,
        // A subfile names its main document, like a magic comment (which wins); it is no root itself.
        texRoot: structure.texRoot ?? structure.subfilesRoot,
        isRoot: !structure.subfilesRoot && /^[^%\n]*\\documentclass\b/m.test(text),
        biblatexBackend: structure.biblatexBackend,
        natbib: structure.natbib,
        biblatexStyle: structure.biblatexStyle,
        macros,
        citeCommands: commands,
        citeSignature: signatureOf(learned, verbatim),
        emptyKeys: cited.emptyKeys,
      },
    };
  }
  return { ...base, citations: [], labels: [], refs: [], headings: [] };
}

/** ATX headings (`## Title {#sec-x}`), outside fenced code. */
function markdownHeadings(text: string, lines: LineIndex): Heading[] {
  const out: Heading[] = [];
  let fence: string | undefined;
  const re = /^(?:(\s{0,3}(`{3,}|~{3,}))|#{1,6}[ \t]+.*)$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[1]) {
      const marker = m[2];
      if (!fence) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      continue;
    }
    if (fence) continue;
    const line = m[0];
    const level = /^#+/.exec(line)![0].length;
    const title = line.slice(level).replace(/\{[^{}]*\}\s*$/, '').replace(/\s#+\s*$/, '').trim();
    if (title) out.push({ title, level, range: lines.range(m.index, m.index + line.replace(/\r$/, '').length) });
  }
  return out;
}

const latexLevels: Record<string, number> = { part: 0, chapter: 1, section: 2, subsection: 3, subsubsection: 4, paragraph: 5, subparagraph: 6 };

/** `\section{Title}` and kin (starred too), outside comments. */
function latexHeadings(text: string, lines: LineIndex): Heading[] {
  const out: Heading[] = [];
  const re = /^([^%\n]*?)\\(part|chapter|section|subsection|subsubsection|paragraph|subparagraph)\*?\s*(?:\[[^\]\n]*\])?\s*\{([^{}\n]*(?:\{[^{}\n]*\}[^{}\n]*)*)\}/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (/(^|[^\\])%/.test(m[1])) continue;
    const start = m.index + m[1].length;
    out.push({ title: m[3].replace(/[{}]/g, '').trim(), level: latexLevels[m[2]], range: lines.range(start, m.index + m[0].length) });
  }
  return out;
}

/**
 * A LaTeX document's facts with the citation macros its project defines elsewhere (the root's preamble, an
 * `\input` file, a `.sty` beside the root): the same facts when they teach nothing new, else its citations
 * read again with them (the rest of its facts does not depend on them).
 */
export function withProjectMacros(facts: DocumentFacts, latexCommands: readonly string[], projectMacros: readonly MacroDefinition[]): DocumentFacts {
  const latex = facts.latex;
  if (!latex || projectMacros.length === 0) return facts;
  const all = [...projectMacros, ...latex.macros];
  const learned = resolveCiteMacros(all, citeCommands(latexCommands));
  const verbatim = verbatimSet(all);
  const citeSignature = signatureOf(learned, verbatim);
  if (citeSignature === latex.citeSignature) return facts;
  const commands = citeCommands(latexCommands, learned);
  const text = facts.lines.text;
  const cited = latexCitationFacts(text, commands, verbatim);
  // A verbatim environment of the project's (`vquote` in its `.sty`): no reference or label inside it counts either.
  const { labels, refs } = verbatim ? parseLatexLabels(text, verbatim) : facts;
  return { ...facts, citations: cited.citations, labels, refs, latex: { ...latex, citeCommands: commands, citeSignature, emptyKeys: cited.emptyKeys } };
}

/** The built-in verbatim environments and those the definitions make, or undefined when they make none. */
function verbatimSet(definitions: readonly MacroDefinition[]): ReadonlySet<string> | undefined {
  const learned = verbatimEnvironmentsOf(definitions);
  return learned.length ? new Set([...verbatimEnvironments, ...learned]) : undefined;
}

/** What the parse of a LaTeX draft depends on beyond its text: its learned citation macros and verbatim environments. */
function signatureOf(learned: Parameters<typeof citeMacrosSignature>[0], verbatim: ReadonlySet<string> | undefined): string {
  return `${citeMacrosSignature(learned)}|${verbatim ? [...verbatim].sort().join(',') : ''}`;
}

/**
 * Replaces everything outside [start, end) by spaces, keeping line breaks, so that a YAML
 * parser given the result reports offsets that are offsets in the whole document.
 */
export function blankOutside(text: string, start: number, end: number): string {
  const blank = (s: string) => s.replace(/[^\r\n]/g, ' ');
  return blank(text.slice(0, start)) + text.slice(start, end) + blank(text.slice(end));
}

function markdownDeclarations(uri: string, text: string, lines: LineIndex): MarkdownDeclarations {
  const fm = findFrontMatter(text);
  if (!fm) return { bibliography: [] };
  const yamlText = blankOutside(text, fm.contentStart, fm.contentEnd);
  return { ...yamlDeclarations(yamlText, lines), references: inlineReferences(uri, yamlText) };
}

/** `bibliography:` and `csl:` of a YAML mapping (front matter, `_quarto.yml`, `_metadata.yml`). */
export function yamlDeclarations(yamlText: string, lines: LineIndex): { bibliography: DeclaredPath[]; csl?: DeclaredPath } {
  const out: { bibliography: DeclaredPath[]; csl?: DeclaredPath } = { bibliography: [] };
  // Nesting thousands of levels deep costs the YAML parser seconds and gigabytes: such a front matter declares nothing.
  if (yamlNestingOffset(yamlText, 512) >= 0) return out;
  let doc;
  try {
    doc = parseDocument(yamlText, { uniqueKeys: false, prettyErrors: false });
  } catch {
    return out;
  }
  if (!isMap(doc.contents)) return out;
  const declared = (node: unknown): DeclaredPath | undefined => {
    if (!isScalar(node) || typeof node.value !== 'string' || !node.value.trim() || !node.range) return undefined;
    return { path: node.value, range: lines.range(node.range[0], node.range[1]) };
  };
  const bib = doc.contents.get('bibliography', true) as YamlNode | undefined;
  if (isSeq(bib)) {
    for (const item of bib.items) {
      const d = declared(item);
      if (d) out.bibliography.push(d);
    }
  } else {
    const d = declared(bib);
    if (d) out.bibliography.push(d);
  }
  out.csl = declared(doc.contents.get('csl', true));
  return out;
}

function inlineReferences(uri: string, yamlText: string): LoadedBibliography | undefined {
  if (!/^references\s*:/m.test(yamlText)) return undefined;
  const result = parseCslYaml(yamlText);
  const entries = result.value.entries;
  // Errors outside `references:` belong to the front matter, not to the bibliography.
  return { uri, format: 'csl-yaml', entries, byKey: keyMap(entries), errors: result.errors, generation: 0, parseMs: 0 };
}

/** Labels of a draft's project (a LaTeX root and its includes, a Quarto project): label -> where defined. */
export type LabelIndex = Map<string, { uri: string; range: Range }[]>;

export function labelIndex(files: readonly DocumentFacts[]): LabelIndex {
  const index: LabelIndex = new Map();
  for (const f of files) {
    for (const l of f.labels) {
      const list = index.get(l.label);
      if (list) list.push({ uri: f.uri, range: l.range });
      else index.set(l.label, [{ uri: f.uri, range: l.range }]);
    }
  }
  return index;
}
