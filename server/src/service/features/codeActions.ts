/**
 * Quick fixes for Entente's diagnostics. Each reads the diagnostic's `data`, and re-finds its target in
 * the current text before it builds an edit (the document may have changed since the diagnostic was
 * computed): the text at the diagnostic's range must still be what the diagnostic saw, a duplicate entry
 * is found again by key and occurrence in the current parse. When the target is gone, nothing is offered.
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type WorkspaceEdit } from 'vscode-languageserver-types';
import type { BibEntry, BibFormat, Range } from '../model';
import { LineIndex } from '../text';
import { basename } from '../index/paths';
import type { DuplicateKeyData, UndefinedCitationData, UndefinedLabelData } from './diagnostics';
import type { FirstUseData, UndefinedKeyData } from './glossaryDiagnostics';
import type { EmptyKeyData } from './emptyKeyDiagnostics';
import { entryRemoval, stubInsertion } from './bibliographyEdits';
import { findMojibake, type MojibakeData } from '../mojibake';
import type { FactData } from './glossaryFacts';
import { bibliographyAddition, type Declarations } from './declarationEdits';
import { entryCopy } from './entryCopy';

export { stubInsertion } from './bibliographyEdits';

/** A bibliography's current text and the parse of exactly that text. */
export interface CurrentBibliography {
  text: string;
  format: BibFormat;
  byKey: ReadonlyMap<string, readonly BibEntry[]>;
}

export interface CodeActionHost {
  /** Current text of a file (the editor's, or the disk's). */
  readText(uri: string): Promise<string | undefined>;
  /** Current text of a bibliography with its parse; undefined when it cannot be read. */
  bibliography(uri: string): Promise<CurrentBibliography | undefined>;
  /** The workspace's bibliographies outside the draft's scope that define `key`. */
  definedElsewhere(docUri: string, key: string): Promise<string[]>;
  /** What the draft declares (undefined for no draft). */
  declarations(docUri: string): Promise<Declarations | undefined>;
}

/** The client command that reveals a location (the VS Code client registers it; other editors ignore it). */
export const showLocationCommand = 'entente.showLocation';
/** The client command that adds a short form to `entente.glossary.firstUseIgnore`. */
export const ignoreTermCommand = 'entente.ignoreTermOnFirstUse';

type Fix = (docUri: string, d: Diagnostic, current: CodeActionHost) => Promise<CodeAction[]>;

const fixes: Record<string, Fix> = {
  'citation.undefined': undefinedCitationFixes,
  'crossref.undefined': async (docUri, d, current) => {
    const data = d.data as UndefinedLabelData | undefined;
    return data && (await stillReads(current, docUri, d.range, data.label)) ? changeToFixes(docUri, d, data.candidates) : [];
  },
  'bib.duplicate-key': duplicateKeyFixes,
  'citation.empty-key': emptyKeyFixes,
  'bibliography.not-found': createFileFix,
  'glossary.first-use': firstUseFixes,
  'text.mojibake': mojibakeFixes,
  'glossary.fact': async (docUri, d, current) => {
    const data = d.data as FactData | undefined;
    if (!data || !(await stillReads(current, docUri, d.range, data.said))) return [];
    return [{ title: `Change to ${data.replacement}`, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit: replace(docUri, d.range, data.replacement) }];
  },
  'glossary.undefined': async (docUri, d, current) => {
    const data = d.data as UndefinedKeyData | undefined;
    return data && (await stillReads(current, docUri, d.range, data.key)) ? changeToFixes(docUri, d, data.candidates) : [];
  },
};

export async function codeActions(docUri: string, diagnostics: readonly Diagnostic[], host: CodeActionHost): Promise<CodeAction[]> {
  const current = memoized(host);
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    const fix = d.source === 'entente' && typeof d.code === 'string' ? fixes[d.code] : undefined;
    // A fix for the whole file (repair all mangled text) is offered once, however many of its diagnostics are asked about.
    if (fix) for (const action of await fix(docUri, d, current)) if (!(action.diagnostics === undefined && out.some((o) => o.title === action.title))) out.push(action);
  }
  return out;
}

/**
 * "Repair as “Russia’s”", when the run still reads as the diagnostic saw it and its repair can be told; and
 * "Repair all mangled text in this file", every run of the current text that can be repaired, as one edit.
 */
async function mojibakeFixes(docUri: string, d: Diagnostic, current: CodeActionHost): Promise<CodeAction[]> {
  const data = d.data as MojibakeData | undefined;
  if (!data || !(await stillReads(current, docUri, d.range, data.damaged))) return [];
  const out: CodeAction[] = [];
  if (data.repair !== undefined) {
    out.push({ title: `Repair as “${data.repair.replace(/\u00a0/g, '⍽')}”`, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit: replace(docUri, d.range, data.repair) });
  }
  const all = repairAll(docUri, (await current.readText(docUri))!);
  if (all) out.push(all);
  return out;
}

