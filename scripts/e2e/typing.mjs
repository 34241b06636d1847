// The typing test (issue 14): in a real VS Code (code-server + Chromium, see codeServer.mjs), with the
// extension loaded from this folder (built: dist/) and VS Code's default settings for Markdown (no
// quick suggestions: a list that closes while the writer types does not come back), types at typing
// speed in a copy of examples/nfm-paper and checks that the suggest widget is showing, with the
// expected entry first, after:
//   `See [@nato frc`  (paper.md)   bosica2024nato ("NATO's new force model", a typo in "force")
//   `See [@bsicop`    (paper.md)   biscop2022new (a swap of two letters)
//   `See \ref{`       (paper.tex)  sec:intro, the first label of the project
//   `See @fig-`       (paper.qmd, a copy of paper.md)  fig-nfm-tiers
// Each waits for the language server to be ready (its first squiggle in that file) before typing,
// and for conditions rather than fixed times. Exit code 0 when all pass, 1 otherwise.
// Environment: ENTENTE_E2E_TIMEOUT (seconds for the whole run, default 240), ENTENTE_TYPING_DELAY
// (milliseconds between keys, default 90: a brisk typist).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkInstalled, launchChromium, projectRoot, startCodeServer, startRun } from './codeServer.mjs';

const timeoutSeconds = Number(process.env.ENTENTE_E2E_TIMEOUT || 240);
const keyDelay = Number(process.env.ENTENTE_TYPING_DELAY || 90);
const started = Date.now();
const say = (...args) => console.error(`[typing ${((Date.now() - started) / 1000).toFixed(1)} s]`, ...args);

// Only what keeps the workbench quiet; the editor's completion settings stay VS Code's defaults.
const userSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'chat.disableAIFeatures': true,
  'editor.minimap.enabled': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
};

/** Each case: the file, a line the language server underlines (its deliberate mistake), what is typed, the first entry expected. */
const cases = [
  { file: 'paper.md', problemLine: 95, typed: 'See [@nato frc', first: 'bosica2024nato' },
  { file: 'paper.md', problemLine: 95, typed: 'See [@bsicop', first: 'biscop2022new' },
  { file: 'paper.tex', problemLine: 81, typed: 'See \\ref{', first: 'sec:intro' },
  { file: 'paper.qmd', problemLine: 95, typed: 'See @fig-', first: 'fig-nfm-tiers' },
];

async function main() {
  checkInstalled();
  if (!fs.existsSync(path.join(projectRoot, 'dist', 'client.js'))) throw new Error('dist/client.js is missing: run `npm run build` first');
  const run = startRun({ prefix: 'entente-typing-', timeoutSeconds, settings: userSettings, say });
  const { workspace } = run;
  fs.copyFileSync(path.join(workspace, 'paper.md'), path.join(workspace, 'paper.qmd'));

  const failures = [];
  try {
    run.server = startCodeServer({ env: run.sandbox.env, userDataDir: run.userDataDir, extensionsDir: run.extensionsDir, logFile: run.logFile });
    const url = await run.server.url;
    run.browser = await launchChromium(run.sandbox.env);
    const page = await run.browser.newPage({ viewport: { width: 1280, height: 800 } });
    // The extension under development, as VS Code's --extensionDevelopmentPath loads it (no packaging).
    const remote = `vscode-remote://${new URL(url).host}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', `${remote}${projectRoot}`],
      ['skipWelcome', 'true'],
    ]);
    await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`, { waitUntil: 'domcontentloaded', timeout: 60000 });
    await page.locator('.monaco-workbench .part.editor').waitFor({ timeout: 90000 });
    say('workbench ready');

    const quickInput = page.locator('.quick-input-widget input');
    const openFile = async (name) => {
      await page.keyboard.press('Control+P');
      await quickInput.waitFor();
      await quickInput.fill(name);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
      await page.keyboard.press('Enter');
      await page.locator(`.tab.active[aria-label*="${name}"], .tab.active:has-text("${name}")`).first().waitFor();
      await page.locator('.monaco-editor.focused').first().waitFor();
    };
    /** Puts the cursor on a new empty line at the end of the file, two lines after its text. */
    const newLineAtEnd = async () => {
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Enter');
    };

    const ready = new Set();
    for (const c of cases) {
      await openFile(c.file);
      if (!ready.has(c.file)) {
        // The language server has read the file once it underlines its mistake: typing before that could send the
        // first `@` before the completion provider is registered.
        await page.keyboard.press('Control+G');
        await quickInput.waitFor();
        await page.keyboard.type(String(c.problemLine));
        await page.keyboard.press('Enter');
        await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 90000 });
        ready.add(c.file);
        say(`${c.file}: language server ready`);
      }
      await newLineAtEnd();
      await page.keyboard.type(c.typed, { delay: keyDelay });
      const firstRow = page.locator('.editor-widget.suggest-widget.visible .monaco-list-row[data-index="0"]');
      try {
        await firstRow.filter({ hasText: c.first }).waitFor({ timeout: 15000 });
        say(`ok: '${c.typed}' in ${c.file} shows ${c.first} first`);
      } catch {
        const visible = await page.locator('.editor-widget.suggest-widget.visible').count();
        const rows = visible ? await page.locator('.editor-widget.suggest-widget.visible .monaco-list-row').allInnerTexts() : [];
        const message = visible ? `the list starts with ${JSON.stringify(rows.slice(0, 3).map((r) => r.split('\n')[0]))}` : 'no suggest widget';
        failures.push(`'${c.typed}' in ${c.file}: expected ${c.first} first, but ${message}`);
        say(`FAIL: ${failures[failures.length - 1]}`);
      }
      await page.keyboard.press('Escape');
    }
    return failures.length ? 1 : 0;
  } catch (error) {
    run.fail(error);
    return 1;
  } finally {
    await run.end();
    say(failures.length ? `${failures.length} of ${cases.length} failed` : 'done');
  }
}

process.exitCode = await main();
