/**
 * Glossary diagnostics of a draft.
 *
 * `glossary.first-use`: an acronym used in prose before it is spelled out. Reading order is the
 * text order, and across files when the caller passes one `FirstUseState` to the files of a
 * project in reading order. A term counts as spelled out from the first of:
 * - a mention by a spelling: a form of the term with two or more words that is not built on one of
 *   its acronyms (`New Force Model`, `NATO Response Force`; not `eFP battlegroups`);
 * - `NFM (New Force Model)`: the acronym directly followed by a spelling in parentheses;
 * - `Very High Readiness Joint Task Force (VJTF)` in the writer's own words: the acronym alone in
 *   parentheses after words whose letters spell it (its first letter an initial, the rest in order);
 * - a glossary command that prints the long form on first use or marks the term used
 *   (`\gls{key}`, `\ac{key}`, `\acrfull{key}`, `\acused{key}`, Quarto's `\acr{key}`): glossaries
 *   handles first use there. Short-form commands (`\acrshort`, `\acs`) are not reported.
 * Headings neither count as the first use nor spell a term out (titles are read apart from the
 * text, and style guides ask for the expansion in the body). Only terms whose short form is an
 * acronym are checked (not `Article 5`), and only those with an expansion (or a spelling) to offer.
 * Terms in `ignore` (short form or id; default NATO, EU, UN, US, UK) and common abbreviations (`HQ`, `UAV`: the
 * term's `commonAbbreviation`) are never reported. Only
 * the first use of a term is reported; `data` (`FirstUseData`) has what the quick fix writes.
 *
 * `glossary.undefined` (LaTeX): `\gls{key}` and kin with a key no definition of the project
 * defines; `data` has near keys for did-you-mean fixes.
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { LineIndex } from '../text';
import { closestNames } from '../nearest';
import { isAcronymForm, surfaceForms, type Glossary, type GlossaryTerm, type TermMention } from '../glossary/model';
import { proseView, type DocumentKind, type GlossaryRef, type ProseView } from '../glossary/prose';
import { wholeWord } from '../glossary/senses';

export const DEFAULT_FIRST_USE_IGNORE: readonly string[] = ['NATO', 'EU', 'UN', 'US', 'UK'];

export type GlossarySeverity = 'error' | 'warning' | 'information' | 'hint';

export interface GlossaryDiagnosticOptions {
  /** `glossary.first-use` severity, or `off` (default `information`). */
  firstUse?: GlossarySeverity | 'off';
  /** Short forms or ids never reported by `glossary.first-use`. */
  ignore?: readonly string[];
  /** The document's prose view, when the caller caches it per document version. */
  view?: ProseView;
  /** Reading order across files: the same state, passed to each file of a project in order. */
  state?: FirstUseState;
}

/** Which terms a reader has seen spelled out (or already had reported) so far. */
export interface FirstUseState {
  introduced: Set<string>;
  reported: Set<string>;
}

export function newFirstUseState(): FirstUseState {
  return { introduced: new Set(), reported: new Set() };
}

/** `data` of `glossary.first-use`. */
export interface FirstUseData {
  termId: string;
  short: string;
  expansion: string;
  /** What replaces the diagnostic's range: `New Force Model (NFM)`, or `\gls{nfm}` in LaTeX when the term has a key. */
  replacement: string;
  /** The text the diagnostic's range covered (the quick fix replaces it only while it is still there). */
  used: string;
  key?: string;
}

/** `data` of `glossary.undefined`. */
export interface UndefinedKeyData {
  key: string;
  /** Defined keys close to it, best first. */
  candidates: string[];
}

const source = 'entente';
const severities: Record<GlossarySeverity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Both glossary checks of a draft. */
export function glossaryDiagnostics(text: string, kind: DocumentKind, glossary: Glossary, options: GlossaryDiagnosticOptions = {}): Diagnostic[] {
  const view = options.view ?? proseView(text, kind);
  return [...firstUseDiagnostics(text, kind, glossary, { ...options, view }), ...undefinedKeyDiagnostics(text, kind, glossary, { view })];
}

