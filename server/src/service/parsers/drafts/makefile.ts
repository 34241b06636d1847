/**
 * The pandoc commands of a simple Makefile: which Markdown files a recipe passes to `pandoc`, in order
 * (a thesis whose chapters pandoc joins: `pandoc $(CHAPTERS) -o thesis.pdf`).
 *
 * Read: variables (`=`, `:=`, `::=`, `?=`, `+=`; lines continued with `\`), `$(VAR)` and `${VAR}`,
 * `$(wildcard pattern...)` (expanded later, sorted, as GNU make 4.3 does), `$(sort ...)` of literal words or
 * one wildcard, the automatic `$^`, `$+`, `$<` and `$@` of the rule, and recipe lines (a tab) that run `pandoc`.
 * Anything else in a pandoc command (another function, `$(shell ...)`, `$$`, a variable defined nowhere or
 * only inside `ifeq`..., a `cd` before it, a pattern rule's `%`) makes that command unreadable: it yields
 * nothing rather than a guess. Pure; never throws.
 */

/** An input of a pandoc command: a path as written, or a wildcard pattern, relative to the Makefile's folder. */
export type MakeInput = { path: string } | { wildcard: string };

/** Options of pandoc that take the next word as their value (`-o thesis.pdf`), so that word is no input. */
const valueOptions = new Set([
  '-o', '--output', '-f', '--from', '-r', '--read', '-t', '--to', '-w', '--write', '-d', '--defaults', '-M', '--metadata',
  '--metadata-file', '--bibliography', '--csl', '--citation-abbreviations', '--template', '-V', '--variable', '-F', '--filter',
  '-L', '--lua-filter', '--resource-path', '-H', '--include-in-header', '-B', '--include-before-body', '-A',
  '--include-after-body', '--reference-doc', '--data-dir', '--pdf-engine', '--pdf-engine-opt', '--toc-depth',
  '--top-level-division', '--number-offset', '--highlight-style', '--syntax-definition', '--epub-cover-image',
  '--epub-metadata', '--epub-embed-font', '--log', '--extract-media', '--css', '-c', '--title-prefix', '-T',
]);

const markdownInput = /\.(md|markdown|rmd|qmd|pmd)$/i;
const MAX_DEPTH = 16;
const WILDCARD = '\u0000';
/** Most references expanded, and characters produced, for one command. */
const MAX_EXPANSIONS = 10_000;
const MAX_LENGTH = 1_000_000;

interface Rule {
  targets: string[];
  prerequisites: string;
}

interface Variable {
  value: string;
  /** Assigned inside a conditional (`ifeq`...): its value depends on what make is given. */
  uncertain: boolean;
}

/** A readable pandoc command: its Markdown inputs in order, and the files its `--bibliography` options name. */
export interface MakeCommand {
  inputs: MakeInput[];
  bibliographies: string[];
}

/** The Markdown inputs of each readable pandoc command that has two or more, in the order they are given. */
export function parseMakefilePandoc(text: string): MakeInput[][] {
  return parseMakefileCommands(text).map((c) => c.inputs);
}

/** Each readable pandoc command with two or more Markdown inputs. */
export function parseMakefileCommands(text: string): MakeCommand[] {
  try {
    return readMakefile(text);
  } catch {
    return [];
  }
}

