/**
 * The settings `entente check` reads, like the editor would: `.vscode/settings.json` (JSON with
 * comments) and `entente.config.json` at the project root, the latter winning.
 */
import * as path from 'node:path';
import { resolveSettings } from './service/config';
import { parseJsonc } from './service/jsonc';
import { readTextFileSync } from './nodeFileSystem';

/** A settings file is a few kilobytes; one past this size is not one. */
const settingsFileMaxBytes = 1 << 20;

export { parseJsonc };

/**
 * `entente.*` settings from the project's files, as one object of valid values with dotted names
 * (what readConfig accepts). `.vscode/settings.json` counts only its `entente.*` keys (the rest is
 * other tools'); `entente.config.json` is all Entente's, in any shape the editors accept (flat,
 * under `entente`, dotted). Each invalid or unknown setting is reported through `warn`, once.
 */
export function projectSettings(root: string, warn: (message: string) => void): Record<string, unknown> {
  const layers: unknown[] = [];
  const sources: string[] = [];
  for (const file of [path.join(root, '.vscode', 'settings.json'), path.join(root, 'entente.config.json')]) {
    const read = readTextFileSync(file, settingsFileMaxBytes);
    if ('error' in read) {
      // A FIFO, a device or a huge file in a pull request must not stall or sink CI: said, then skipped.
      if (!read.error.startsWith('does not exist')) warn(`${file}: ${read.error}; ignored.`);
      continue;
    }
    const text = read.text;
    const parsed = parseJsonc(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      warn(`${file}: not valid JSON; ignored.`);
      continue;
    }
    const entries = Object.entries(parsed as Record<string, unknown>);
    const ours = (k: string) => k === 'entente' || k.startsWith('entente.');
    // In entente.config.json every key is a setting (an unknown one is reported); in settings.json only entente.*.
    // Its `projects` are no setting: the service reads them from the file itself (index/projects.ts), in every editor.
    if (path.basename(file) === 'entente.config.json') layers.push(Object.fromEntries(entries.filter(([k]) => k !== 'projects').map(([k, v]) => [ours(k) ? k : `entente.${k}`, v])));
    else layers.push(Object.fromEntries(entries.filter(([k]) => ours(k))));
    sources.push(path.relative(root, file));
  }
  const { values, problems } = resolveSettings(layers, sources);
  for (const p of problems) warn(`warning: ${p}`);
  return values;
}
