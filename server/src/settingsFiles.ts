/**
 * The settings `entente check` reads, like the editor would: `.vscode/settings.json` (JSON with
 * comments) and `entente.config.json` at the project root, the latter winning.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** JSON with `//` and `/* *\/` comments and trailing commas (VS Code's settings format). Undefined when broken. */
export function parseJsonc(text: string): unknown {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      out += text.slice(start, i + 1);
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else out += c;
  }
  try {
    return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
  } catch {
    return undefined;
  }
}

/** `entente.*` settings from the project's files, as one object of dotted keys (what readConfig accepts). */
export function projectSettings(root: string, warn: (message: string) => void): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const file of [path.join(root, '.vscode', 'settings.json'), path.join(root, 'entente.config.json')]) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const parsed = parseJsonc(text);
    if (!parsed || typeof parsed !== 'object') {
      warn(`${file}: not valid JSON; ignored.`);
      continue;
    }
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
      if (path.basename(file) === 'entente.config.json') settings[k.replace(/^entente\./, '')] = v;
      else if (k.startsWith('entente.')) settings[k.slice('entente.'.length)] = v;
    }
  }
  return settings;
}
