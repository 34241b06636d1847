/** Where the tests find the project and its vendored data, wherever they are compiled to (out/ or out-NAME/). */
import * as fs from 'node:fs';
import * as path from 'node:path';

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
