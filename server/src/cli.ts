/**
 * `entente`: the command line. The same language service as the server, over the disk.
 *   entente check [paths or globs...]   every problem in drafts and bibliographies, as text, JSON, annotations or SARIF
 *   entente index [folder]              which bibliographies the drafts in a folder use, entry counts, their problems
 *   entente import-references FILE      a typed reference list as BibLaTeX or CSL-JSON, what was uncertain on stderr
 * All parse their arguments with `cliArgs.ts`, read the same settings, and print a problem the same way.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-types';
import { createLanguageService } from './service/languageService';
import { nullLogger } from './service/workspace';
import { DiskIndexCache, defaultCacheFolder } from './indexCache';
import type { IWorkspace } from './service/workspace';
import { defaultConfig, readConfig, type EntenteConfig } from './service/config';
import { displayPath } from './service/index/paths';
import * as nodeFs from './nodeFileSystem';
import { atLeast, plural, report, textLine, toFinding, type Finding, type ReportFormat, type Severity } from './checkReport';
import { parseArgs, optionsHelp, UsageError, type OptionSpec, type ParsedArgs } from './cliArgs';
import { projectSettings } from './settingsFiles';
import { VERSION } from './version';
import { importReferences, type ImportFormat } from './service/features/importReferences';

const usage = `Usage: entente <command> [options]

Commands:
  check [paths or globs...]  Check the drafts and bibliographies under the paths (default: .):
                             undefined citations, duplicate keys, broken cross-references...
  index [folder]             Show which bibliographies the drafts in a folder use, their entry
                             counts, and their problems.
  import-references FILE     Turn a typed reference list (APA, Harvard, Chicago author-date) into
                             BibLaTeX or CSL-JSON; what could not be read fully goes to stderr.
  help [command]             Print this help, or a command's.

Options:
  --version                  Print the version.
  -h, --help                 Print this help.

Run 'entente <command> --help' for a command's options and exit status.
`;

const failOnOption: OptionSpec = {
  name: '--fail-on',
  value: '<s>',
  choices: ['error', 'warning', 'information', 'hint', 'none'],
  help: 'Exit 1 when a problem at or above this severity is found:\nerror (default), warning, information, hint, or none (never).',
};

const bibliographyOption: OptionSpec = {
  name: '--bibliography',
  value: '<glob>',
  repeatable: true,
  help: 'Also use these bibliography files, relative to the current folder\n(like the setting entente.bibliography.files; may be repeated).',
};

const excludeOption: OptionSpec = {
  name: '--exclude',
  value: '<glob>',
  repeatable: true,
  help: 'Leave these files out (globs relative to the current folder), besides those of\nthe setting entente.files.exclude (may be repeated).',
};

const noCacheOption: OptionSpec = {
  name: '--no-cache',
  help: 'Neither read nor write the index cache ($XDG_CACHE_HOME/entente, else ~/.cache/entente:\nparsed bibliographies kept between runs; like the setting entente.cache.enabled).',
};

const settingsNote = 'Settings are read from .vscode/settings.json and entente.config.json in the current folder.';

interface Command {
  name: string;
  synopsis: string;
  about: string;
  options: OptionSpec[];
  footer: string;
  run(args: ParsedArgs, out: (s: string) => void, err: (s: string) => void): Promise<number>;
}

const commands: Command[] = [
  {
    name: 'check',
    synopsis: 'entente check [paths or globs...] [options]',
    about: `Check the drafts (.md, .qmd, .tex...) and bibliographies (.bib, .ris; .json and .yaml when a draft
uses them or when named) under the paths (default: the current folder) with the same checks as the
editor: undefined citations, duplicate keys, missing fields, broken cross-references, glossary terms.
Prints one line per problem (file:line:col: severity code message) and a summary.`,
    options: [
      { name: '--format', value: '<f>', choices: ['text', 'json', 'github', 'sarif'], help: 'text (default), json, github (GitHub Actions annotations) or sarif.' },
      failOnOption,
      { name: '--unused', help: 'Also report bibliography entries nothing cites.' },
      bibliographyOption,
      excludeOption,
      noCacheOption,
    ],
    footer: `Every path or glob must match at least one draft or bibliography.
${settingsNote}

Exit status: 0 when no problem at or above --fail-on was found, 1 when one was,
2 on bad usage (an unknown option, a missing value, a path that does not exist or
matches no draft or bibliography).`,
    run: check,
  },
  {
    name: 'index',
    synopsis: 'entente index [folder] [options]',
    about: `Index the bibliographies the drafts in the folder (default: the current folder) use, or every
bibliography in it when it holds no draft. Prints each file's entry count, format and origin, then
every problem found in them, as 'entente check' reports it: syntax errors, duplicate keys, missing
fields, and declared bibliographies that do not exist or cannot be read (at the declaration).`,
    options: [
      { name: '--format', value: '<f>', choices: ['text', 'json'], help: 'text (default) or json.' },
      { name: '--json', help: 'The same as --format json.' },
      failOnOption,
      bibliographyOption,
      excludeOption,
      noCacheOption,
    ],
    footer: `${settingsNote}

Exit status: 0 when no problem at or above --fail-on was found, 1 when one was,
2 on bad usage (an unknown option, a missing value, a folder that does not exist or is a file).`,
    run: index,
  },
  {
    name: 'import-references',
    synopsis: 'entente import-references FILE [--format bibtex|csl-json]',
    about: `Read a typed author-date reference list (APA 6/7, Harvard with "Available at: URL (Accessed: date)",
Chicago author-date) from FILE ('-' for standard input), one reference per line or paragraph
(wrapped lines are joined), and print it as a bibliography on standard output, with keys such as
biscop2022new. Each reference it could not read fully is reported on standard error, one line each
('line 3 (key): what was uncertain'); a field it is unsure of is left out, never guessed. In BibLaTeX
the same notes are comments above the entry, and a reference it could not read at all is a comment.`,
    options: [{ name: '--format', value: '<f>', choices: ['bibtex', 'csl-json'], help: 'bibtex (BibLaTeX field names; default) or csl-json.' }],
    footer: `Exit status: 0 when every reference was read fully, 1 when one or more were flagged or not read
(the bibliography is printed all the same), 2 on bad usage (an unknown option, no file, a file
that cannot be read).`,
    run: importReferencesCommand,
  },
];

function helpOf(c: Command): string {
  return `Usage: ${c.synopsis}\n\n${c.about}\n\nOptions:\n${optionsHelp(c.options)}\n\n${c.footer}\n`;
}

export function diskWorkspace(folders: string[]): IWorkspace {
  return {
    folders: () => folders,
    readFile: nodeFs.readFile,
    stat: nodeFs.stat,
    findFiles: nodeFs.findFiles,
    expandGlob: nodeFs.expandGlob,
    openDocument: () => undefined,
  };
}

/** The last value of an option, if given. */
function optionValue(args: ParsedArgs, name: string): string | undefined {
  return args.values.get(name)?.at(-1);
}

