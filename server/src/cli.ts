/**
 * `entente`: the command line. The same language service as the server, over the disk.
 *   entente --version
 *   entente index [folder] [--json]   which bibliographies the drafts in a folder use, entry counts, errors
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLanguageService } from './service';
import type { IWorkspace } from './service/workspace';
import { readConfig } from './service/config';
import { displayPath } from './service/index/paths';
import * as nodeFs from './nodeFileSystem';
import { atLeast, report, toFinding, type Finding, type ReportFormat, type Severity } from './checkReport';
import { projectSettings } from './settingsFiles';
import { VERSION } from './version';

const usage = `Usage: entente <command> [options]

Commands:
  check [paths or globs...]  Check the drafts (.md, .qmd, .tex) and bibliographies under the paths
                             (default: .): undefined citations, duplicate keys, broken cross-references,
                             bibliography syntax... Exit 0 when clean, 1 when problems, 2 on bad usage.
      --format <f>           text (default), json, github (Actions annotations) or sarif
      --fail-on <s>          error (default), warning, information, hint or none
      --unused               also report entries nothing cites
  index [folder] [--json]    Index the bibliographies the drafts in folder (default: .) use;
                             print entry counts per file and every problem found.
  --version                  Print the version.
  --help                     Print this help.

Options:
  --bibliography <glob>      Also use these files (like the setting entente.bibliography.files).

Settings are read from .vscode/settings.json and entente.config.json in the current folder.
`;

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

async function index(args: string[], out: (s: string) => void): Promise<number> {
  const json = args.includes('--json');
  const globs: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--bibliography') globs.push(args[++i] ?? '');
    else if (!args[i].startsWith('--')) rest.push(args[i]);
  }
  const folder = path.resolve(rest[0] ?? '.');
  const folderUri = nodeFs.toUri(folder);
  const started = Date.now();
  const service = createLanguageService({
    workspace: diskWorkspace([folderUri]),
    config: readConfig({ bibliography: { files: globs } }),
    home: os.homedir(),
  });
  const result = await service.indexFolder(folderUri);
  const ms = Date.now() - started;
  const total = result.loaded.reduce((n, b) => n + b.entries.length, 0);
  const problems = result.loaded.flatMap((b) => {
    const rel = displayPath(b.uri, folderUri);
    if (b.fileError) return [{ file: rel, line: 0, column: 0, severity: 'error', code: 'bibliography.unreadable', message: `${rel} ${b.fileError}` }];
    return b.errors.map((e) => ({ file: rel, line: e.range.start.line + 1, column: e.range.start.character + 1, severity: e.severity ?? 'error', code: e.code, message: e.message }));
  });
  if (json) {
    out(JSON.stringify({ folder, drafts: result.drafts.map((d) => displayPath(d, folderUri)), entries: total, ms, files: result.bibliographies.map((b) => ({ ...b, uri: undefined, path: displayPath(b.uri, folderUri) })), problems }, null, 2));
  } else {
    const files = result.bibliographies;
    out(`Indexed ${total} ${total === 1 ? 'entry' : 'entries'} from ${files.length} bibliography ${files.length === 1 ? 'file' : 'files'} for ${result.drafts.length} ${result.drafts.length === 1 ? 'draft' : 'drafts'} in ${displayPath(folderUri)} (${ms} ms)`);
    const width = Math.max(0, ...files.map((f) => displayPath(f.uri, folderUri).length));
    for (const f of files) {
      const state = f.fileError ? `not read: ${f.fileError}` : `${String(f.entries).padStart(6)} entries  ${f.format.padEnd(8)}  ${f.origin}${f.errors ? `  ${f.errors} problem${f.errors === 1 ? '' : 's'}` : ''}`;
      out(`  ${displayPath(f.uri, folderUri).padEnd(width)}  ${state}`);
    }
    if (problems.length) {
      out(`\n${problems.length} problem${problems.length === 1 ? '' : 's'}:`);
      for (const p of problems) out(`  ${p.file}:${p.line}:${p.column}  ${p.severity}  ${p.message}  [${p.code}]`);
    }
  }
  return 0;
}

async function check(args: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  let format: ReportFormat = 'text';
  let failOn: Severity | 'none' = 'error';
  let unused = false;
  const globs: string[] = [];
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--format') format = oneOf(value(), ['text', 'json', 'github', 'sarif'], a) as ReportFormat;
    else if (a.startsWith('--format=')) format = oneOf(a.slice(9), ['text', 'json', 'github', 'sarif'], '--format') as ReportFormat;
    else if (a === '--fail-on') failOn = oneOf(value(), ['error', 'warning', 'information', 'hint', 'none'], a) as Severity | 'none';
    else if (a.startsWith('--fail-on=')) failOn = oneOf(a.slice(10), ['error', 'warning', 'information', 'hint', 'none'], '--fail-on') as Severity | 'none';
    else if (a === '--unused') unused = true;
    else if (a === '--bibliography') globs.push(value());
    else if (a.startsWith('-')) throw new UsageError(`unknown option '${a}'`);
    else paths.push(a);
  }
  const cwd = process.cwd();
  const rootUri = nodeFs.toUri(cwd);
  const settings = projectSettings(cwd, err);
  const config = readConfig({ ...settings, 'bibliography.files': [...((settings['bibliography.files'] as string[]) ?? []), ...globs] });
  const targets: string[] = [];
  for (const p of paths.length ? paths : ['.']) {
    const abs = path.resolve(cwd, p);
    if (/[*?[{]/.test(p)) targets.push(...(await nodeFs.expandGlob(p, rootUri)));
    else if (fs.existsSync(abs)) targets.push(nodeFs.toUri(abs));
    else throw new UsageError(`no such file or folder: ${p}`);
  }
  const service = createLanguageService({ workspace: diskWorkspace([rootUri]), config, home: os.homedir() });
  const results = await service.checkFiles(targets, { unused });
  const findings: Finding[] = [];
  for (const [uri, diagnostics] of [...results].sort(([a], [b]) => a.localeCompare(b))) {
    const file = path.relative(cwd, nodeFs.toPath(uri)) || path.basename(nodeFs.toPath(uri));
    for (const d of diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character)) {
      findings.push(toFinding(file, d));
    }
  }
  const text = report(findings, format, results.size);
  if (text) out(text);
  return findings.some((f) => atLeast(f.severity, failOn)) ? 1 : 0;
}

class UsageError extends Error {}

function oneOf(v: string, allowed: string[], option: string): string {
  if (!allowed.includes(v)) throw new UsageError(`${option} must be one of ${allowed.join(', ')}`);
  return v;
}

export async function main(
  argv: string[],
  out: (s: string) => void = (s) => process.stdout.write(s + '\n'),
  err: (s: string) => void = (s) => process.stderr.write(s + '\n'),
): Promise<number> {
  const [command, ...args] = argv;
  if (command === '--version' || command === '-v' || command === 'version') {
    out(`entente ${VERSION}`);
    return 0;
  }
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    out(usage);
    return command ? 0 : 2;
  }
  if (command === 'index') return index(args, out);
  if (command === 'check') {
    try {
      return await check(args, out, err);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      err(`entente check: ${e.message}\n\n${usage}`);
      return 2;
    }
  }
  err(`entente: unknown command '${command}'\n\n${usage}`);
  return 2;
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
