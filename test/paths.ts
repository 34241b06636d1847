/** Where the tests find the project and its vendored data, wherever they are compiled to (out/ or out-NAME/). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The index cache of every server and CLI the tests start (they inherit this process's environment) goes to a
 * folder of this run, removed at its end: tests write nothing outside the repository and its temporary folders.
 */
export const testCacheHome = fs.mkdtempSync(path.join(os.tmpdir(), 'entente-test-cache-'));
process.env.XDG_CACHE_HOME = testCacheHome;
process.on('exit', () => fs.rmSync(testCacheHome, { recursive: true, force: true }));

/** The folder holding package.json. */
export const projectRoot = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = up;
  }
  return dir;
})();

/** Real public bibliographies, vendored with their origins and licences (test/fixtures/real-bib/ORIGINS.md). */
export const realBibDir = path.join(projectRoot, 'test', 'fixtures', 'real-bib');

/** The `.bib` files directly in `folder` (a subfolder of realBibDir by default), sorted. */
export function realBibFiles(folder = realBibDir): string[] {
  return fs
    .readdirSync(folder)
    .filter((f) => f.endsWith('.bib'))
    .sort()
    .map((f) => path.join(folder, f));
}
