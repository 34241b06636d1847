// Bundles the extension client, the language server and the CLI with esbuild.
// Usage: node scripts/build.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

/**
 * citation-js (with citeproc, over half of the server's code) is loaded only when a reference is first formatted
 * (`render/csl.ts`): the server and the CLI take it from its own file, so that their start does not parse it.
 */
const citationJsApart = {
  name: 'citation-js-apart',
  setup(build) {
    build.onResolve({ filter: /^@citation-js\// }, () => ({ path: './citation-js.js', external: true }));
  },
};

const builds = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js', plugins: [citationJsApart] },
  { entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', plugins: [citationJsApart] },
  { entryPoints: ['server/src/service/render/citationJsBundle.cjs'], outfile: 'dist/citation-js.js' },
];

// Data the server reads at run time, and the glossary schema VS Code validates glossary files with.
mkdirSync('dist', { recursive: true });
for (const file of ['builtin.yaml', 'glossary.schema.json']) copyFileSync(`server/src/service/glossary/${file}`, `dist/${file}`);
// The built-in glossary also as JSON: the server reads it at start-up far faster than it parses YAML.
writeFileSync('dist/builtin.json', JSON.stringify(parse(readFileSync('server/src/service/glossary/builtin.yaml', 'utf8'))));

if (watch) {
  for (const b of builds) await (await esbuild.context({ ...common, ...b })).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build({ ...common, ...b })));
}
