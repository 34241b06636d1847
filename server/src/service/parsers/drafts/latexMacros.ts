/**
 * The citation commands a project defines for itself, learned from their definitions (a preamble, an
 * `\input` file, a `.sty`/`.cls` beside the root):
 *   `\def\citeapos#1{\citeauthor{#1}'s (\citeyear{#1})}`, `\newcommand{\pcite}[1]{\citep{#1}}`,
 *   `\newcommand*\pcite[2][]{\citep[#1]{#2}}` (`\renewcommand`, `\providecommand`, `\DeclareRobustCommand`),
 *   `\NewDocumentCommand{\pcite}{o m}{\citep[#1]{#2}}` (xparse), `\let\mycite\citep` (`\NewCommandCopy`,
 *   `\LetLtxMacro`), biblatex's `\DeclareCiteCommand{\mycite}...` (the new command reads like `\cite`) and
 *   `\DeclareMultiCiteCommand`, multibib's `\newcites{app}{Title}` (`\citeapp`, `\citepapp`, `\citetapp`,
 *   `\citealpapp`, `\citealtapp`, `\nociteapp`; its `\bibliographyapp{x}` is read by `parseLatexStructure`).
 *
 * `parseMacroDefinitions` reads the definitions of one text (facts of that text); `resolveCiteMacros`
 * decides, over the definitions of a whole project, which macros cite: a macro whose body passes one of its
 * parameters `#n` into the keys of a citation command (built-in, or a macro learned in an earlier round: a
 * macro wrapping another is followed up to `MAX_ROUNDS` levels) cites that parameter.
 *
 * Decisions (when unsure, learn nothing):
 * - A definition with parameters TeX delimits by text (`\def\x#1.{...}`), an `\edef`, or an xparse argument
 *   type other than `s t o O d D m` teaches nothing; nor does a redefinition of a built-in citation command.
 * - The last definition of a name wins (`\providecommand` only when nothing else defines it).
 * - Bounded: `MAX_DEFINITIONS` per text, bodies up to `MAX_BODY` characters, `MAX_LEARNED` macros per project.
 */
import { groupEnd, isLetter, skipSpace, walk } from './latexLexer';
import { braceArgument, builtinCiteCommands, citeArguments, type CiteCommands, type CiteReader, type MacroParam } from './latexCiteArguments';

export interface MacroDefinition {
  /** The command defined, without its backslash. */
  name: string;
  params: MacroParam[];
  /** What the command expands to (a `\def`, `\newcommand`...). */
  body?: string;
  /** `\let\name\target`: the command it copies. */
  copyOf?: string;
  /** `\DeclareCiteCommand` (reads like `\cite`), `\DeclareMultiCiteCommand` (like `\cites`). */
  citeKind?: 'single' | 'multi';
  /** `\providecommand`: defines only what nothing else defines. */
  provide?: boolean;
  /** A command multibib's `\newcites{suffix}` makes. */
  multibibSuffix?: string;
  /** Not a command: an environment whose body LaTeX reads verbatim (`\DefineVerbatimEnvironment{code}`...). */
  verbatimEnvironment?: boolean;
}

/** Commands that define a verbatim environment from their first argument. */
const verbatimDefiners = new Set(['DefineVerbatimEnvironment', 'lstnewenvironment', 'newtcblisting', 'renewtcblisting', 'NewTCBListing', 'DeclareTCBListing']);
/** What, in a `\newenvironment`'s opening code, makes its body verbatim (moreverb, fancyvrb, listings, comment). */
const verbatimStarts = /\\(?:verbatim|verbatimwrite|Verbatim|VerbatimEnvironment|lstlisting|minted|comment|BVerbatim|LVerbatim)\b/;

/** The names of the verbatim environments these definitions make. */
export function verbatimEnvironmentsOf(definitions: readonly MacroDefinition[]): string[] {
  return definitions.filter((d) => d.verbatimEnvironment).map((d) => d.name);
}

export const MAX_DEFINITIONS = 2000;
export const MAX_BODY = 4000;
export const MAX_LEARNED = 500;
export const MAX_ROUNDS = 4;