export function firstUseDiagnostics(text: string, kind: DocumentKind, glossary: Glossary, options: GlossaryDiagnosticOptions = {}): Diagnostic[] {
  if (options.firstUse === 'off') return [];
  const severity = severities[options.firstUse ?? 'hint'] ?? DiagnosticSeverity.Hint;
  const view = options.view ?? proseView(text, kind);
  const state = options.state ?? newFirstUseState();
  const ignore = new Set(options.ignore ?? DEFAULT_FIRST_USE_IGNORE);
  const masked = view.masked;
  type Event = { start: number; mention?: TermMention; ref?: GlossaryRef };
  const events: Event[] = [
    ...glossary.findMentions(masked).map((mention) => ({ start: mention.start, mention })),
    ...view.refs.map((ref) => ({ start: ref.start, ref })),
  ].sort((a, b) => a.start - b.start);
  const inHeading = headingTest(view.headings);
  const out: Diagnostic[] = [];
  let lines: LineIndex | undefined;
  events.forEach((e, idx) => {
    if (inHeading(e.start)) return;
    if (e.ref) {
      const term = glossary.byKey(e.ref.key);
      if (term && e.ref.introduces) state.introduced.add(term.id);
      return;
    }
    const m = e.mention!;
    const term = m.term;
    if (state.introduced.has(term.id) || state.reported.has(term.id) || !isAcronymForm(term.short)) return;
    if (term.commonAbbreviation || ignore.has(term.short) || ignore.has(term.id)) return;
    const role = formRole(m.form, term);
    if (role === 'spelling') state.introduced.add(term.id);
    if (role !== 'use') return;
    const next = events[idx + 1]?.mention;
    const spelledAfter = next && next.term === term && formRole(next.form, term) === 'spelling' && /^\s*[([]\s*$/.test(masked.slice(m.end, next.start));
    if (spelledAfter || ownExpansionBefore(masked, m)) {
      state.introduced.add(term.id);
      return;
    }
    const expansion = term.firstUse ?? term.expansion ?? surfaceForms(term).find((f) => formRole(f, term) === 'spelling');
    if (!expansion) return;
    state.reported.add(term.id);
    // A form that holds the acronym with other words ("eFP battlegroups"): the note and its fix are about the acronym.
    const at = kind === 'latex' && term.key ? -1 : acronymWithin(text.slice(m.start, m.end - m.suffix.length), term.short);
    const { start, end, suffix } = at < 0 ? m : { start: m.start + at, end: m.start + at + term.short.length, suffix: '' };
    const used = text.slice(start, end);
    const base = used.slice(0, used.length - suffix.length);
    const replacement =
      kind === 'latex' && term.key
        ? `\\${suffix === 's' ? 'glspl' : 'gls'}{${term.key}}`
        : term.firstUse
          ? `${term.firstUse}${suffix}`
          : suffix === 's'
            ? `${expansion}s (${used})`
            : `${expansion} (${base})${suffix}`;
    const data: FirstUseData = { termId: term.id, short: term.short, expansion, replacement, used, ...(term.key ? { key: term.key } : {}) };
    lines ??= new LineIndex(text);
    out.push({
      range: lines.range(start, end),
      severity,
      code: 'glossary.first-use',
      source,
      message: `"${base}" is used before it is spelled out; on first use write "${term.firstUse ?? `${expansion} (${term.short})`}".`,
      data,
    });
  });
  return out;
}

/** Where the acronym stands as a word in a longer form (`eFP` in "eFP battlegroups"), or -1. */
function acronymWithin(written: string, short: string): number {
  if (written === short) return -1;
  return wholeWord(short).exec(written)?.index ?? -1;
}

export function undefinedKeyDiagnostics(text: string, kind: DocumentKind, glossary: Glossary, options: { view?: ProseView } = {}): Diagnostic[] {
  if (kind !== 'latex') return [];
  const view = options.view ?? proseView(text, kind);
  const keys = glossary.keyedTerms().map((t) => t.key!);
  const out: Diagnostic[] = [];
  let lines: LineIndex | undefined;
  for (const ref of view.refs) {
    if (!ref.key || ref.key.startsWith('#') || glossary.byKey(ref.key)) continue;
    lines ??= new LineIndex(text);
    const data: UndefinedKeyData = { key: ref.key, candidates: nearKeys(ref.key, keys) };
    const hint = data.candidates.length ? ` Did you mean \`${data.candidates[0]}\`?` : '';
    out.push({
      range: lines.range(ref.keyStart, ref.keyEnd),
      severity: DiagnosticSeverity.Error,
      code: 'glossary.undefined',
      source,
      message: `No glossary entry \`${ref.key}\` is defined (\\newacronym, \\newglossaryentry, \\DeclareAcronym...).${hint}`,
      data,
    });
  }
  return out;
}

/**
 * The role of a surface form for first use: an acronym form, or a form built on one of the term's
 * acronyms (`eFP battlegroups`), is a `use`; a form of two or more other words is a `spelling`.
 */
function formRole(form: string, term: GlossaryTerm): 'use' | 'spelling' | 'neutral' {
  if (term.firstUse && form.toLowerCase() === term.firstUse.toLowerCase()) return 'spelling';
  if (isAcronymForm(form)) return 'use';
  const acronyms = new Set(surfaceForms(term).filter(isAcronymForm));
  const words = form.split(/\s+/);
  if (words.some((w) => acronyms.has(w.replace(/['’]s$/, '')))) return 'use';
  return words.filter((w) => !isAcronymForm(w)).length >= 2 ? 'spelling' : 'neutral';
}

/** `Very High Readiness Joint Task Force (VJTF)`: the acronym alone in parentheses after words that spell it. */
function ownExpansionBefore(masked: string, m: TermMention): boolean {
  if (!/^\s*\)/.test(masked.slice(m.end, m.end + 3))) return false;
  let open = m.start - 1;
  while (open >= 0 && /\s/.test(masked[open])) open--;
  if (masked[open] !== '(') return false;
  const letters = [...masked.slice(m.start, m.end - m.suffix.length).toLowerCase()].filter((c) => /\p{L}/u.test(c));
  if (letters.length < 2) return false;
  const before = masked.slice(Math.max(0, open - 300), open);
  const words = before.split(/[\s\-‐–—/]+/).filter((w) => /\p{L}/u.test(w)).slice(-(letters.length + 4));
  for (let k = words.length - 1; k >= 0; k--) {
    if (words[k][0]?.toLowerCase() !== letters[0]) continue;
    const rest = words.slice(k).join(' ').toLowerCase();
    let i = 1;
    for (let j = 1; j < rest.length && i < letters.length; j++) if (rest[j] === letters[i]) i++;
    if (i === letters.length) return true;
  }
  return false;
}

function headingTest(headings: readonly [number, number][]): (offset: number) => boolean {
  return (offset) => {
    let lo = 0;
    let hi = headings.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [s, e] = headings[mid];
      if (offset < s) hi = mid - 1;
      else if (offset >= e) lo = mid + 1;
      else return true;
    }
    return false;
  };
}

/** Defined keys within a small edit distance of `key` (and at most 3 characters longer or shorter), best first, at most 3. */
function nearKeys(key: string, keys: readonly string[]): string[] {
  return closestNames(key, keys, Math.max(1, Math.floor(key.length / 3)), 3);
}