/**
 * The settings files of the current folder, with the `--bibliography` globs added (made absolute from the
 * current folder) and the `--exclude` globs added to `files.exclude` (relative to it, as the setting is).
 */
function cliConfig(cwd: string, args: ParsedArgs, err: (s: string) => void): EntenteConfig {
  const globs = (args.values.get('--bibliography') ?? []).map((g) => (g === '~' || g.startsWith('~/') || path.isAbsolute(g) ? g : path.join(cwd, g)));
  const excluded = (args.values.get('--exclude') ?? []).map((g) => g.replace(/^\.\//, ''));
  const settings = projectSettings(cwd, err);
  return readConfig({
    ...settings,
    'bibliography.files': [...((settings['bibliography.files'] as string[]) ?? []), ...globs],
    'files.exclude': [...((settings['files.exclude'] as string[]) ?? defaultConfig.excludeFiles), ...excluded],
  });
}

/** Diagnostics per file as findings, files in path order, each file's in position order; paths relative to `cwd`. */
function findingsOf(results: ReadonlyMap<string, Diagnostic[]>, cwd: string): Finding[] {
  const findings: Finding[] = [];
  for (const [uri, diagnostics] of [...results].sort(([a], [b]) => a.localeCompare(b))) {
    const file = path.relative(cwd, nodeFs.toPath(uri)) || path.basename(nodeFs.toPath(uri));
    for (const d of [...diagnostics].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character)) {
      findings.push(toFinding(file, d));
    }
  }
  return findings;
}

/** The index cache in its default folder, unless `--no-cache`; silent (its notes are for the server's log). */
function cliCache(args: ParsedArgs): DiskIndexCache | undefined {
  return args.values.has('--no-cache') ? undefined : new DiskIndexCache(defaultCacheFolder(), nullLogger);
}

function failOn(args: ParsedArgs): Severity | 'none' {
  return (optionValue(args, '--fail-on') ?? 'error') as Severity | 'none';
}

async function index(args: ParsedArgs, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  if (args.positionals.length > 1) throw new UsageError(`one folder at most, not ${args.positionals.length}: ${args.positionals.map((p) => `'${p}'`).join(' ')}`);
  const given = args.positionals[0] ?? '.';
  const format = optionValue(args, '--format');
  if (args.values.has('--json') && format === 'text') throw new UsageError('--json and --format text disagree');
  const json = args.values.has('--json') || format === 'json';
  const cwd = process.cwd();
  const folder = path.resolve(cwd, given);
  const stat = fs.statSync(folder, { throwIfNoEntry: false });
  if (!stat) throw new UsageError(`no such folder: '${given}'`);
  if (!stat.isDirectory()) throw new UsageError(`'${given}' is a file, not a folder: index reads the drafts in a folder (to check this file: entente check ${given})`);
  const folderUri = nodeFs.toUri(folder);
  const started = Date.now();
  const indexCache = cliCache(args);
  const service = createLanguageService({ workspace: diskWorkspace([folderUri]), config: cliConfig(cwd, args, err), home: os.homedir(), indexCache });
  const result = await service.indexFolder(folderUri, { problems: true });
  await indexCache?.flush();
  const ms = Date.now() - started;
  const total = result.loaded.reduce((n, b) => n + b.entries.length, 0);
  const problems = findingsOf(result.problems, cwd);
  const files = result.bibliographies.map((b) => ({
    path: displayPath(b.uri, folderUri),
    format: b.format,
    origin: b.origin,
    entries: b.entries,
    problems: result.problems.get(b.uri)?.length ?? 0,
    fileError: b.fileError,
    parseMs: b.parseMs,
  }));
  if (json) {
    out(JSON.stringify({ folder, drafts: result.drafts.map((d) => displayPath(d, folderUri)), entries: total, ms, files, problems }, null, 2));
  } else {
    out(`Indexed ${plural(total, 'entry', 'entries')} from ${plural(files.length, 'bibliography file')} for ${plural(result.drafts.length, 'draft')} in ${displayPath(folderUri)} (${ms} ms)`);
    const width = Math.max(0, ...files.map((f) => f.path.length));
    for (const f of files) {
      const state = f.fileError
        ? `not read: ${f.fileError}`
        : `${String(f.entries).padStart(6)} ${(f.entries === 1 ? 'entry' : 'entries').padEnd(7)}  ${f.format.padEnd(8)}  ${f.origin}${f.problems ? `  ${plural(f.problems, 'problem')}` : ''}`;
      out(`  ${f.path.padEnd(width)}  ${state}`);
    }
    if (problems.length) {
      out(`\n${plural(problems.length, 'problem')}:`);
      for (const p of problems) out(`  ${textLine(p)}`);
    }
  }
  return problems.some((p) => atLeast(p.severity, failOn(args))) ? 1 : 0;
}

async function check(args: ParsedArgs, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const format = (optionValue(args, '--format') ?? 'text') as ReportFormat;
  const cwd = process.cwd();
  const rootUri = nodeFs.toUri(cwd);
  const indexCache = cliCache(args);
  const service = createLanguageService({ workspace: diskWorkspace([rootUri]), config: cliConfig(cwd, args, err), home: os.homedir(), indexCache });
  const targets: string[] = [];
  for (const p of args.positionals.length ? args.positionals : ['.']) {
    const abs = path.resolve(cwd, p);
    const glob = /[*?[{]/.test(p);
    const uris = glob ? await nodeFs.expandGlob(p, rootUri) : fs.existsSync(abs) ? [nodeFs.toUri(abs)] : undefined;
    if (!uris) throw new UsageError(`no such file or folder: '${p}'`);
    let matched = 0;
    for (const uri of uris) {
      const t = await service.checkTargets(uri);
      matched += t.drafts.length + t.bibliographies.length + t.glossaries.length + t.metadata.length;
    }
    if (matched === 0 && !glob && service.isExcluded(uris[0])) throw new UsageError(`'${p}' is excluded (entente.files.exclude or --exclude)`);
    if (matched === 0) throw new UsageError(!glob && fs.statSync(abs).isFile() ? `'${p}' is not a draft or bibliography` : `'${p}' matches no draft or bibliography`);
    for (const uri of uris) targets.push(uri);
  }
  const results = await service.checkFiles(targets, { unused: args.values.has('--unused') });
  await indexCache?.flush();
  const findings = findingsOf(results, cwd);
  const text = report(findings, format, results.size);
  if (text) out(text);
  return findings.some((f) => atLeast(f.severity, failOn(args))) ? 1 : 0;
}

async function importReferencesCommand(args: ParsedArgs, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  if (args.positionals.length !== 1) throw new UsageError(args.positionals.length ? `one file, not ${args.positionals.length}` : 'which file? (- for standard input)');
  const file = args.positionals[0];
  let text: string;
  if (file === '-') {
    text = fs.readFileSync(0, 'utf8');
  } else {
    const read = await nodeFs.readFile(nodeFs.toUri(path.resolve(file)), defaultConfig.maxFileBytes);
    if ('error' in read) throw new UsageError(`cannot read '${file}': ${read.error}`);
    if (read.note) err(`${file}: ${read.note}`);
    text = read.text;
  }
  const format = (optionValue(args, '--format') ?? 'bibtex') as ImportFormat;
  const result = importReferences(text, format);
  out(result.text.replace(/\n$/, ''));
  const total = result.references.length;
  const unread = total - result.count;
  for (const line of result.report) err(line);
  err(`${plural(total, 'reference')}: ${result.count} written, ${result.report.length - unread} of them flagged, ${unread} not read.`);
  return result.report.length ? 1 : 0;
}

export async function main(
  argv: string[],
  out: (s: string) => void = (s) => process.stdout.write(s + '\n'),
  err: (s: string) => void = (s) => process.stderr.write(s + '\n'),
): Promise<number> {
  const [name, ...args] = argv;
  if (name === '--version' || name === '-v' || name === 'version') {
    out(`entente ${VERSION}`);
    return 0;
  }
  if (!name) {
    err(usage);
    return 2;
  }
  if (name === '--help' || name === '-h' || (name === 'help' && args.length === 0)) {
    out(usage);
    return 0;
  }
  const wanted = name === 'help' ? args[0] : name;
  const command = commands.find((c) => c.name === wanted);
  if (!command) {
    err(`entente: unknown command '${wanted}'\n\n${usage}`);
    return 2;
  }
  if (name === 'help') {
    out(helpOf(command));
    return 0;
  }
  try {
    const parsed = parseArgs(args, command.options);
    if (parsed.help) {
      out(helpOf(command));
      return 0;
    }
    return await command.run(parsed, out, err);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err(`entente ${command.name}: ${e.message}\nUsage: ${command.synopsis}\nRun 'entente ${command.name} --help' for more.`);
    return 2;
  }
}


// `entente index | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e) => {
      process.stderr.write(`entente: ${e instanceof Error ? e.message : e}\n`);
      process.exitCode = 1;
    },
  );
}