const words = (s: string) => s.split(/\s+/).filter(Boolean);
const newcommands = new Set(words('newcommand renewcommand providecommand DeclareRobustCommand'));
const documentCommands = new Set(words('NewDocumentCommand RenewDocumentCommand ProvideDocumentCommand DeclareDocumentCommand NewExpandableDocumentCommand'));
const copies = new Set(words('let NewCommandCopy RenewCommandCopy DeclareCommandCopy LetLtxMacro GlobalLetLtxMacro'));
const defs = new Set(['def', 'gdef']);
/** The natbib commands multibib copies for each `\newcites` suffix (its `\@mb@citenamelist`), and `\nocite`. */
const multibibCommands = words('cite citep citet citealp citealt nocite');

/** The definition commands, for the citation parser to skip the name they define (`\newcommand{\pcite}`). */
export function isDefinitionCommand(name: string): boolean {
  return newcommands.has(name) || documentCommands.has(name) || copies.has(name) || defs.has(name) || name === 'edef' || name === 'xdef' || name === 'DeclareCiteCommand' || name === 'DeclareMultiCiteCommand';
}

/** Where the name a definition command defines ends (`\newcommand*{\pcite}` -> after `}`), or `after` when there is none. */
export function definedNameEnd(text: string, after: number): number {
  const i = text[after] === '*' ? after + 1 : after;
  return definedName(text, i)?.next ?? after;
}

/** The definitions of a text, in order; never throws. */
export function parseMacroDefinitions(text: string): MacroDefinition[] {
  const out: MacroDefinition[] = [];
  try {
    walk(text, (name, after) => {
      if (out.length >= MAX_DEFINITIONS) return after;
      if (name === 'newcites') return readNewcites(text, after, out);
      if (verbatimDefiners.has(name) || name === 'newenvironment' || name === 'renewenvironment' || name === 'NewDocumentEnvironment') {
        return readEnvironment(text, name, after, out) ?? after;
      }
      if (!isDefinitionCommand(name)) return after;
      const read = readDefinition(text, name, after, out);
      return read ?? after;
    });
  } catch {
    // Parsers never throw.
  }
  return out;
}

/**
 * `\DefineVerbatimEnvironment{name}...`, or `\newenvironment{name}[n]{begin}{end}` whose `begin` starts verbatim
 * reading (`\verbatimwrite{tmp.tex}`): `name` is a verbatim environment. Returns where the name ends.
 */
function readEnvironment(text: string, command: string, after: number, out: MacroDefinition[]): number | undefined {
  const m = /\*?[ \t]*\{([A-Za-z@*]+)\}/y;
  m.lastIndex = after;
  const found = m.exec(text);
  if (!found) return undefined;
  if (verbatimDefiners.has(command)) {
    out.push({ name: found[1], params: [], verbatimEnvironment: true });
    return m.lastIndex;
  }
  // Skip `[n][default]` (or xparse's `{args}`), then read the opening code.
  let i = m.lastIndex;
  for (let k = 0; k < 2; k++) {
    while (/\s/.test(text[i] ?? '')) i++;
    if (text[i] === '[') i = text.indexOf(']', i) + 1 || i;
  }
  while (/\s|%/.test(text[i] ?? '')) i = text[i] === '%' ? text.indexOf('\n', i) + 1 || text.length : i + 1;
  if (command === 'NewDocumentEnvironment') i = braceArgument(text, i)?.next ?? i;
  const begin = braceArgument(text, i);
  if (begin?.closed && begin.end - begin.start <= MAX_BODY && verbatimStarts.test(text.slice(begin.start, begin.end))) {
    out.push({ name: found[1], params: [], verbatimEnvironment: true });
  }
  return m.lastIndex;
}

