/**
 * LaTeX glossary definitions, as project terms (origin `latex`, `key` = the label of `\gls{key}`):
 * - glossaries: `\newacronym[opts]{key}{short}{long}`, `\newabbreviation[opts]{key}{short}{long}`
 *   (opts `description=`, `shortplural=`, `longplural=`), `\newglossaryentry{key}{name=..., description=...,
 *   first=..., plural=..., short=..., long=...}`, `\provideglossaryentry`, `\longnewglossaryentry{key}{fields}{description}`;
 * - acro: `\DeclareAcronym{key}{short = ..., long = ..., short-plural = ..., long-plural = ..., alt = ...}`;
 * - acronym: `\acro{key}[short]{long}`, `\newacro`, `\acrodef`.
 * Values may be braced, hold commas and braces inside braces, and span lines; `%` comments are
 * skipped, and so are verbatim environments. Values are turned into plain text (`latexToUnicode`).
 * Never throws: a broken definition is a `glossary.syntax` error at the exact place (an unclosed
 * `{`, a missing argument or field) and scanning goes on after it (an unclosed group ends at a
 * blank line, except in `\longnewglossaryentry`'s description).
 */
import type { ParseError, ParseResult } from '../model';
import { escapeRegExp, LineIndex } from '../text';
import { latexToUnicode } from '../parsers/bibliography/latexToUnicode';
import { lineEnd, skipSpace, walk } from '../parsers/drafts/latexLexer';
import type { GlossaryTerm } from './model';

type Shape = 'acronym' | 'entry' | 'longEntry' | 'acro' | 'acronymPkg';
const definers = new Map<string, Shape>([
  ['newacronym', 'acronym'],
  ['newabbreviation', 'acronym'],
  ['newglossaryentry', 'entry'],
  ['provideglossaryentry', 'entry'],
  ['longnewglossaryentry', 'longEntry'],
  ['longprovideglossaryentry', 'longEntry'],
  ['DeclareAcronym', 'acro'],
  ['acro', 'acronymPkg'],
  ['newacro', 'acronymPkg'],
  ['acrodef', 'acronymPkg'],
]);

interface Arg {
  /** Content offsets (inside the delimiters). */
  start: number;
  end: number;
  /** After the closer, or where an unclosed group stopped. */
  next: number;
  closed: boolean;
}

interface Field {
  value: string;
  start: number;
  end: number;
}

export function parseLatexGlossary(text: string, uri?: string): ParseResult<GlossaryTerm[]> {
  const p = new LatexGlossaryParser(text, uri);
  try {
    p.run();
  } catch {
    // Parsers never throw: the terms read so far count.
  }
  return { value: p.value, errors: p.errors };
}

class LatexGlossaryParser {
  readonly value: GlossaryTerm[] = [];
  readonly errors: ParseError[] = [];
  private readonly lines: LineIndex;

  constructor(private readonly text: string, private readonly uri?: string) {
    this.lines = new LineIndex(text);
  }

  /** Every definition command outside comments and verbatim text (the walk the LaTeX parsers share). */
  run(): void {
    walk(this.text, (name, after) => {
      const shape = definers.get(name);
      return shape ? Math.max(after, this.definition(after - name.length - 1, name, after, shape)) : after;
    });
  }

