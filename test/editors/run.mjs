// Drives the Entente language server (bin/entente-language-server --stdio) from two other real
// LSP clients, on temporary copies of examples/nfm-paper: Neovim's built-in vim.lsp (check.lua,
// headless) and Emacs's eglot (check.el, batch). Each checks diagnostics, completion and hover, and
// settings given the way that editor gives them: a master library (~/library.bib, outside the
// workspace) in initializationOptions, and the `entente` section of its workspace configuration.
// Prints one line per check and exits 1 if any failed (or an editor is missing: install Debian's
// neovim, emacs-nox and elpa-eglot; ENTENTE_EDITORS_SKIP_MISSING=1 skips a missing editor instead).
// Run with `npm run test:editors` (after `npm run build`).
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const server = path.join(root, 'bin', 'entente-language-server');
const timeoutMs = Number(process.env.ENTENTE_EDITORS_TIMEOUT || 90) * 1000;

const editors = [
  {
    name: 'neovim',
    command: 'nvim',
    args: ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', `+luafile ${path.join(here, 'check.lua')}`],
  },
  {
    // The README's own snippet, pasted as a user would (entente-language-server on PATH, ~/Zotero/library.bib).
    name: 'neovim (README snippet)',
    command: 'nvim',
    args: ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', `+luafile ${path.join(here, 'readme.lua')}`],
  },
  {
    name: 'emacs',
    command: 'emacs',
    args: ['--batch', '-l', path.join(here, 'check.el')],
  },
];

const onPath = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

function run(editor, sandbox) {
  const workspace = path.join(sandbox, 'nfm-paper');
  fs.cpSync(path.join(root, 'examples', 'nfm-paper'), workspace, { recursive: true });
  const home = path.join(sandbox, 'home');
  fs.mkdirSync(home, { recursive: true });
  // The master library the editors name in their initializationOptions, as `~/library.bib`, and the README's.
  fs.writeFileSync(path.join(home, 'library.bib'), '@book{entente2024library, author={Writer, Ada}, title={A Library Outside the Workspace}, publisher={Nowhere Press}, year=2024}\n');
  fs.mkdirSync(path.join(home, 'Zotero'));
  fs.writeFileSync(path.join(home, 'Zotero', 'library.bib'), '@book{zotero2024library, author={Writer, Ada}, title={A Zotero Library}, publisher={Nowhere Press}, year=2024}\n');
  // `entente-language-server` on PATH, as `npm install -g .` puts it.
  const binDir = path.join(sandbox, 'bin');
  fs.mkdirSync(binDir);
  fs.symlinkSync(server, path.join(binDir, 'entente-language-server'));
  const env = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_STATE_HOME: path.join(home, '.local', 'state'),
    PATH: `${binDir}${path.delimiter}${process.env.PATH}`,
    ENTENTE_SERVER: server,
    ENTENTE_WORKSPACE: workspace,
    ENTENTE_README: path.join(root, 'README.md'),
  };
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(editor.command, editor.args, { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${timeoutMs / 1000} s)`;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.on('error', (error) => (stderr += String(error)));
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      let report;
      try {
        report = line ? JSON.parse(line) : undefined;
      } catch {
        report = undefined;
      }
      resolve({ code, report, stdout, stderr, seconds: (Date.now() - started) / 1000 });
    });
  });
}

async function main() {
  if (!fs.existsSync(path.join(root, 'dist', 'server.js'))) {
    console.error('dist/server.js is missing: run `npm run build` first');
    return 1;
  }
  let passed = 0;
  let failed = 0;
  for (const editor of editors) {
    if (!onPath(editor.command)) {
      if (process.env.ENTENTE_EDITORS_SKIP_MISSING) {
        console.log(`- ${editor.name}: skipped, ${editor.command} is not installed`);
        continue;
      }
      console.log(`✗ ${editor.name}: ${editor.command} is not installed (Debian: apt-get install neovim emacs-nox elpa-eglot)`);
      failed++;
      continue;
    }
    const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), `entente-${editor.name.replace(/\W+/g, '-')}-`));
    try {
      const result = await run(editor, sandbox);
      const version = result.report ? ` ${result.report.version}${result.report.eglot ? `, eglot ${result.report.eglot}` : ''}` : '';
      console.log(`${editor.name}${version} (${result.seconds.toFixed(1)} s)`);
      for (const check of result.report?.results ?? []) {
        console.log(`  ${check.ok ? '✔' : '✗'} ${check.name}${check.ok ? '' : `: ${check.detail}`}`);
        if (check.ok) passed++;
        else failed++;
      }
      if (!result.report || (result.code !== 0 && result.report.results.every((c) => c.ok))) {
        failed++;
        console.log(`  ✗ ${editor.name} exited with ${result.code} without a complete report`);
        console.log(`${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-30).map((l) => `    ${l}`).join('\n'));
      } else if (result.report.results.some((c) => !c.ok) && process.env.ENTENTE_EDITORS_VERBOSE) {
        console.log(result.stderr);
      }
    } finally {
      fs.rmSync(sandbox, { recursive: true, force: true, maxRetries: 3 });
    }
  }
  console.log(`editors: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