/** The title of the whole-file repair, which the client's "Repair Mangled Text in This File" command looks for. */
export const repairAllTitle = 'Repair all mangled text in this file';

/** One edit repairing every run of mangled text in `text` that can be repaired; undefined when there is none. */
export function repairAll(uri: string, text: string): CodeAction | undefined {
  const runs = findMojibake(text).filter((r) => r.repair !== undefined);
  if (runs.length === 0) return undefined;
  const lines = new LineIndex(text);
  const edits = runs.map((r) => ({ range: lines.range(r.start, r.end), newText: r.repair! }));
  // A quick fix (shown with the others), tied to no one diagnostic.
  return { title: `${repairAllTitle} (${runs.length})`, kind: CodeActionKind.QuickFix, edit: { changes: { [uri]: edits } } };
}

/** "Remove the stray comma", when the comma is still where the diagnostic saw it. */
async function emptyKeyFixes(docUri: string, d: Diagnostic, current: CodeActionHost): Promise<CodeAction[]> {
  const comma = (d.data as EmptyKeyData | undefined)?.comma;
  const text = comma && (await current.readText(docUri));
  if (!comma || text === undefined) return [];
  const lines = new LineIndex(text);
  const start = lines.offsetAt(comma.start);
  if (text[start] !== ',' || lines.offsetAt(comma.end) !== start + 1) return [];
  return [{ title: 'Remove the stray comma', kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit: replace(docUri, comma, '') }];
}

/** The host, each file read (and parsed) once per request. */
function memoized(host: CodeActionHost): CodeActionHost {
  const texts = new Map<string, Promise<string | undefined>>();
  const bibs = new Map<string, Promise<CurrentBibliography | undefined>>();
  return {
    readText: (uri) => texts.get(uri) ?? (texts.set(uri, host.readText(uri)), texts.get(uri)!),
    bibliography: (uri) => bibs.get(uri) ?? (bibs.set(uri, host.bibliography(uri)), bibs.get(uri)!),
    definedElsewhere: (docUri, key) => host.definedElsewhere(docUri, key),
    declarations: (docUri) => host.declarations(docUri),
  };
}

/** Whether the current text of `uri` at `range` is still `expected` (what the diagnostic saw there). */
async function stillReads(current: CodeActionHost, uri: string, range: Range, expected: string): Promise<boolean> {
  const text = await current.readText(uri);
  if (text === undefined) return false;
  const lines = new LineIndex(text);
  const [start, end] = [lines.offsetAt(range.start), lines.offsetAt(range.end)];
  const exact = (offset: number, p: Range['start']) => {
    const q = lines.positionAt(offset);
    return q.line === p.line && q.character === p.character;
  };
  return exact(start, range.start) && exact(end, range.end) && text.slice(start, end) === expected;
}

function replace(uri: string, range: Range, newText: string): WorkspaceEdit {
  return { changes: { [uri]: [{ range, newText }] } };
}

/**
 * For a key another bibliography of the workspace defines: declare that bibliography (preferred), or copy its
 * entry into the draft's own; then the did-you-mean changes; a stub entry last (an empty reference a Zotero
 * export would overwrite).
 */
async function undefinedCitationFixes(docUri: string, d: Diagnostic, current: CodeActionHost): Promise<CodeAction[]> {
  const data = d.data as UndefinedCitationData | undefined;
  if (!data || !(await stillReads(current, docUri, d.range, data.key))) return [];
  const elsewhere = await elsewhereFixes(docUri, d, data, current);
  const out: CodeAction[] = [...elsewhere];
  data.candidates.forEach((c, i) =>
    out.push({
      title: `Change to ${c.key} — ${c.label}`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      isPreferred: i === 0 && elsewhere.length === 0,
      edit: replace(docUri, d.range, c.key),
    }),
  );
  const stub = data.stub && (await current.bibliography(data.stub.uri));
  // A bibliography that defines the key by now needs no stub (it would be a duplicate).
  const edit = stub && !stub.byKey.has(data.key) ? stubInsertion(stub.text, stub.format, data.key) : undefined;
  if (data.stub && edit) {
    out.push({
      title: `Add a stub entry for '${data.key}' to ${basename(data.stub.uri)}`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      edit: { changes: { [data.stub.uri]: [edit] } },
    });
  }
  return out;
}