/** Reads one definition into `out`; returns where it ends (undefined: not a definition this reads). */
function readDefinition(text: string, command: string, after: number, out: MacroDefinition[]): number | undefined {
  const star = text[after] === '*' ? after + 1 : after;
  const target = definedName(text, star);
  if (!target) return undefined;
  const { name } = target;
  if (defs.has(command)) {
    let i = target.next;
    while (text[i] === ' ' || text[i] === '\t') i++;
    const params: MacroParam[] = [];
    while (text[i] === '#' && text[i + 1] === String(params.length + 1)) {
      params.push({ kind: 'm' });
      i += 2;
    }
    const body = text[i] === '{' ? braceArgument(text, i) : undefined;
    if (!body?.closed) return body?.next ?? i;
    if (body.end - body.start <= MAX_BODY) out.push({ name, params, body: text.slice(body.start, body.end) });
    return body.next;
  }
  if (newcommands.has(command)) {
    let i = target.next;
    const params: MacroParam[] = [];
    let s = skipSpace(text, i);
    if (text[s] === '[') {
      const g = groupEnd(text, s);
      const n = Number(text.slice(s + 1, g.end - 1).trim());
      if (!g.closed || !Number.isInteger(n) || n < 0 || n > 9) return g.end;
      for (let k = 0; k < n; k++) params.push({ kind: 'm' });
      i = g.end;
      s = skipSpace(text, i);
      if (text[s] === '[' && n > 0) {
        const d = groupEnd(text, s);
        if (!d.closed) return d.end;
        params[0] = { kind: 'o' };
        i = d.end;
      }
    }
    const body = braceArgument(text, i);
    if (!body?.closed) return body?.next ?? i;
    if (body.end - body.start <= MAX_BODY) out.push({ name, params, body: text.slice(body.start, body.end), provide: command === 'providecommand' || undefined });
    return body.next;
  }
  if (documentCommands.has(command)) {
    const spec = braceArgument(text, target.next);
    if (!spec?.closed) return spec?.next ?? target.next;
    const params = xparseParams(text.slice(spec.start, spec.end));
    const body = braceArgument(text, spec.next);
    if (!body?.closed) return body?.next ?? spec.next;
    if (params && body.end - body.start <= MAX_BODY) out.push({ name, params, body: text.slice(body.start, body.end), provide: command === 'ProvideDocumentCommand' || undefined });
    return body.next;
  }
  if (copies.has(command)) {
    let i = skipSpace(text, target.next);
    if (text[i] === '=') i = skipSpace(text, i + 1);
    const source = definedName(text, i);
    if (source) out.push({ name, params: [], copyOf: source.name });
    return source?.next ?? target.next;
  }
  if (command === 'DeclareCiteCommand' || command === 'DeclareMultiCiteCommand') {
    out.push({ name, params: [], citeKind: command === 'DeclareCiteCommand' ? 'single' : 'multi' });
    return target.next;
  }
  return target.next; // `\edef`, `\xdef`: the body is expanded when defined; nothing is learned
}

/** `\name`, `{\name}` or `{ \name }` at `i` (after spaces): the name and where it ends. */
function definedName(text: string, i: number): { name: string; next: number } | undefined {
  let s = skipSpace(text, i);
  const braced = text[s] === '{';
  if (braced) s = skipSpace(text, s + 1);
  if (text[s] !== '\\') return undefined;
  let j = s + 1;
  while (isLetter(text.charCodeAt(j)) || (text[j] === '@' && braced)) j++;
  if (j === s + 1) return undefined;
  const name = text.slice(s + 1, j);
  if (!braced) return { name, next: j };
  const close = skipSpace(text, j);
  return text[close] === '}' ? { name, next: close + 1 } : undefined;
}

/** The parameters of an xparse argument specification (`o m`, `s O{} m`); undefined for types this does not read. */
function xparseParams(spec: string): MacroParam[] | undefined {
  const params: MacroParam[] = [];
  let i = 0;
  while (i < spec.length) {
    const c = spec[i];
    if (/\s|\+|!/.test(c)) i++;
    else if (c === '>' || c === '=') {
      // An argument processor `>{\SplitList{;}}` or a key `={name}`: skipped.
      const g = spec[i + 1] === '{' ? groupEnd(spec, i + 1) : undefined;
      if (!g?.closed) return undefined;
      i = g.end;
    } else if (c === 'm' || c === 'o' || c === 's') {
      params.push({ kind: c });
      i++;
    } else if (c === 'O') {
      const g = spec[i + 1] === '{' ? groupEnd(spec, i + 1) : undefined;
      if (!g?.closed) return undefined;
      params.push({ kind: 'o' });
      i = g.end;
    } else if (c === 't' && spec[i + 1] && !/\s/.test(spec[i + 1])) {
      params.push({ kind: 't', chars: spec[i + 1] });
      i += 2;
    } else if ((c === 'd' || c === 'D') && spec[i + 1] && spec[i + 2] && !/[\s{}\\]/.test(spec[i + 1] + spec[i + 2])) {
      params.push(spec[i + 1] === '[' && spec[i + 2] === ']' ? { kind: 'o' } : { kind: 'd', chars: spec[i + 1] + spec[i + 2] });
      i += 3;
      if (c === 'D') {
        const g = spec[i] === '{' ? groupEnd(spec, i) : undefined;
        if (!g?.closed) return undefined;
        i = g.end;
      }
    } else return undefined;
  }
  return params.length <= 9 ? params : undefined;
}

