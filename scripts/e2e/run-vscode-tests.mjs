#!/usr/bin/env node
// A stand-in for the `code` executable that @vscode/test-electron's runTests() spawns: it takes
// VS Code's arguments (`--extensionDevelopmentPath=... --extensionTestsPath=... [folder]`), runs
// the extension tests in a real VS Code workbench (code-server, in Debian's Chromium driven by
// playwright-core) and exits with the test suite's exit code.
//
//   node scripts/e2e/run-vscode-tests.mjs --extensionDevelopmentPath=/abs/ext --extensionTestsPath=/abs/suite/index.js /abs/folder
//
// Environment: ENTENTE_E2E_TIMEOUT (seconds for the whole run, default 180), ENTENTE_E2E_VERBOSE=1
// (the workbench's own log too), ENTENTE_E2E_KEEP=1 (keep the temporary folders),
// ENTENTE_E2E_CACHE (where install-code-server.sh put code-server and Node 24).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import { checkInstalled, killGroup, launchChromium, makeSandbox, startCodeServer, tail } from './codeServer.mjs';

const timeoutSeconds = Number(process.env.ENTENTE_E2E_TIMEOUT || 180);
const verbose = !!process.env.ENTENTE_E2E_VERBOSE;
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
/** Must match `bridgeMark` in test/e2e/suite/index.ts. */
const suiteMark = '[entente-e2e] ';
const say = (...args) => console.error(`[e2e ${elapsed()}]`, ...args);

/** The subset of VS Code's command line that matters here; everything else is accepted and ignored. */
function parseArgs(argv) {
  const options = { extensionDevelopmentPath: [], extensionTestsPath: undefined, userDataDir: undefined, extensionsDir: undefined, paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') ? (eq > 0 ? arg.slice(2, eq) : arg.slice(2)) : undefined;
    const value = () => (eq > 0 ? arg.slice(eq + 1) : argv[++i]);
    if (name === 'extensionDevelopmentPath') options.extensionDevelopmentPath.push(path.resolve(value()));
    else if (name === 'extensionTestsPath') options.extensionTestsPath = path.resolve(value());
    else if (name === 'user-data-dir') options.userDataDir = path.resolve(value());
    else if (name === 'extensions-dir') options.extensionsDir = path.resolve(value());
    else if (name === undefined) options.paths.push(path.resolve(arg));
    // Flags meant for Electron or the desktop window (--no-sandbox, --disable-updates, --skip-welcome, ...) do not apply.
  }
  return options;
}

const remotePath = (authority, file) => `vscode-remote://${authority}${file.split(path.sep).map(encodeURIComponent).join('/')}`;

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!options.extensionTestsPath) throw new Error('usage: run-vscode-tests.mjs --extensionDevelopmentPath=DIR --extensionTestsPath=FILE [folder]');
  checkInstalled();

  const sandbox = makeSandbox();
  let server;
  let browser;
  let finished = false;
  const cleanup = async () => {
    if (finished) return;
    finished = true;
    await Promise.race([browser?.close().catch(() => {}), new Promise((r) => setTimeout(r, 5000))]);
    await killGroup(server?.child);
    sandbox.dispose();
  };
  const onSignal = (signal) => {
    say(`${signal}: stopping`);
    void cleanup().then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const logFile = path.join(sandbox.root, 'code-server.log');
  try {
    const userDataDir = options.userDataDir ?? sandbox.dir('user-data');
    const extensionsDir = options.extensionsDir ?? sandbox.dir('extensions');
    fs.mkdirSync(userDataDir, { recursive: true });
    fs.mkdirSync(extensionsDir, { recursive: true });

    server = startCodeServer({ env: sandbox.env, userDataDir, extensionsDir, logFile });
    const url = await server.url;
    const authority = new URL(url).host;
    say(`code-server listening on ${url}`);

    const payload = [
      ...options.extensionDevelopmentPath.map((p) => ['extensionDevelopmentPath', remotePath(authority, p)]),
      ['extensionTestsPath', remotePath(authority, options.extensionTestsPath)],
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
    ];
    const query = new URLSearchParams();
    const folder = options.paths.find((p) => fs.existsSync(p) && fs.statSync(p).isDirectory());
    const workspaceFile = options.paths.find((p) => p.endsWith('.code-workspace'));
    if (workspaceFile) query.set('workspace', workspaceFile);
    else if (folder) query.set('folder', folder);
    else query.set('ew', 'true');
    query.set('payload', JSON.stringify(payload));

    browser = await launchChromium(sandbox.env);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const exitCode = new Promise((resolve) => {
      // The last lines of the reporter may still be on their way: let them arrive.
      void page.exposeFunction('codeAutomationExit', (code) => setTimeout(() => resolve(Number(code) || 0), 500));
    });
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      // The extension host's console arrives here through the workbench log, among the
      // workbench's own messages; the suite (test/e2e/suite/index.ts) marks its lines.
      const text = format(...(Array.isArray(args) ? args : [args]));
      const mark = text.indexOf(suiteMark);
      if (mark >= 0) console.log(text.slice(mark + suiteMark.length));
      else if (verbose) console.error(`[workbench ${type}] ${text}`);
    });
    page.on('pageerror', (error) => verbose && say('page error:', error.message));
    page.on('crash', () => say('the page crashed'));

    say(`opening the workbench${folder ? ` on ${folder}` : ''}`);
    await page.goto(`${url}/?${query}`, { waitUntil: 'domcontentloaded', timeout: 60000 });

    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the tests did not finish within ${timeoutSeconds} s (ENTENTE_E2E_TIMEOUT)`)), Math.max(1000, timeoutSeconds * 1000 - (Date.now() - started)));
    });
    const code = await Promise.race([exitCode, timeout]);
    clearTimeout(timer);
    say(`tests finished with exit code ${code}`);
    return code;
  } catch (error) {
    say(`error: ${error instanceof Error ? error.message : error}`);
    const log = tail(logFile, 80);
    if (log) console.error(`--- last lines of code-server's output ---\n${log}\n---`);
    return 1;
  } finally {
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
