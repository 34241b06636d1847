/**
 * The entry point VS Code's extension host loads from `--extensionTestsPath`: runs every
 * `*.test.js` bundled beside this file with mocha, inside the real extension host.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';

/** The bridge (scripts/e2e/run-vscode-tests.mjs) prints only console lines that carry this mark. */
const bridgeMark = '[entente-e2e] ';

export async function run(): Promise<void> {
  if (process.env.ENTENTE_E2E_BRIDGE) {
    // In code-server the extension host's console reaches the bridge through the workbench log,
    // mixed with the workbench's own messages: mark ours, formatted here.
    // (The extension host defines console.log & co. as accessors: redefine, not assign.)
    for (const level of ['log', 'info', 'warn', 'error'] as const) {
      const original = console[level].bind(console);
      Object.defineProperty(console, level, { value: (...args: unknown[]) => original(bridgeMark + format(...args)), configurable: true, writable: true });
    }
  }
  // mocha is an ES module: loaded with import() (kept as is by the bundler), and after the
  // console is patched, since its reporters keep a reference to console.log.
  const { default: Mocha } = (await import('mocha')) as unknown as { default: typeof import('mocha') };
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60000, slow: 5000 });
  for (const file of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(path.join(__dirname, file));
  await mocha.loadFilesAsync();
  let passes = 0;
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run(resolve);
    runner.on('pass', () => passes++);
  });
  console.log(`e2e: ${passes} passed, ${failures} failed`);
  if (failures > 0) throw new Error(`${failures} end-to-end test(s) failed`);
}
