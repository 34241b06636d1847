/**
 * "Add extra.json to this document's bibliography": one more bibliography in the declaration a draft reads.
 * YAML (front matter, `_quarto.yml`, `_metadata.yml`, another chapter of a project that declares for all): a
 * scalar becomes a flow list, a list gets one more item in its own style (flow or block). LaTeX: a new
 * `\addbibresource{}` after the last one, or one more name in the last `\bibliography{a,b}`. Each edit is placed by
 * a parse of the declaring file's current text, which must still declare what the draft's scope read, and is
 * checked by parsing its result: the same declarations and the new one last. Otherwise nothing is offered.
 */
import { isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import type { TextEdit } from 'vscode-languageserver-types';
import type { BibliographySource } from '../index/scope';
import { blankOutside, yamlDeclarations, isDraftFile } from '../index/documents';
import { basename, dirname, extname, relativePath, resolvePath } from '../index/paths';
import { findFrontMatter } from '../parsers/drafts/frontMatter';
import { parseLatexStructure } from '../parsers/drafts/latexCitations';
import { LineIndex } from '../text';

/** What a draft declares, as its scope read it. */
export interface Declarations {
  kind: 'markdown' | 'latex';
  docUri: string;
  sources: readonly BibliographySource[];
  /** LaTeX: the project's root (paths are relative to its folder). */
  rootUri?: string;
}

export interface BibliographyAddition {
  /** The file whose declaration is edited. */
  uri: string;
  edit: TextEdit;
  /** "this document's bibliography", "the bibliography of _quarto.yml". */
  what: string;
}

/** The edit declaring `target` too, for the draft of `decl`; undefined when no declaration can take it with certainty. */
export async function bibliographyAddition(decl: Declarations, target: string, readText: (uri: string) => Promise<string | undefined>): Promise<BibliographyAddition | undefined> {
  const declared = decl.sources.filter((s) => s.origin !== 'setting' && s.origin !== 'workspace' && s.declaredIn);
  if (declared.length === 0) return undefined;
  if (decl.kind === 'latex') return latexAddition(decl, declared, target, readText);
  const files = new Set(declared.map((s) => s.declaredIn!));
  const [file] = files;
  // Quarto and pandoc read one file's list; a Makefile's `--bibliography` is not edited.
  if (files.size !== 1 || (!isDraftFile(file) && !['_quarto.yml', '_metadata.yml'].includes(basename(file)))) return undefined;
  const text = await readText(file);
  const dir = dirname(file);
  const path = relativePath(dir, target);
  if (text === undefined || !path || resolvePath(dir, path) !== target) return undefined;
  const yaml = yamlPart(text, file);
  const current = yaml && yamlDeclarations(yaml, new LineIndex(text)).bibliography;
  // The file must still declare exactly what the scope read.
  if (!yaml || !current || !sameUris(current.map((d) => resolvePath(dir, d.path)), declared.map((s) => s.uri))) return undefined;
  const edit = yamlAddition(text, yaml, path);
  if (!edit) return undefined;
  const result = applyEdit(text, edit);
  const resultYaml = yamlPart(result, file);
  const after = resultYaml ? yamlDeclarations(resultYaml, new LineIndex(result)).bibliography.map((d) => d.path) : [];
  if (after.join('\n') !== [...current.map((d) => d.path), path].join('\n')) return undefined;
  return { uri: file, edit, what: file === decl.docUri ? "this document's bibliography" : `the bibliography of ${basename(file)}` };
}

/** The YAML of a file: a draft's front matter (the rest blanked, offsets kept), or a whole `_quarto.yml`. */
function yamlPart(text: string, uri: string): string | undefined {
  if (!isDraftFile(uri)) return text;
  const fm = findFrontMatter(text);
  return fm && blankOutside(text, fm.contentStart, fm.contentEnd);
}

function yamlAddition(text: string, yaml: string, path: string): TextEdit | undefined {
  let doc;
  try {
    doc = parseDocument(yaml, { uniqueKeys: false, prettyErrors: false });
  } catch {
    return undefined;
  }
  if (doc.errors.length) return undefined;
  const node = (doc.contents as { get?: (k: string, keep: boolean) => unknown } | null)?.get?.('bibliography', true) as YamlNode | undefined;
  const lines = new LineIndex(text);
  const at = (offset: number, newText: string, end = offset): TextEdit => ({ range: lines.range(offset, end), newText });
  const value = yamlScalar(path);
  if (isScalar(node) && node.range) {
    const [start, end] = node.range;
    const written = text.slice(start, end);
    // A block scalar or one that a flow list would read otherwise (a comma, brackets) is left alone.
    if (/[\r\n]/.test(written) || /^[|>]/.test(written) || (!/^["']/.test(written) && /[,[\]{}#]/.test(written))) return undefined;
    return at(start, `[${written}, ${value}]`, end);
  }
  if (!isSeq(node) || !node.range || node.items.length === 0) return undefined;
  const last = node.items[node.items.length - 1] as YamlNode;
  if (!last.range) return undefined;
  if (node.flow) return at(last.range[1], `, ${value}`);
  // A block list: a new item line after the last one's, at its `-`'s column.
  const lineStart = text.lastIndexOf('\n', last.range[0] - 1) + 1;
  const dash = /^([ ]*)-[ ]+$/.exec(text.slice(lineStart, last.range[0]));
  if (!dash) return undefined;
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const breakAt = text.indexOf('\n', last.range[1]);
  if (breakAt < 0) return at(text.length, `${nl}${dash[1]}- ${value}`);
  return at(breakAt + 1, `${dash[1]}- ${value}${nl}`);
}

/** A path as a YAML scalar: plain when it reads as itself, else double-quoted (JSON's escapes are YAML's). */
function yamlScalar(path: string): string {
  return /^[\p{L}\p{N}_./~][\p{L}\p{N}_./~+-]*$/u.test(path) ? path : JSON.stringify(path);
}

/**
 * LaTeX: after the project's last `\addbibresource{}` (biblatex), else into its last `\bibliography{}` (BibTeX,
 * without `.bib`). Only a `.bib` file: neither reads CSL-JSON.
 */
async function latexAddition(decl: Declarations, declared: BibliographySource[], target: string, readText: (uri: string) => Promise<string | undefined>): Promise<BibliographyAddition | undefined> {
  if (!decl.rootUri || extname(target) !== '.bib') return undefined;
  const rootDir = dirname(decl.rootUri);
  const path = relativePath(rootDir, target);
  if (!path || resolvePath(rootDir, path) !== target || /[\s,{}%#\\]/.test(path)) return undefined;
  // The commands of each declaring file, in the scope's order of sources.
  const files = [...new Set(declared.map((s) => s.declaredIn!))];
  const parsed = new Map<string, { text: string; bibs: ReturnType<typeof parseLatexStructure>['bibliographies'] }>();
  for (const file of files) {
    const text = await readText(file);
    if (text === undefined) return undefined;
    parsed.set(file, { text, bibs: parseLatexStructure(text).bibliographies });
  }
  const lastOf = (command: string) => {
    for (let i = declared.length - 1; i >= 0; i--) {
      const { text, bibs } = parsed.get(declared[i].declaredIn!)!;
      const found = bibs.filter((b) => b.command === command);
      const b = found[found.length - 1];
      if (b) return { file: declared[i].declaredIn!, text, bib: b };
    }
    return undefined;
  };
  const resource = lastOf('addbibresource');
  const chosen = resource ?? lastOf('bibliography');
  if (!chosen) return undefined;
  const { file, text, bib } = chosen;
  const lines = new LineIndex(text);
  const end = lines.offsetAt(bib.range.end);
  if (resolvePath(rootDir, resource ? bib.path : /\.bib$/i.test(bib.path) ? bib.path : `${bib.path}.bib`) !== declared.find((s) => s.declaredIn === file && s.declaredAt && lines.offsetAt(s.declaredAt.start) === lines.offsetAt(bib.range.start))?.uri) return undefined;
  let edit: TextEdit;
  if (resource) {
    const close = text.indexOf('}', end);
    if (close < 0 || text.slice(end, close).trim()) return undefined;
    const lineStart = text.lastIndexOf('\n', close) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
    const nl = text.includes('\r\n') ? '\r\n' : '\n';
    edit = { range: lines.range(close + 1, close + 1), newText: `${nl}${indent}\\addbibresource{${path}}` };
  } else {
    edit = { range: lines.range(end, end), newText: `,${path.replace(/\.bib$/i, '')}` };
  }
  const before = parseLatexStructure(text).bibliographies.map((b) => b.path);
  const after = parseLatexStructure(applyEdit(text, edit)).bibliographies.map((b) => b.path);
  const expected = resource ? path : path.replace(/\.bib$/i, '');
  if (after.length !== before.length + 1 || !after.includes(expected) || before.some((p) => !after.includes(p))) return undefined;
  return { uri: file, edit, what: file === decl.docUri ? "this document's bibliography" : `the bibliography of ${basename(file)}` };
}

function applyEdit(text: string, edit: TextEdit): string {
  const lines = new LineIndex(text);
  return text.slice(0, lines.offsetAt(edit.range.start)) + edit.newText + text.slice(lines.offsetAt(edit.range.end));
}

function sameUris(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((u, i) => u === b[i]);
}
