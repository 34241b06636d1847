import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { VERSION } from '../../server/src/version';
import { readConfig } from '../../server/src/service/config';

let root = __dirname;
while (!fs.existsSync(path.join(root, 'package.json'))) root = path.dirname(root);
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

describe('the extension manifest', () => {
  it('keeps the server and CLI version equal to the package version', () => {
    assert.equal(VERSION, manifest.version);
  });

  it("turns off VS Code's reference-link validation, which would flag every [@key] as 'No link definition found'", () => {
    // VS Code's Markdown validator reads `[@key]` as a shortcut reference link; `markdown.validate.ignoredLinks`
    // does not apply to reference links and the setting is not language-overridable, so the default is changed.
    assert.equal(manifest.contributes.configurationDefaults['markdown.validate.referenceLinks.enabled'], 'ignore');
  });

  it('describes every setting the server reads, with a markdownDescription', () => {
    const props = manifest.contributes.configuration.properties as Record<string, { markdownDescription?: string; default: unknown }>;
    for (const [name, p] of Object.entries(props)) assert.ok(p.markdownDescription && p.markdownDescription.length > 20, name);
    const defaults: Record<string, unknown> = {};
    for (const [name, p] of Object.entries(props)) if (name !== 'entente.trace.server') defaults[name.replace(/^entente\./, '')] = p.default;
    // The manifest's defaults and the server's defaults agree.
    assert.deepEqual(readConfig(defaults), readConfig({}));
  });

  it('activates only on the languages Entente serves', () => {
    assert.deepEqual(manifest.activationEvents.filter((e: string) => !e.startsWith('onLanguage:') && !e.startsWith('onCommand:')), []);
  });
});