function readMakefile(text: string): MakeCommand[] {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\\\n[ \t]*/g, ' ').split('\n');
  const vars = new Map<string, Variable>();
  const recipes: { line: string; rule?: Rule }[] = [];
  let rule: Rule | undefined;
  let conditionals = 0;
  for (const raw of lines) {
    if (raw.startsWith('\t')) {
      if (/(^|[\s;&|(@-])pandoc(\s|$)/.test(raw)) recipes.push({ line: raw.slice(1).replace(/(^|\s)#.*$/, ''), rule });
      continue;
    }
    const line = raw.replace(/(^|[^\\])#.*$/, '$1').trim();
    if (!line) continue;
    if (/^(ifeq|ifneq|ifdef|ifndef)\b/.test(line)) conditionals++;
    else if (/^endif\b/.test(line)) conditionals = Math.max(0, conditionals - 1);
    else if (/^else\b/.test(line)) continue;
    else if (assign(line, vars, conditionals > 0)) continue;
    else rule = ruleOf(line) ?? rule;
  }
  const out: MakeCommand[] = [];
  for (const { line, rule } of recipes) {
    const command = pandocCommand(line, vars, rule);
    if (command && command.inputs.length >= 2) out.push(command);
  }
  return out;
}

/** `NAME = value` and kin, into `vars`; false when the line is no assignment. */
function assign(line: string, vars: Map<string, Variable>, uncertain: boolean): boolean {
  const m = /^(?:override\s+|export\s+)?([A-Za-z_][\w.-]*)\s*(\+=|\?=|::?=|=)\s*(.*)$/.exec(line);
  if (!m) return false;
  const [, name, op, value] = m;
  const previous = vars.get(name);
  if (op === '?=' && previous) return true;
  const joined = op === '+=' && previous ? `${previous.value} ${value}` : value;
  vars.set(name, { value: joined, uncertain: uncertain || (op === '+=' && !!previous?.uncertain) });
  return true;
}

/** `targets: prerequisites` (not `a := b`, nor a target-specific assignment). */
function ruleOf(line: string): Rule | undefined {
  const colon = line.indexOf(':');
  const equals = line.indexOf('=');
  if (colon <= 0 || (equals >= 0 && equals < colon) || line[colon + 1] === '=') return undefined;
  const rest = line.slice(line[colon + 1] === ':' ? colon + 2 : colon + 1);
  if (rest.includes('=')) return undefined;
  return { targets: line.slice(0, colon).trim().split(/\s+/), prerequisites: rest.split(';')[0] };
}

/** The pandoc command on a recipe line, or undefined when it cannot be read with confidence. */
function pandocCommand(line: string, vars: Map<string, Variable>, rule: Rule | undefined): MakeCommand | undefined {
  // The pandoc command alone, up to the next shell operator; a `cd` before it moves the paths.
  const commands = line.split(/&&|\|\||;|\|/);
  const runs = (c: string, program: string) => new RegExp(`^\\s*(?:[@-]+\\s*)?${program}(\\s|$)`).test(c);
  const index = commands.findIndex((c) => runs(c, 'pandoc'));
  if (index < 0 || commands.slice(0, index).some((c) => runs(c, 'cd'))) return undefined;
  const command = commands[index].replace(/^\s*(?:[@-]+\s*)?pandoc/, '').replace(/\s[0-9]?>.*$/, '');
  const expanded = expand(command, { vars, rule, left: MAX_EXPANSIONS }, 0);
  if (expanded === undefined) return undefined;
  const words = expanded.split(/\s+/).filter(Boolean);
  const inputs: MakeInput[] = [];
  const bibliographies: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const bibliography = w === '--bibliography' ? words[i + 1] : /^--bibliography=(.+)$/.exec(w)?.[1];
    if (bibliography !== undefined && !bibliography.includes(WILDCARD) && !/[%'"`]/.test(bibliography)) bibliographies.push(bibliography);
    if (valueOptions.has(w)) i++;
    else if (w.startsWith('-')) continue;
    else if (w.startsWith(WILDCARD)) inputs.push({ wildcard: w.slice(1) });
    else if (w.includes(WILDCARD) || /[%'"`]/.test(w)) return undefined;
    else if (markdownInput.test(w)) inputs.push({ path: w });
  }
  return { inputs, bibliographies };
}

/** What an expansion reads, and how many references it may still expand (variables may refer to each other many times). */
interface Expansion {
  vars: Map<string, Variable>;
  rule: Rule | undefined;
  left: number;
}

/**
 * The text with every `$...` expanded; a wildcard pattern becomes one word marked with `WILDCARD`. Undefined
 * when something cannot be expanded with confidence, or too much.
 */
function expand(text: string, x: Expansion, depth: number): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '$') {
      out += c;
      continue;
    }
    const next = text[i + 1];
    let inner: string;
    if (next === '(' || next === '{') {
      const end = closing(text, i + 1);
      if (end < 0) return undefined;
      inner = text.slice(i + 2, end);
      i = end;
    } else if (next && /[\w^+<@]/.test(next)) {
      inner = next;
      i++;
    } else return undefined; // `$$` (the shell's), or a `$` at the end
    if (--x.left < 0) return undefined;
    const value = reference(inner, x, depth + 1);
    if (value === undefined || out.length + value.length > MAX_LENGTH) return undefined;
    out += value;
  }
  return out;
}

/** The value of one `$(...)`: a variable, an automatic variable, `wildcard` or `sort`. */
function reference(inner: string, x: Expansion, depth: number): string | undefined {
  const auto = automatic(inner, x.rule);
  if (auto !== undefined) return expand(auto, x, depth);
  const fn = /^(wildcard|sort)\s+([\s\S]*)$/.exec(inner);
  if (fn) {
    const args = expand(fn[2], x, depth);
    if (args === undefined || (fn[1] === 'wildcard' && args.includes(WILDCARD))) return undefined;
    const words = args.split(/\s+/).filter(Boolean);
    if (fn[1] === 'wildcard') return words.map((w) => WILDCARD + w).join(' ');
    if (words.some((w) => w.startsWith(WILDCARD))) return words.length === 1 ? words[0] : undefined;
    return [...new Set(words)].sort().join(' ');
  }
  if (!/^[A-Za-z_][\w.-]*$/.test(inner)) return undefined; // another function: not read
  const v = x.vars.get(inner);
  if (!v || v.uncertain) return undefined;
  return expand(v.value, x, depth);
}

function automatic(name: string, rule: Rule | undefined): string | undefined {
  if (!['^', '+', '<', '@'].includes(name)) return undefined;
  if (!rule) return undefined;
  if (name === '@') return rule.targets[0];
  const words = rule.prerequisites.split('|')[0].trim();
  if (name === '<') return words.split(/\s+/)[0] ?? '';
  return words;
}

/** The index of the bracket closing the one at `open`, nesting counted; -1 when unclosed. */
function closing(text: string, open: number): number {
  const o = text[open];
  const c = o === '(' ? ')' : '}';
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === o) depth++;
    else if (text[i] === c && --depth === 0) return i;
  }
  return -1;
}
