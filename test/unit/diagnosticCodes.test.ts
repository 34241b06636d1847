import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diagnosticCodes, type DiagnosticCodeInfo } from '../../server/src/service/diagnosticCodes';

function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

/** The code strings the service's source gives diagnostics and parse errors (`code: 'bib.syntax'`, `code: x ? 'a.b' : 'c.d'`). */
function codesInSource(): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string) => {
    for (const item of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, item.name);
      if (item.isDirectory()) walk(file);
      else if (item.name.endsWith('.ts') && item.name !== 'diagnosticCodes.ts') {
        for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
          if (!/\bcode\b/.test(line)) continue;
          for (const m of line.matchAll(/'([a-z]+\.[a-z]+(?:-[a-z]+)*)'/g)) found.set(m[1], path.relative(projectRoot(), file));
        }
      }
    }
  };
  walk(path.join(projectRoot(), 'server', 'src', 'service'));
  return found;
}

describe('the table of diagnostic codes', () => {
  const inSource = codesInSource();

  it('finds the codes in the source (the scan itself works)', () => {
    for (const code of ['citation.undefined', 'bib.syntax', 'bibliography.not-found', 'glossary.syntax']) assert.ok(inSource.has(code), code);
  });

  it('describes every code the service can emit', () => {
    const missing = [...inSource].filter(([code]) => !(code in diagnosticCodes)).map(([code, file]) => `${code} (${file})`);
    assert.deepEqual(missing, []);
  });

  it('has no code the service no longer emits', () => {
    assert.deepEqual(Object.keys(diagnosticCodes).filter((code) => !inSource.has(code)), []);
  });

  it('gives each code a one-line description and a help text of their own', () => {
    for (const [code, info] of Object.entries(diagnosticCodes as Record<string, DiagnosticCodeInfo>)) {
      assert.ok(info.description.length > 20 && !info.description.includes('\n') && info.description.endsWith('.'), code);
      assert.ok(info.help.length > 20 && info.help !== info.description && info.help.endsWith('.'), code);
      assert.ok(!info.description.includes(code), code);
    }
  });
});
