/**
 * The README tells the truth: every setting, diagnostic code and command the product has is in it,
 * and its examples work (the glossary file parses with no error, passes the schema VS Code uses, and
 * its term hovers in a draft). The Neovim snippet runs in Neovim itself (test/editors/readme.lua).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { diagnosticCodes } from '../../server/src/service/diagnosticCodes';
import { parseGlossaryFile } from '../../server/src/service/glossary/projectGlossary';
import { projectRoot } from '../paths';
import { cursor } from './fixture';
import { serviceFor } from './memoryWorkspace';

const readme = fs.readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
const manifest = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8'));

/** The README's section under `## title`, up to the next `## `. */
function section(title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  assert.ok(start >= 0, `README has no section "## ${title}"`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The first fenced block of `language` in `text`, without its indentation. */
function block(text: string, language: string): string {
  const m = new RegExp('^( *)```' + language + '\\n([\\s\\S]*?)\\n\\1```', 'm').exec(text);
  assert.ok(m, `no \`\`\`${language} block`);
  return m[2].replace(new RegExp(`^${m[1]}`, 'gm'), '');
}

describe('README', () => {
  it('lists every setting of package.json with its default', () => {
    const table = section('Settings');
    for (const [name, spec] of Object.entries<{ default: unknown }>(manifest.contributes.configuration.properties)) {
      const row = table.split('\n').find((l) => l.startsWith(`| \`${name}\` |`));
      assert.ok(row, `${name} is not in the settings table`);
      const shown = typeof spec.default === 'string' ? spec.default : JSON.stringify(spec.default);
      assert.ok(row.replace(/ /g, '').includes(`\`${shown}\``), `${name}: default ${shown} not shown in: ${row}`);
    }
  });

  it('lists every diagnostic code, and no code the service does not have', () => {
    const table = section('Diagnostic codes');
    const listed = [...table.matchAll(/^\| `([a-z-]+\.[a-z-]+)` \|/gm)].map((m) => m[1]).sort();
    assert.deepEqual(listed, Object.keys(diagnosticCodes).sort());
  });

  it('lists every command of the extension, and its key binding', () => {
    const table = section('Commands (VS Code)');
    for (const c of manifest.contributes.commands as { command: string; title: string }[]) {
      assert.ok(table.includes(`*Entente: ${c.title}*`), `${c.command} ("${c.title}") is not in the commands table`);
    }
    for (const k of manifest.contributes.keybindings as { key: string; mac: string }[]) {
      const shown = (key: string) => key.split('+').map((p) => (p.length === 1 ? p : p[0].toUpperCase() + p.slice(1))).join('+');
      assert.ok(table.includes(`\`${shown(k.key)}\``) && table.includes(`\`${shown(k.mac)}\``), `key binding ${k.key} / ${k.mac} is not in the commands table`);
    }
  });

  it("gives a glossary file that parses with no problem and passes the glossary schema", () => {
    const example = block(section('The alliance glossary'), 'yaml');
    assert.deepEqual(parseGlossaryFile(example).errors.map((e) => e.message), []);
    const schema = JSON.parse(fs.readFileSync(path.join(projectRoot, 'server', 'src', 'service', 'glossary', 'glossary.schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true }).compile(schema);
    assert.ok(validate(parse(example)), JSON.stringify(validate.errors));
  });

  it("gives a glossary file whose term hovers in a draft, in place of the built-in sense", async () => {
    const example = block(section('The alliance glossary'), 'yaml');
    const draft = cursor('The A|RF (Allied Reaction Force) replaced the NATO Response Force.\n');
    const { workspace, service } = serviceFor({ 'glossary.yaml': example, 'paper.md': draft.text });
    const hover = await service.getHover(workspace.openDoc('paper.md'), draft.position);
    const text = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : JSON.stringify(hover);
    assert.match(text, /\*\*ARF\*\*.*Allied Reaction Force/);
    assert.match(text, /glossary\.yaml/);
    const problems = (await service.getDiagnostics(workspace.openDoc('glossary.yaml'))).map((d) => `${d.code} ${d.message}`);
    assert.deepEqual(problems, []);
  });

  it('says which Node.js version it needs, as package.json does', () => {
    const min = /^>=(\d+\.\d+)/.exec(manifest.engines.node)?.[1];
    assert.ok(min && readme.includes(`Node.js ${min} or later`), `README does not state Node.js ${min} or later`);
  });
});
