// Screenshots of Entente in a real VS Code (code-server + Chromium, see codeServer.mjs), taken
// the way a writer would see it: installs the packaged entente.vsix, opens a copy of
// examples/nfm-paper, waits for the language server's first squiggle, then saves
//   completion.png  the completion list after typing `[@bisc`, with the formatted reference
//   hover.png       the hover on a citation key
//   picker.png      Insert Citation with two entries ticked across two queries (the inserted text is checked)
//   problems.png    the Problems panel with the example's deliberate mistakes
// into screenshots/ (git-ignored; `--out DIR` to change). `npm run screenshots` packages first.
// Environment: ENTENTE_VSIX (default entente.vsix), ENTENTE_E2E_TIMEOUT (seconds, default 180).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkInstalled, codeServerCli, launchChromium, projectRoot, startCodeServer, startRun } from './codeServer.mjs';

const outArg = process.argv.indexOf('--out');
const outDir = path.resolve(outArg > 0 ? process.argv[outArg + 1] : path.join(projectRoot, 'screenshots'));
const vsix = path.resolve(process.env.ENTENTE_VSIX || path.join(projectRoot, 'entente.vsix'));
const timeoutSeconds = Number(process.env.ENTENTE_E2E_TIMEOUT || 180);
const started = Date.now();
const say = (...args) => console.error(`[screenshots ${((Date.now() - started) / 1000).toFixed(1)} s]`, ...args);

const userSettings = {
  'workbench.colorTheme': 'Default Light Modern',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.layoutControl.enabled': false,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'window.commandCenter': false,
  'editor.minimap.enabled': false,
  'editor.stickyScroll.enabled': false,
  'breadcrumbs.enabled': false,
  'editor.fontSize': 15,
  'editor.lineHeight': 22,
  'editor.wordWrap': 'on',
  'editor.hover.delay': 200,
  'editor.quickSuggestions': { other: true, comments: false, strings: false },
  'editor.suggest.showStatusBar': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'markdown.validate.enabled': false,
};

