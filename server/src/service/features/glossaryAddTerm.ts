/**
 * "Add 'ESSI' to the project glossary": a code action on an acronym the glossary does not know, which
 * creates or extends the project's glossary file with an exact edit.
 *
 * What counts as an unknown acronym, so that no noise appears: no diagnostic is ever shown (drafts are
 * full of acronyms nobody needs defined: GDP, USA, OK); the action is offered only where the writer's
 * cursor is, on a word in prose (not code, math, a heading or a citation key) written as an acronym
 * (two capitals or more, at most 10 characters, not a Roman numeral), that `entente.glossary.firstUseIgnore`
 * does not list, and that the draft spells out somewhere ("European Sky Shield Initiative (ESSI)"): the entry
 * then holds the writer's own expansion, a complete and valid term. The glossary must not know it, or know it
 * only as a built-in term the draft's expansion shows it does not mean ("European Development Fund (EDF)"):
 * the project term then overrides it. An acronym the draft never spells out gets nothing: there is nothing
 * right to write.
 */
import { isMap, isSeq, parseDocument, type Node, type YAMLSeq } from 'yaml';
import { formKey, isAcronymForm, surfaceForms, type Glossary } from '../glossary/model';
import { spelledOut } from '../glossary/senses';
import type { ProseView } from '../glossary/prose';

/** An acronym under the cursor that the glossary lacks, with the expansion the draft gives it. */
export interface UnknownAcronym {
  short: string;
  expansion: string;
  start: number;
  end: number;
}

const roman = /^[IVXLCDM]+$/;

/** The unknown acronym at `offset` of the draft's prose view, if the draft spells it out. */
export function unknownAcronymAt(view: ProseView, offset: number, glossary: Glossary, ignore: readonly string[]): UnknownAcronym | undefined {
  const text = view.masked;
  const isWord = (c: string | undefined) => !!c && /[\p{L}\p{N}&/-]/u.test(c);
  let start = offset;
  let end = offset;
  while (start > 0 && isWord(text[start - 1]) && offset - start < 12) start--;
  while (end < text.length && isWord(text[end]) && end - offset < 12) end++;
  const short = text.slice(start, end).replace(/^[-/&]+|[-/&]+$/g, '');
  start = text.indexOf(short, start);
  end = start + short.length;
  if (short.length < 2 || short.length > 10 || !/^\p{Lu}/u.test(short) || !isAcronymForm(short) || roman.test(short)) return undefined;
  if (view.headings.some(([s, e]) => s <= start && start < e)) return undefined;
  if (ignore.includes(short)) return undefined;
  const expansion = spelledOut(text).get(short)?.[0];
  if (!expansion) return undefined;
  // A built-in term the draft's own expansion shows it does not mean ("European Development Fund (EDF)") may be
  // overridden by a project term; a project term is the writer's already.
  const known = glossary.lookup(short);
  if (known && (known.origin !== 'builtin' || surfaceForms(known).some((f) => formKey(f) === formKey(expansion)))) return undefined;
  if (known && glossary.findMentions(text, start, end).some((m) => m.start <= start && end <= m.end)) return undefined;
  return { short, expansion, start, end };
}

/** A short form as YAML writes it: plain when it can be, else quoted. */
function yamlScalar(s: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9 &/().-]*$/.test(s) && !/\s$/.test(s) ? s : JSON.stringify(s);
}

/**
 * The insertion that adds the term to a glossary file's text (undefined: a new file's whole text), or nothing when
 * the file's shape cannot take it exactly (a flow list, a JSON file, a broken file).
 */
export function termInsertion(text: string | undefined, term: { short: string; expansion: string }): { offset: number; newText: string } | undefined {
  const fields = [`short: ${yamlScalar(term.short)}`, `expansion: ${JSON.stringify(term.expansion)}`];
  const fresh = `terms:\n  - ${fields.join('\n    ')}\n`;
  if (text === undefined) return { offset: 0, newText: fresh };
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length) return undefined;
  const root = doc.contents as Node | null;
  // Nothing but comments or blank lines: the list goes after them.
  if (root === null) return { offset: text.length, newText: `${text === '' || text.endsWith('\n') ? '' : '\n'}${fresh}` };
  const atEnd = (node: Node, item: string) => {
    const end = node.range?.[1] ?? text.length;
    // After the line where the list or map ends.
    const lineEnd = text.indexOf('\n', Math.max(0, end - 1));
    const offset = lineEnd < 0 ? text.length : lineEnd + 1;
    return { offset, newText: `${lineEnd < 0 ? '\n' : ''}${item}` };
  };
  const listItem = (seq: YAMLSeq) => {
    const first = seq.items[0] as Node | undefined;
    if (seq.flow || !first?.range) return undefined;
    const line = text.lastIndexOf('\n', first.range[0] - 1) + 1;
    const indent = /^ */.exec(text.slice(line))![0];
    const dash = text.indexOf('-', line) - line;
    if (dash < indent.length || text.slice(line + indent.length, line + dash).trim()) return undefined;
    const inner = ' '.repeat(first.range[0] - line - dash - 1);
    return atEnd(seq, `${' '.repeat(dash)}-${inner}${fields.join(`\n${' '.repeat(first.range[0] - line)}`)}\n`);
  };
  if (isMap(root)) {
    const terms = root.get('terms', true) as Node | undefined;
    if (root.has('terms')) return isSeq(terms) && terms.items.length ? listItem(terms) : undefined;
    if (root.flow || !root.items.length) return undefined;
    const key = root.items[0].key as Node | undefined;
    const line = key?.range ? text.lastIndexOf('\n', key.range[0] - 1) + 1 : 0;
    const indent = key?.range ? ' '.repeat(key.range[0] - line) : '';
    return atEnd(root, `${indent}${yamlScalar(term.short)}: { expansion: ${JSON.stringify(term.expansion)} }\n`);
  }
  if (isSeq(root) && root.items.length) return listItem(root);
  return undefined;
}