/** "Add extra.json to this document's bibliography" and "Copy the entry for k from extra.json into refs.bib", for the nearest file defining the key. */
async function elsewhereFixes(docUri: string, d: Diagnostic, data: UndefinedCitationData, current: CodeActionHost): Promise<CodeAction[]> {
  const out: CodeAction[] = [];
  const [other] = await current.definedElsewhere(docUri, data.key);
  const from = other === undefined ? undefined : await current.bibliography(other);
  const entry = from?.byKey.get(data.key)?.[0];
  if (!other || !from || !entry) return out;
  const declarations = await current.declarations(docUri);
  const addition = declarations && (await bibliographyAddition(declarations, other, current.readText));
  if (addition) {
    out.push({
      title: `Add ${basename(other)} to ${addition.what}`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      isPreferred: true,
      edit: { changes: { [addition.uri]: [addition.edit] } },
    });
  }
  const into = data.stub && (await current.bibliography(data.stub.uri));
  const copy = into && !into.byKey.has(data.key) ? entryCopy({ text: from.text, format: from.format, entry }, into) : undefined;
  if (data.stub && copy) {
    out.push({
      title: `Copy the entry for ${data.key} from ${basename(other)} into ${basename(data.stub.uri)}`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      isPreferred: !addition,
      edit: { changes: { [data.stub.uri]: [copy] } },
    });
  }
  return out;
}

/** "Change to X" for each did-you-mean candidate of a diagnostic, the first preferred. */
function changeToFixes(docUri: string, d: Diagnostic, candidates: readonly string[] = []): CodeAction[] {
  return candidates.map((name, i) => ({
    title: `Change to ${name}`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    isPreferred: i === 0,
    edit: replace(docUri, d.range, name),
  }));
}

async function duplicateKeyFixes(docUri: string, d: Diagnostic, current: CodeActionHost): Promise<CodeAction[]> {
  const data = d.data as DuplicateKeyData | undefined;
  const bib = data && (await current.bibliography(docUri));
  const entry = data && bib && (await duplicateEntry(docUri, bib, data, current));
  if (!data || !bib || !entry) return [];
  const first = data.first.uri === docUri ? { uri: docUri, range: bib.byKey.get(data.key)![0].keyRange } : data.first;
  const out: CodeAction[] = [
    {
      title: `Go to the other definition of '${data.key}'`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      command: { title: 'Show definition', command: showLocationCommand, arguments: [first.uri, first.range] },
    },
  ];
  const edit = entryRemoval(bib.text, bib.format, entry);
  if (edit) out.push({ title: `Remove this duplicate entry '${data.key}'`, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: { changes: { [docUri]: [edit] } } });
  return out;
}

/**
 * The duplicate the diagnostic is about, in the current parse: the same occurrence of the key, while the
 * file still has as many entries with it and the key is still defined before it (here or in the other file).
 */
async function duplicateEntry(docUri: string, bib: CurrentBibliography, data: DuplicateKeyData, current: CodeActionHost): Promise<BibEntry | undefined> {
  const entries = bib.byKey.get(data.key) ?? [];
  if (entries.length !== data.count || !entries[data.occurrence]) return undefined;
  if (data.first.uri === docUri) return data.occurrence > 0 ? entries[data.occurrence] : undefined;
  return (await current.bibliography(data.first.uri))?.byKey.has(data.key) ? entries[data.occurrence] : undefined;
}

async function createFileFix(_docUri: string, d: Diagnostic, current: CodeActionHost): Promise<CodeAction[]> {
  const uri = (d.data as { uri?: string } | undefined)?.uri;
  if (!uri || (await current.readText(uri)) !== undefined) return [];
  return [
    {
      title: `Create ${basename(uri)}`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      edit: { documentChanges: [{ kind: 'create', uri, options: { ignoreIfExists: true } }] },
    },
  ];
}

async function firstUseFixes(docUri: string, d: Diagnostic, current: CodeActionHost): Promise<CodeAction[]> {
  const data = d.data as FirstUseData | undefined;
  if (!data) return [];
  const ignore: CodeAction = {
    title: `Treat '${data.short}' as well known (never ask to expand it)`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    command: { title: 'Add to entente.glossary.firstUseIgnore', command: ignoreTermCommand, arguments: [data.short] },
  };
  if (!(await stillReads(current, docUri, d.range, data.used))) return [ignore];
  const expand: CodeAction = {
    title: data.replacement.startsWith('\\') ? `Use ${data.replacement} (glossaries expands it on first use)` : `Expand on first use: ${data.replacement}`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    isPreferred: true,
    edit: replace(docUri, d.range, data.replacement),
  };
  return [expand, ignore];
}