/** multibib's `\newcites{a,b}{Title A, Title B}`: the commands it makes for each suffix, as copies of natbib's. */
function readNewcites(text: string, after: number, out: MacroDefinition[]): number {
  const a = braceArgument(text, after);
  if (!a?.closed) return a?.next ?? after;
  for (const suffix of text.slice(a.start, a.end).split(',').map((x) => x.trim())) {
    if (/^[A-Za-z]+$/.test(suffix)) for (const c of multibibCommands) out.push({ name: `${c}${suffix}`, params: [], copyOf: c, multibibSuffix: suffix });
  }
  return a.next;
}

/** The suffixes of multibib's `\newcites` among definitions (`\bibliography<suffix>` declares a bibliography). */
export function multibibSuffixes(definitions: readonly MacroDefinition[]): Set<string> {
  return new Set(definitions.flatMap((d) => (d.multibibSuffix ? [d.multibibSuffix] : [])));
}

/**
 * The citation macros among a project's definitions (see the module comment), by name. `known` are the
 * commands they may wrap (the built-in ones and the settings' extra ones), never redefined here.
 */
export function resolveCiteMacros(definitions: readonly MacroDefinition[], known: CiteCommands = builtinCiteCommands): Map<string, CiteReader> {
  const learned = new Map<string, CiteReader>();
  try {
    // The definition in effect for each name: the last one, a `\providecommand` only when alone.
    const effective = new Map<string, MacroDefinition>();
    for (const d of definitions) {
      if (known.has(d.name) || (d.provide && effective.has(d.name))) continue;
      effective.set(d.name, d);
    }
    const commands = new Map(known);
    let pending = [...effective.values()];
    for (let round = 0; round < MAX_ROUNDS && pending.length > 0 && learned.size < MAX_LEARNED; round++) {
      const next: MacroDefinition[] = [];
      const found: [string, CiteReader][] = [];
      for (const d of pending) {
        const reader = readerOf(d, commands);
        if (reader) found.push([d.name, reader]);
        else next.push(d);
      }
      if (found.length === 0) break;
      for (const [name, reader] of found.slice(0, MAX_LEARNED - learned.size)) {
        learned.set(name, reader);
        commands.set(name, reader);
      }
      pending = next;
    }
  } catch {
    // Never throws: what was learned so far counts.
  }
  return learned;
}

/** How a defined command reads its citation arguments, given the commands known so far (undefined: it does not cite). */
function readerOf(d: MacroDefinition, commands: CiteCommands): CiteReader | undefined {
  if (d.citeKind) return d.citeKind;
  if (d.copyOf) return commands.get(d.copyOf);
  if (!d.body || d.params.length === 0) return undefined;
  const body = d.body;
  const keyParams = new Set<number>();
  walk(body, (name, after) => {
    const reader = commands.get(name);
    if (!reader) return after;
    for (const g of citeArguments(body, after, reader).groups) {
      for (const [s, e] of g.keys) {
        const m = /^#([1-9])$/.exec(body.slice(s, e));
        const n = m ? Number(m[1]) - 1 : -1;
        if (n >= 0 && n < d.params.length && d.params[n].kind === 'm') keyParams.add(n);
      }
    }
    return after;
  });
  return keyParams.size ? { params: d.params, keyParams: [...keyParams].sort() } : undefined;
}

/** A short text that changes when the learned commands change (to know when a document must be read again). */
export function citeMacrosSignature(learned: ReadonlyMap<string, CiteReader>): string {
  let out = '';
  for (const [name, r] of learned) out += `${name}=${typeof r === 'string' ? r : `${r.params.map((p) => p.kind + (p.chars ?? '')).join('')}/${r.keyParams.join('')}`};`;
  return out;
}
