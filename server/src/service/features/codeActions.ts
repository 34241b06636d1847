/** Quick fixes for Entente's diagnostics; each reads the diagnostic's `data`, never re-analyses. */
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver-types';
import type { Range } from '../model';
import { LineIndex } from '../text';
import { basename } from '../index/paths';
import type { DuplicateKeyData, UndefinedCitationData, UndefinedLabelData } from './diagnostics';
import type { FirstUseData, UndefinedKeyData } from './glossaryDiagnostics';
import type { EmptyKeyData } from './emptyKeyDiagnostics';

export interface CodeActionHost {
  /** Current text of a file (the editor's, or the disk's), for exact insertions. */
  readText(uri: string): Promise<string | undefined>;
}

/** The client command that reveals a location (the VS Code client registers it; other editors ignore it). */
export const showLocationCommand = 'entente.showLocation';
/** The client command that adds a short form to `entente.glossary.firstUseIgnore`. */
export const ignoreTermCommand = 'entente.ignoreTermOnFirstUse';

export async function codeActions(docUri: string, diagnostics: readonly Diagnostic[], host: CodeActionHost): Promise<CodeAction[]> {
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    if (d.source !== 'entente') continue;
    switch (d.code) {
      case 'citation.undefined':
        out.push(...(await undefinedCitationFixes(docUri, d, host)));
        break;
      case 'crossref.undefined':
        out.push(...undefinedLabelFixes(docUri, d));
        break;
      case 'bib.duplicate-key':
        out.push(...(await duplicateKeyFixes(docUri, d, host)));
        break;
      case 'citation.empty-key':
        out.push(...(await emptyKeyFixes(docUri, d, host)));
        break;
      case 'bibliography.not-found':
        out.push(createFileFix(d));
        break;
      case 'glossary.first-use':
        out.push(...firstUseFixes(docUri, d));
        break;
      case 'glossary.undefined':
        out.push(...undefinedTermKeyFixes(docUri, d));
        break;
    }
  }
  return out;
}

function replace(uri: string, range: Range, newText: string): WorkspaceEdit {
  return { changes: { [uri]: [{ range, newText }] } };
}