  private definition(start: number, name: string, after: number, shape: Shape): number {
    const t = this.text;
    const fail = (message: string, at: [number, number] = [start, after]) => {
      this.errors.push({ message, range: this.lines.range(at[0], at[1]), code: 'glossary.syntax', severity: 'error' });
    };
    const args: (Arg | undefined)[] = [];
    const want = (open: '{' | '[', optional: boolean, long = false): boolean => {
      const from = args.length ? args[args.length - 1]!.next : after;
      const a = this.arg(from, open, long);
      if (!a) {
        if (!optional) fail(`\\${name}: missing ${open === '{' ? '{argument}' : '[argument]'}; expected ${usage(shape, name)}`);
        args.push(optional ? { start: from, end: from, next: from, closed: true } : undefined);
        return optional;
      }
      args.push(a);
      if (!a.closed) fail(`\\${name}: unclosed \`${open}\``, [a.start - 1, a.start]);
      return a.closed;
    };
    const ok =
      shape === 'acronym'
        ? want('[', true) && want('{', false) && want('{', false) && want('{', false)
        : shape === 'acronymPkg'
          ? want('{', false) && want('[', true) && want('{', false)
          : shape === 'longEntry'
            ? want('{', false) && want('{', false) && want('{', false, true)
            : want('{', false) && want('{', false);
    const last = [...args].reverse().find((a) => a !== undefined);
    const end = last ? last.next : after;
    if (!ok) return end;
    const keyArg = shape === 'acronym' ? args[1]! : args[0]!;
    const key = t.slice(keyArg.start, keyArg.end).trim();
    const keyStart = keyArg.start + (t.slice(keyArg.start, keyArg.end).length - t.slice(keyArg.start, keyArg.end).trimStart().length);
    const keyRange: [number, number] = [keyStart, keyStart + key.length];
    if (!key) {
      fail(`\\${name}: empty key`, [keyArg.start - 1, keyArg.next]);
      return end;
    }
    const clean = (s: string | undefined) => (s === undefined ? undefined : latexToUnicode(s).replace(/\s+/g, ' ').trim() || undefined);
    const raw = (a: Arg) => t.slice(a.start, a.end);
    let short: string | undefined;
    let expansion: string | undefined;
    let definition: string | undefined;
    const forms: string[] = [];
    if (shape === 'acronym') {
      const opts = this.fields(args[0]!);
      short = clean(raw(args[2]!));
      expansion = clean(raw(args[3]!));
      definition = clean(opts.get('description')?.value);
      for (const f of ['shortplural', 'longplural']) if (opts.has(f)) forms.push(clean(opts.get(f)!.value) ?? '');
      if (!short) return fail(`\\${name}{${key}}: empty short form`, [args[2]!.start - 1, args[2]!.next]), end;
    } else if (shape === 'acronymPkg') {
      short = clean(args[1]!.end > args[1]!.start ? raw(args[1]!) : key);
      expansion = clean(raw(args[2]!));
    } else if (shape === 'acro') {
      const f = this.fields(args[1]!);
      short = clean(f.get('short')?.value);
      expansion = clean(f.get('long')?.value);
      for (const k of ['short-plural', 'long-plural', 'alt']) if (f.has(k)) forms.push(clean(f.get(k)!.value) ?? '');
      definition = clean(f.get('extra')?.value);
      if (!short || !expansion) return fail(`\\DeclareAcronym{${key}}: needs \`short\` and \`long\``, keyRange), end;
    } else {
      const f = this.fields(args[1]!);
      const name_ = clean(f.get('name')?.value);
      short = clean(f.get('short')?.value) ?? name_;
      expansion = clean(f.get('long')?.value);
      definition = shape === 'longEntry' ? clean(raw(args[2]!)) : clean(f.get('description')?.value);
      const first = clean(f.get('first')?.value);
      if (!expansion && first && short) {
        const m = new RegExp(`^(.+?)\\s*\\(\\s*${escapeRegExp(short)}\\s*\\)$`).exec(first);
        if (m) expansion = m[1];
      }
      for (const k of ['plural', 'text']) {
        const v = clean(f.get(k)?.value);
        if (v && v !== short) forms.push(v);
      }
      if (!short) return fail(`\\${name}{${key}}: no \`name\``, keyRange), end;
      if (!definition && !expansion) return fail(`\\${name}{${key}}: no \`description\``, keyRange), end;
    }
    if (!expansion && !definition) return fail(`\\${name}{${key}}: empty long form`, keyRange), end;
    this.value.push({
      id: key,
      key,
      short: short!,
      forms: forms.filter((f) => f && f !== short),
      expansion,
      definition,
      origin: 'latex',
      uri: this.uri,
      range: this.lines.range(keyRange[0], keyRange[1]),
      fullRange: this.lines.range(start, end),
    });
    return end;
  }

  /** The `{...}` or `[...]` argument after spaces and comments (at most one line break), or undefined. */
  private arg(i: number, open: '{' | '[', long: boolean): Arg | undefined {
    const t = this.text;
    // skipSpace stops at a second line break: then no argument follows.
    i = skipSpace(t, i);
    if (t[i] !== open) return undefined;
    const close = open === '{' ? '}' : ']';
    let depth = 0;
    let braces = 0;
    for (let j = i; j < t.length; j++) {
      const c = t[j];
      if (c === '\\') j++;
      else if (c === '%') j = lineEnd(t, j) - 1;
      else if (c === '\n' && !long && /^\n[ \t\r]*\n/.test(t.slice(j, j + 40))) return { start: i + 1, end: j, next: j, closed: false };
      else if (open === '[' && c === '{') braces++;
      else if (open === '[' && c === '}') braces--;
      else if (braces === 0 && c === open) depth++;
      else if (braces === 0 && c === close && --depth === 0) return { start: i + 1, end: j, next: j + 1, closed: true };
    }
    return { start: i + 1, end: t.length, next: t.length, closed: false };
  }

  /** `key = value, key = {a, b}` -> fields (names lower-cased), values unbraced, comments dropped. */
  private fields(a: Arg): Map<string, Field> {
    const t = this.text;
    const out = new Map<string, Field>();
    let itemStart = a.start;
    let depth = 0;
    for (let j = a.start; j <= a.end; j++) {
      const c = t[j];
      if (j < a.end && c === '\\') j++;
      else if (j < a.end && c === '%') j = Math.min(lineEnd(t, j), a.end) - 1;
      else if (j < a.end && c === '{') depth++;
      else if (j < a.end && c === '}') depth--;
      else if (j === a.end || (c === ',' && depth === 0)) {
        this.field(itemStart, j, out);
        itemStart = j + 1;
      }
    }
    return out;
  }

  private field(start: number, end: number, out: Map<string, Field>): void {
    const item = this.text.slice(start, end).replace(/(?<!\\)%[^\n]*/g, '');
    const eq = item.indexOf('=');
    if (eq < 0) return;
    const name = item.slice(0, eq).trim().toLowerCase();
    let value = item.slice(eq + 1).trim();
    if (value.startsWith('{') && value.endsWith('}') && balanced(value.slice(1, -1))) value = value.slice(1, -1);
    if (name) out.set(name, { value, start: start + eq + 1, end });
  }
}

function usage(shape: Shape, name: string): string {
  switch (shape) {
    case 'acronym':
      return `\\${name}[options]{key}{short}{long}`;
    case 'acronymPkg':
      return `\\${name}{key}[short]{long}`;
    case 'longEntry':
      return `\\${name}{key}{fields}{description}`;
    case 'acro':
      return `\\${name}{key}{short = ..., long = ...}`;
    default:
      return `\\${name}{key}{name = ..., description = ...}`;
  }
}

function balanced(s: string): boolean {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '{') depth++;
    else if (s[i] === '}' && --depth < 0) return false;
  }
  return depth === 0;
}