async function main() {
  checkInstalled();
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run \`npm run package\` first (or set ENTENTE_VSIX)`);
  fs.mkdirSync(outDir, { recursive: true });

  const run = startRun({ prefix: 'entente-screenshots-', timeoutSeconds, settings: userSettings, say });
  const { userDataDir, extensionsDir, workspace } = run;

  try {
    say(`installing ${path.relative(process.cwd(), vsix)} (${(fs.statSync(vsix).size / 1024).toFixed(0)} KB)`);
    await codeServerCli(['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'], run.sandbox.env);

    run.server = startCodeServer({ env: run.sandbox.env, userDataDir, extensionsDir, logFile: run.logFile });
    const url = await run.server.url;
    run.browser = await launchChromium(run.sandbox.env);
    const page = await run.browser.newPage({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1 });
    await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`, { waitUntil: 'domcontentloaded', timeout: 60000 });
    await page.locator('.monaco-workbench .part.editor').waitFor({ timeout: 60000 });
    say('workbench ready');
    await page.waitForTimeout(1500);

    const runCommand = async (title) => {
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor();
      await input.fill(`>${title}`);
      await page.locator('.quick-input-list .monaco-list-row').first().waitFor();
      await page.waitForTimeout(300);
      await page.keyboard.press('Enter');
      await page.waitForTimeout(300);
    };
    const openFile = async (name) => {
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor();
      await input.fill(name);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
      await page.waitForTimeout(300);
      await page.keyboard.press('Enter');
      await page.locator(`.tab.active[aria-label*="${name}"], .tab.active:has-text("${name}")`).first().waitFor();
      await page.waitForTimeout(300);
    };
    const goToLine = async (line) => {
      await page.keyboard.press('Control+G');
      await page.locator('.quick-input-widget input').waitFor();
      await page.keyboard.type(String(line));
      await page.keyboard.press('Enter');
      await page.waitForTimeout(200);
    };

    // The LaTeX draft first, so that the Problems panel lists both drafts.
    await openFile('paper.tex');
    await openFile('paper.md');
    await runCommand('Notifications: Clear All Notifications');
    await runCommand('View: Close Primary Side Bar');
    await page.locator('.monaco-editor .view-lines').first().click();

    // The language server is ready once the broken citation on line 95 is underlined: typing
    // before that could send the first `@` before the completion provider is registered.
    await goToLine(95);
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 60000 });
    say('language server ready (squiggle shown)');

    // Completion: a new line after 96, where the writer types a citation.
    let shown = false;
    for (let attempt = 1; attempt <= 3 && !shown; attempt++) {
      await goToLine(96);
      await page.keyboard.press('End');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Enter');
      await page.keyboard.type('See [@bisc', { delay: 60 });
      const widget = page.locator('.suggest-widget.visible');
      try {
        await widget.locator('.monaco-list-row', { hasText: 'biscop2022new' }).first().waitFor({ timeout: 10000 });
        shown = true;
      } catch {
        say(`attempt ${attempt}: no completion list yet, retrying`);
        await page.keyboard.press('Escape');
        await runCommand('Undo');
        await runCommand('Undo');
      }
    }
    if (!shown) throw new Error('the completion list did not show biscop2022new');
    // Show the details of the selected item (the formatted reference) beside the list, once resolved.
    const details = page.locator('.suggest-details-container .suggest-details');
    if (!(await details.isVisible())) await page.keyboard.press('Control+Space');
    await details.filter({ hasText: 'Egmont' }).first().waitFor({ timeout: 20000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(outDir, 'completion.png') });
    say('completion.png');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Z');
    await page.keyboard.press('Control+Z');
    await page.keyboard.press('Control+Z');
    await page.waitForTimeout(300);

    // Hover: the cursor inside the first citation of biscop2022new (found as one types), then "Show Hover".
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Control+F');
    await page.keyboard.type('@biscop2022new');
    await page.waitForTimeout(300);
    await page.keyboard.press('Escape');
    await page.keyboard.press('ArrowLeft');
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
    await runCommand('Show or Focus Hover');
    await page.locator('.monaco-hover:visible', { hasText: 'Biscop' }).first().waitFor({ timeout: 20000 });
    await page.waitForTimeout(800);
    await page.screenshot({ path: path.join(outDir, 'hover.png') });
    say('hover.png');
    await page.keyboard.press('Escape');

    // The citation keys' colours (semantic tokens): a defined key and the undefined one, as the theme paints them.
    const colourOf = (key) =>
      page.evaluate((text) => {
        const span = [...document.querySelectorAll('.monaco-editor .view-line span span')].find((s) => s.textContent === text);
        return span ? getComputedStyle(span).color : 'not shown';
      }, key);
    await goToLine(95);
    const colours = [await colourOf('iskandarov2023nato'), await colourOf('duffeild1994nato')];
    say(`colours: iskandarov2023nato ${colours[0]}, duffeild1994nato ${colours[1]}`);
    if (colours.includes('not shown') || colours[0] === colours[1]) throw new Error('a defined and an undefined citation key are not coloured apart');

    // Insert Citation: one entry ticked, a second query, another ticked, then a prefix and locator for the first.
    await goToLine(96);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.keyboard.type('As argued ', { delay: 20 });
    await runCommand('Entente: Insert Citation');
    const pickInput = page.locator('.quick-input-widget input[type="text"], .quick-input-widget .quick-input-box input').first();
    const row = (key) => page.locator('.quick-input-list .monaco-list-row', { hasText: key }).first();
    const tick = async (query, key) => {
      await pickInput.fill(query);
      await row(key).waitFor({ timeout: 20000 });
      await page.waitForTimeout(400);
      await row(key).locator('.monaco-checkbox').first().click();
      await page.waitForTimeout(300);
    };
    await tick('szenes', 'szenes2023reinforcing');
    await tick('force model', 'biscop2022new');
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(outDir, 'picker.png') });
    say('picker.png');
    await pickInput.focus();
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'prefix and locator for szenes2023reinforcing' }).waitFor({ timeout: 10000 });
    await page.keyboard.type('see, p. 12', { delay: 20 });
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'prefix and locator for biscop2022new' }).waitFor({ timeout: 10000 });
    await page.keyboard.press('Enter');
    const expected = 'As argued [see @szenes2023reinforcing, p. 12; @biscop2022new]';
    await page.locator('.monaco-editor .view-line', { hasText: expected }).first().waitFor({ timeout: 10000 });
    say(`inserted: ${expected}`);
    for (let i = 0; i < 4; i++) await page.keyboard.press('Control+Z');

    // Problems.
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'duffeild1994nato' }).first().waitFor({ timeout: 20000 });
    await page.waitForTimeout(800);
    await page.screenshot({ path: path.join(outDir, 'problems.png') });
    say('problems.png');
    say(`saved in ${outDir}`);
    return 0;
  } catch (error) {
    run.fail(error);
    return 1;
  } finally {
    await run.end();
  }
}

process.exitCode = await main();