async function undefinedCitationFixes(docUri: string, d: Diagnostic, host: CodeActionHost): Promise<CodeAction[]> {
  const data = d.data as UndefinedCitationData | undefined;
  if (!data) return [];
  const out: CodeAction[] = data.candidates.map((c, i) => ({
    title: `Change to ${c.key} — ${c.label}`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    isPreferred: i === 0,
    edit: replace(docUri, d.range, c.key),
  }));
  if (data.stub) {
    const text = await host.readText(data.stub.uri);
    const edit = text === undefined ? undefined : stubInsertion(text, data.stub.format, data.key);
    if (edit) {
      out.push({
        title: `Add a stub entry for '${data.key}' to ${basename(data.stub.uri)}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        edit: { changes: { [data.stub.uri]: [edit] } },
      });
    }
  }
  return out;
}

/** An exact insertion of an empty entry for `key` at the right place of a bibliography in `format`. */
export function stubInsertion(text: string, format: string, key: string): TextEdit | undefined {
  const lines = new LineIndex(text);
  const end = lines.positionAt(text.length);
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const lead = text.length === 0 || text.endsWith('\n') ? '' : nl;
  const block = (rows: string[]) => rows.join(nl) + nl;
  switch (format) {
    case 'bibtex':
      return { range: { start: end, end }, newText: `${lead}${text.trim() ? nl : ''}${block([`@misc{${key},`, '  author = {},', '  title = {},', '  year = {},', '}'])}` };
    case 'ris':
      return { range: { start: end, end }, newText: `${lead}${block(['TY  - GEN', `ID  - ${key}`, 'TI  - ', 'ER  - '])}` };
    case 'csl-json': {
      const close = text.lastIndexOf(']');
      if (close < 0) return undefined;
      const lastObject = text.lastIndexOf('}', close);
      const open = text.lastIndexOf('[', close);
      const empty = lastObject < open;
      const at = empty ? open + 1 : lastObject + 1;
      const item = `{${nl}    "id": ${JSON.stringify(key)},${nl}    "type": "document",${nl}    "title": ""${nl}  }`;
      const pos = lines.positionAt(at);
      return { range: { start: pos, end: pos }, newText: empty ? `${nl}  ${item}${nl}` : `,${nl}  ${item}` };
    }
    case 'csl-yaml': {
      const items = [...text.matchAll(/^([ \t]*)- +id *:/gm)];
      const indent = items.length ? items[items.length - 1][1] : /^references\s*:/m.test(text) ? '  ' : '';
      return { range: { start: end, end }, newText: `${lead}${block([`${indent}- id: ${key}`, `${indent}  type: document`, `${indent}  title: ""`])}` };
    }
    default:
      return undefined;
  }
}

function undefinedLabelFixes(docUri: string, d: Diagnostic): CodeAction[] {
  return changeToFixes(docUri, d, (d.data as UndefinedLabelData | undefined)?.candidates);
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

async function duplicateKeyFixes(docUri: string, d: Diagnostic, host: CodeActionHost): Promise<CodeAction[]> {
  const data = d.data as DuplicateKeyData | undefined;
  if (!data) return [];
  const out: CodeAction[] = [
    {
      title: `Go to the other definition of '${data.key}'`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      command: { title: 'Show definition', command: showLocationCommand, arguments: [data.first.uri, data.first.range] },
    },
  ];
  const text = await host.readText(docUri);
  if (text !== undefined) {
    out.push({
      title: `Remove this duplicate entry '${data.key}'`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      edit: replace(docUri, wholeLines(text, data.entryRange), ''),
    });
  }
  return out;
}

/** "Remove the stray comma", when the comma is still where the diagnostic saw it. */
async function emptyKeyFixes(docUri: string, d: Diagnostic, host: CodeActionHost): Promise<CodeAction[]> {
  const comma = (d.data as EmptyKeyData | undefined)?.comma;
  const text = comma && (await host.readText(docUri));
  if (!comma || text === undefined) return [];
  const lines = new LineIndex(text);
  const start = lines.offsetAt(comma.start);
  if (text[start] !== ',' || lines.offsetAt(comma.end) !== start + 1) return [];
  return [{ title: 'Remove the stray comma', kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit: replace(docUri, comma, '') }];
}

/** The range widened to whole lines when nothing else stands on them (so removal leaves no blank line). */
function wholeLines(text: string, range: Range): Range {
  const lines = new LineIndex(text);
  const start = lines.offsetAt(range.start);
  const end = lines.offsetAt(range.end);
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const nextBreak = text.indexOf('\n', end);
  const lineEnd = nextBreak < 0 ? text.length : nextBreak + 1;
  const before = text.slice(lineStart, start);
  const after = text.slice(end, lineEnd);
  if (before.trim() || after.trim()) return range;
  return lines.range(lineStart, lineEnd);
}

function createFileFix(d: Diagnostic): CodeAction {
  const uri = (d.data as { uri: string }).uri;
  return {
    title: `Create ${basename(uri)}`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    edit: { documentChanges: [{ kind: 'create', uri, options: { ignoreIfExists: true } }] },
  };
}

function firstUseFixes(docUri: string, d: Diagnostic): CodeAction[] {
  const data = d.data as FirstUseData | undefined;
  if (!data) return [];
  return [
    {
      title: data.replacement.startsWith('\\') ? `Use ${data.replacement} (glossaries expands it on first use)` : `Expand on first use: ${data.replacement}`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      isPreferred: true,
      edit: replace(docUri, d.range, data.replacement),
    },
    {
      title: `Treat '${data.short}' as well known (never ask to expand it)`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      command: { title: 'Add to entente.glossary.firstUseIgnore', command: ignoreTermCommand, arguments: [data.short] },
    },
  ];
}

function undefinedTermKeyFixes(docUri: string, d: Diagnostic): CodeAction[] {
  return changeToFixes(docUri, d, (d.data as UndefinedKeyData | undefined)?.candidates);
}
