/**
 * The command line's argument parser, shared by every `entente` subcommand. Options are declared
 * once (`OptionSpec`), and the same list writes the subcommand's help. Pure: arguments in, values out.
 *
 * - `--x v` and `--x=v` give a value; a flag takes none (`--unused=yes` is an error).
 * - The next argument is not taken as a value when it looks like an option (`--bibliography --json`
 *   is a missing value); `--x=-v` gives a value that starts with `-`.
 * - `--` ends the options: what follows is positional, even `--help`.
 * - `-h` or `--help` anywhere before `--` asks for help, whatever else is wrong.
 * - An unknown option, a missing value or a value outside `choices` is a `UsageError` (exit 2).
 */

/** Bad usage: the command prints the message and its usage line, and exits 2. */
export class UsageError extends Error {}

export interface OptionSpec {
  /** `--format` */
  name: string;
  /** The value's name in the help (`<f>`); absent for a flag. */
  value?: string;
  /** The values allowed. */
  choices?: readonly string[];
  /** May be given more than once (each value is kept); otherwise the last one counts. */
  repeatable?: boolean;
  /** One line (or a few, joined with `\n`) for the help. */
  help: string;
}

export interface ParsedArgs {
  /** Option name -> its values in order (a flag given holds `['']`); options not given are absent. */
  values: Map<string, string[]>;
  positionals: string[];
  /** `-h` or `--help` was given. */
  help: boolean;
}

const helpSpec: OptionSpec = { name: '--help', help: 'Print this help.' };

export function parseArgs(args: readonly string[], specs: readonly OptionSpec[]): ParsedArgs {
  const end = args.indexOf('--');
  const options = end < 0 ? args : args.slice(0, end);
  if (options.includes('--help') || options.includes('-h')) return { values: new Map(), positionals: [], help: true };
  const byName = new Map(specs.map((s) => [s.name, s]));
  const values = new Map<string, string[]>();
  const positionals: string[] = [];
  for (let i = 0; i < options.length; i++) {
    const a = options[i];
    if (!a.startsWith('-') || a === '-') {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const spec = byName.get(name);
    if (!spec) throw new UsageError(`unknown option '${name}'`);
    let value = '';
    if (!spec.value) {
      if (eq > 0) throw new UsageError(`${name} takes no value`);
    } else if (eq > 0) {
      value = a.slice(eq + 1);
      if (!value) throw new UsageError(`${name} needs a value: ${name} ${spec.value}`);
    } else {
      const next = options[i + 1];
      if (next === undefined || looksLikeOption(next)) throw new UsageError(`${name} needs a value: ${name} ${spec.value}`);
      value = next;
      i++;
    }
    if (spec.choices && !spec.choices.includes(value)) throw new UsageError(`${name} must be one of ${spec.choices.join(', ')}, not '${value}'`);
    values.set(name, spec.repeatable ? [...(values.get(name) ?? []), value] : [value]);
  }
  if (end >= 0) positionals.push(...args.slice(end + 1));
  return { values, positionals, help: false };
}

function looksLikeOption(a: string): boolean {
  return a.length > 1 && a.startsWith('-');
}

/** The options part of a help text: one option a line, its help aligned beside it. */
export function optionsHelp(specs: readonly OptionSpec[]): string {
  const all = [...specs, helpSpec];
  const left = all.map((s) => (s === helpSpec ? '-h, --help' : `${s.name}${s.value ? ` ${s.value}` : ''}`));
  const width = Math.max(...left.map((l) => l.length)) + 2;
  return all
    .map((s, i) => {
      const [first, ...rest] = s.help.split('\n');
      return [`  ${left[i].padEnd(width)}${first}`, ...rest.map((r) => `  ${' '.repeat(width)}${r}`)].join('\n');
    })
    .join('\n');
}
