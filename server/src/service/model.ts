/**
 * The flat facts every feature reads. Parsers produce them, the index stores them,
 * features query them. Nothing here knows about files on disk or the LSP connection.
 */
import type { Range } from 'vscode-languageserver-types';

export type { Range, Position } from 'vscode-languageserver-types';

/** A problem a parser found, at an exact range of the parsed text. Parsers never throw. */
export interface ParseError {
  message: string;
  range: Range;
  /** Stable code, e.g. `bib.syntax`. */
  code: string;
  severity?: 'error' | 'warning';
}

export interface ParseResult<T> {
  value: T;
  errors: ParseError[];
}

export type BibFormat = 'bibtex' | 'csl-json' | 'csl-yaml' | 'ris';

/** A person as CSL names them. */
export interface Name {
  family?: string;
  given?: string;
  /** Particles: "von", "de la"... */
  dropping?: string;
  suffix?: string;
  /** An institution or a name that must not be split ("{NATO}"). */
  literal?: string;
}

/**
 * One bibliography entry, whatever its format. `fields` are plain Unicode text
 * (LaTeX turned into characters, macros expanded) for display and search;
 * `csl` is a CSL-JSON item when the source format is CSL (or after conversion).
 */
export interface BibEntry {
  key: string;
  /** Range of the key itself (what go-to-definition selects). */
  keyRange: Range;
  /** Range of the whole entry, from `@` to the closing brace (or the JSON object...). */
  range: Range;
  /** Lower-case entry type as written: `article`, `book`, `report`, CSL `article-journal`... */
  type: string;
  /** Lower-case field names -> Unicode text, e.g. { title: 'The New Force Model', year: '2022' }. */
  fields: Record<string, string>;
  /** BibTeX only: field values with macros and `#` resolved but LaTeX kept, for citation-js. */
  rawFields?: Record<string, string>;
  /** Authors (or editors when there are no authors), parsed. */
  authors: Name[];
  editors?: Name[];
  /** Four-digit year or undefined. */
  year?: string;
  title?: string;
  /** CSL-JSON item (CSL sources). */
  csl?: Record<string, unknown>;
  /** BibTeX `crossref`/`xdata` parents, resolved for display by the index. */
  crossref?: string;
  xdata?: string[];
}

export interface BibFile {
  format: BibFormat;
  entries: BibEntry[];
  /** BibTeX `@string` macros defined in the file (name lower-case -> value, raw). */
  strings?: Record<string, string>;
}

/** A citation of one key in a document. */
export interface Citation {
  key: string;
  /** Range of the key only (without `@`, braces or commas). */
  range: Range;
  syntax: 'pandoc' | 'latex';
  /** Pandoc `[-@a]`. */
  suppressAuthor?: boolean;
  /** Pandoc `@a` outside brackets (author-in-text). */
  inText?: boolean;
  /** LaTeX: the command name without backslash (`parencite`, `nocite`...). */
  command?: string;
}

/** Where the cursor may complete a citation key. */
export interface CitationCompletionContext {
  /** What is typed of the key so far (may be empty). */
  prefix: string;
  /** The range the completed key replaces (the typed prefix, plus the rest of the key word after the cursor). */
  range: Range;
  syntax: 'pandoc' | 'latex';
}
