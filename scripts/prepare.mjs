// npm's `prepare` (run by `npm ci`, `npm install`, `npm link` and `npm install -g .`): builds dist/.
// `npm install -g .` and `npm link` do not install the devDependencies the build needs (esbuild, yaml's
// types...): then this installs them first, from the lock file, into this folder, without install scripts.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

function resolvable(name) {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}

// The nested npm installs into this folder, not where the outer `npm install -g` installs.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_(global|location|prefix)$/i.test(k)));

function run(command, args) {
  const r = spawnSync(command, args, { cwd: root, env, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) {
    process.stderr.write(`entente: \`${[command, ...args].join(' ')}\` failed in ${root}; run \`npm ci && npm run build\` there by hand.\n`);
    process.exit(r.status ?? 1);
  }
}

if (!resolvable('esbuild') || !resolvable('yaml')) {
  process.stderr.write('entente: installing the build tools (npm ci) to build dist/...\n');
  run(process.env.npm_execpath ? process.execPath : 'npm', [...(process.env.npm_execpath ? [process.env.npm_execpath] : []), 'ci', '--no-audit', '--no-fund', '--ignore-scripts']);
}
run(process.execPath, [join(root, 'scripts', 'build.mjs')]);
if (!existsSync(join(root, 'dist', 'cli.js'))) process.exit(1);
