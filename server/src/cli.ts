/**
 * `entente`: the command line. The same language service as the server, over the disk.
 *   entente --version
 *   entente index [folder] [--json]   which bibliographies the drafts in a folder use, entry counts, errors
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { createLanguageService } from './service';
import type { IWorkspace } from './service/workspace';
import { readConfig } from './service/config';
import { displayPath } from './service/index/paths';
import * as nodeFs from './nodeFileSystem';
import { VERSION } from './server';

const usage = `Usage: entente <command> [options]

Commands:
  index [folder] [--json]   Index the bibliographies the drafts in folder (default: .) use;
                            print entry counts per file and every problem found.
  --version                 Print the version.
  --help                    Print this help.

Options:
  --bibliography <glob>     Also index these files (like the setting entente.bibliography.files).
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
