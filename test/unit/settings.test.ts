import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultConfig, readConfig, resolveSettings, settingSpecs } from '../../server/src/service/config';
import { createLanguageService } from '../../server/src/service/languageService';
import { projectSettings } from '../../server/src/settingsFiles';
import { MemoryWorkspace } from './memoryWorkspace';

let root = __dirname;
while (!fs.existsSync(path.join(root, 'package.json'))) root = path.dirname(root);
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

const master = { bibliographyFiles: ['~/master.bib'], glossaryFirstUse: 'hint' as const, latexCitationCommands: ['mycite'] };
const expected = { ...defaultConfig, ...master };

describe('settings', () => {
  describe('the shapes editors send', () => {
    const shapes: [string, unknown][] = [
      ['flat (Helix config, Neovim init_options)', { bibliography: { files: ['~/master.bib'] }, glossary: { firstUse: 'hint' }, latex: { citationCommands: ['\\mycite'] } }],
      ['nested under entente (VS Code, eglot, Neovim settings)', { entente: { bibliography: { files: ['~/master.bib'] }, glossary: { firstUse: 'hint' }, latex: { citationCommands: ['mycite'] } } }],
      ['dotted with the prefix (settings.json)', { 'entente.bibliography.files': ['~/master.bib'], 'entente.glossary.firstUse': 'hint', 'entente.latex.citationCommands': ['mycite'] }],
      ['dotted without the prefix (entente.config.json)', { 'bibliography.files': ['~/master.bib'], 'glossary.firstUse': 'hint', 'latex.citationCommands': ['mycite'] }],
      ['mixed', { entente: { 'bibliography.files': ['~/master.bib'] }, 'entente.glossary': { firstUse: 'hint' }, latex: { citationCommands: ['mycite'] } }],
    ];
    for (const [name, raw] of shapes) {
      it(`reads ${name} into the same config, without problems`, () => {
        const { config, problems } = resolveSettings([raw]);
        assert.deepEqual(config, expected);
        assert.deepEqual(problems, []);
      });
    }

    it('treats null, undefined, an empty object, an empty list and null values as nothing set', () => {
      for (const raw of [null, undefined, {}, [], { entente: null }, { bibliography: { files: null } }, { 'entente.citationStyle': null }]) {
        assert.deepEqual(resolveSettings([raw]), { config: defaultConfig, values: {}, problems: [] }, JSON.stringify(raw));
      }
    });

    it("leaves other tools' keys alone beside an entente section, and reports unknown ones otherwise", () => {
      assert.deepEqual(resolveSettings([{ entente: { citationStyle: 'vancouver' }, pyright: { strict: true } }]).problems, []);
      assert.deepEqual(resolveSettings([{ citationStyle: 'vancouver', pyright: { strict: true } }]).problems, ['entente.pyright: unknown setting; ignored']);
      assert.deepEqual(resolveSettings([{ entente: {}, glossary: { firstuse: 'hint' } }]).problems, ['entente.glossary.firstuse: unknown setting (did you mean entente.glossary.firstUse?); ignored']);
    });
  });

  describe('layers', () => {
    it('keeps the base when a later layer is null, undefined or empty (a client answering null to workspace/configuration)', () => {
      const base = { bibliography: { files: ['~/master.bib'] }, glossary: { firstUse: 'hint' }, latex: { citationCommands: ['mycite'] } };
      for (const answer of [null, undefined, {}]) assert.deepEqual(readConfig(base, answer), expected);
    });

    it('merges a later layer over the earlier one setting by setting', () => {
      const config = readConfig({ bibliography: { files: ['~/master.bib'] }, citationStyle: 'vancouver' }, { entente: { citationStyle: 'harvard1', glossary: { builtin: false } } });
      assert.deepEqual(config, { ...defaultConfig, bibliographyFiles: ['~/master.bib'], citationStyle: 'harvard1', glossaryBuiltin: false });
    });

    it('keeps the earlier valid value when a later one is invalid', () => {
      const { config, problems } = resolveSettings([{ glossary: { firstUse: 'hint' } }, { glossary: { firstUse: 'loud' } }]);
      assert.equal(config.glossaryFirstUse, 'hint');
      assert.deepEqual(problems, ['entente.glossary.firstUse: "loud" is not one of error, warning, information, hint, off; using "hint"']);
    });
  });

  describe('problems', () => {
    const cases: [string, unknown, string][] = [
      ['an unknown enum value', { 'glossary.firstUse': 'loud' }, 'entente.glossary.firstUse: "loud" is not one of error, warning, information, hint, off; using "hint"'],
      ['a wrong type', { entente: { diagnostics: { delay: 'fast' } } }, 'entente.diagnostics.delay: "fast" is not a number; using 250'],
      ['a boolean given as a string', { 'entente.glossary.builtin': 'false' }, 'entente.glossary.builtin: "false" is not true or false; using true'],
      ['a list given as a string', { bibliography: { files: '~/master.bib' } }, 'entente.bibliography.files: "~/master.bib" is not a list of strings; using []'],
      ['a list holding a number', { glossary: { firstUseIgnore: ['NATO', 5] } }, 'entente.glossary.firstUseIgnore: 5 in glossary.firstUseIgnore is not a string; using ["NATO"]'],
      ['a number below its minimum', { completion: { maxItems: 3 } }, 'entente.completion.maxItems: 3 is less than 10; using 10'],
      ['a size of zero', { files: { maxSizeMB: 0 } }, 'entente.files.maxSizeMB: 0 is not more than 0; using 200'],
      ['a misspelt key', { bibliography: { file: ['x.bib'] } }, 'entente.bibliography.file: unknown setting (did you mean entente.bibliography.files?); ignored'],
      ['a key in the wrong case', { 'entente.glossary.firstuse': 'hint' }, 'entente.glossary.firstuse: unknown setting (did you mean entente.glossary.firstUse?); ignored'],
      ['a group that is not an object', { glossary: true }, 'entente.glossary: true is not an object of settings; ignored'],
      ['an inherited property name', { constructor: 1 }, 'entente.constructor: unknown setting; ignored'],
    ];
    for (const [name, raw, message] of cases) {
      it(`says what is wrong with ${name} and what is used instead`, () => {
        assert.deepEqual(resolveSettings([raw]).problems, [message]);
      });
    }

    it('names the source of a problem when given', () => {
      assert.deepEqual(resolveSettings([{ 'glossary.firstUse': 'loud' }], ['entente.config.json']).problems, [
        'entente.config.json: entente.glossary.firstUse: "loud" is not one of error, warning, information, hint, off; using "hint"',
      ]);
    });
  });

  describe('the list of settings', () => {
    const props = manifest.contributes.configuration.properties as Record<string, { type: string; items?: { type: string }; enum?: string[]; default: unknown; minimum?: number; maximum?: number; exclusiveMinimum?: number }>;

    it('is the one package.json declares: names, types, enums, bounds and defaults', () => {
      assert.deepEqual(Object.keys(settingSpecs).map((n) => `entente.${n}`).sort(), Object.keys(props).sort());
      for (const [name, p] of Object.entries(props)) {
        const spec = settingSpecs[name.slice('entente.'.length)];
        const type = p.type === 'array' ? `${p.items?.type}[]` : p.type;
        assert.deepEqual(
          { type, enum: p.enum, default: p.default, minimum: p.minimum, maximum: p.maximum, exclusiveMinimum: p.exclusiveMinimum },
          { type: spec.type, enum: spec.enum, default: spec.default, minimum: spec.minimum, maximum: spec.maximum, exclusiveMinimum: spec.exclusiveMinimum },
          name,
        );
      }
    });

    it('accepts every default of package.json without a problem', () => {
      const defaults = Object.fromEntries(Object.entries(props).map(([n, p]) => [n, p.default]));
      assert.deepEqual(resolveSettings([defaults]), { config: defaultConfig, values: Object.fromEntries(Object.entries(settingSpecs).map(([n, s]) => [n, s.default])), problems: [] });
    });

    it('can be set per workspace folder in VS Code (resource scope), except the client trace', () => {
      for (const [name, p] of Object.entries(props)) assert.equal((p as { scope?: string }).scope, name === 'entente.trace.server' ? 'window' : 'resource', name);
    });
  });

  describe('settings files of entente check', () => {
    it('reads entente.* keys of .vscode/settings.json and every shape of entente.config.json, and warns about each problem', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'entente-settings-'));
      try {
        fs.mkdirSync(path.join(dir, '.vscode'));
        fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), '{\n  "editor.fontSize": 14,\n  "entente.citationStyle": "vancouver", // comment\n  "entente.glossary.firstUse": "loud",\n}\n');
        fs.writeFileSync(path.join(dir, 'entente.config.json'), '{ "entente": { "bibliography": { "files": ["master.bib"] } }, "glossary.buitin": false }');
        const warnings: string[] = [];
        const values = projectSettings(dir, (m) => warnings.push(m));
        assert.deepEqual(values, { citationStyle: 'vancouver', 'bibliography.files': ['master.bib'] });
        assert.deepEqual(warnings, [
          `warning: ${path.join('.vscode', 'settings.json')}: entente.glossary.firstUse: "loud" is not one of error, warning, information, hint, off; using "hint"`,
          'warning: entente.config.json: entente.glossary.buitin: unknown setting (did you mean entente.glossary.builtin?); ignored',
        ]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('warns about an unknown key in entente.config.json', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'entente-settings-'));
      try {
        fs.writeFileSync(path.join(dir, 'entente.config.json'), '{ "glossary.buitin": false }');
        const warnings: string[] = [];
        assert.deepEqual(projectSettings(dir, (m) => warnings.push(m)), {});
        assert.deepEqual(warnings, ['warning: entente.config.json: entente.glossary.buitin: unknown setting (did you mean entente.glossary.builtin?); ignored']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('per workspace folder', () => {
    const files = {
      'one/paper.md': 'Text [@',
      'two/paper.md': 'Text [@',
      'libs/a.bib': '@book{alpha, title={A}, year=2020}',
      'libs/b.bib': '@book{beta, title={B}, year=2020}',
    };
    const folders = ['file:///ws/one', 'file:///ws/two'];

    async function keysIn(service: ReturnType<typeof createLanguageService>, workspace: MemoryWorkspace, name: string) {
      // Checking waits for the libraries to be read; a completion meanwhile would answer from the previous index.
      await service.getDiagnostics(workspace.openDoc(name));
      const list = await service.getCompletions(workspace.openDoc(name), { line: 0, character: 'Text [@'.length });
      return list?.items.map((i) => i.label).sort();
    }

    it('gives each folder its own master library, and the others the global one', async () => {
      const workspace = new MemoryWorkspace(files, folders);
      const service = createLanguageService({ workspace });
      service.setConfig(readConfig({ bibliography: { files: ['/ws/libs/a.bib'] } }), new Map([['file:///ws/two', readConfig({ bibliography: { files: ['/ws/libs/b.bib'] } })]]));
      assert.deepEqual(await keysIn(service, workspace, 'one/paper.md'), ['alpha']);
      assert.deepEqual(await keysIn(service, workspace, 'two/paper.md'), ['beta']);
      assert.equal(service.configFor('file:///ws/two/paper.md').bibliographyFiles[0], '/ws/libs/b.bib');
      assert.equal(service.configFor('file:///elsewhere/paper.md').bibliographyFiles[0], '/ws/libs/a.bib');
      // New settings reach the drafts already looked at.
      service.setConfig(readConfig({ bibliography: { files: ['/ws/libs/b.bib'] } }));
      assert.deepEqual(await keysIn(service, workspace, 'one/paper.md'), ['beta']);
    });

    it('gives each folder its own glossary settings', async () => {
      const workspace = new MemoryWorkspace({ 'one/paper.md': 'The VJTF deploys.', 'two/paper.md': 'The VJTF deploys.' }, folders);
      const service = createLanguageService({ workspace });
      service.setConfig(defaultConfig, new Map([['file:///ws/two', readConfig({ glossary: { firstUse: 'off' } })]]));
      const firstUses = async (name: string) => (await service.getDiagnostics(workspace.openDoc(name))).filter((d) => d.code === 'glossary.first-use').length;
      assert.equal(await firstUses('one/paper.md'), 1);
      assert.equal(await firstUses('two/paper.md'), 0);
    });

    it('reads a library again only when what its parse depends on changes in some folder (not when a folder answers the same settings)', async () => {
      const workspace = new MemoryWorkspace(files, folders);
      const service = createLanguageService({ workspace });
      const library = readConfig({ bibliography: { files: ['/ws/libs/a.bib'] } });
      service.setConfig(library);
      await keysIn(service, workspace, 'one/paper.md');
      const reads = () => workspace.reads.filter((u) => u.endsWith('a.bib')).length;
      const before = reads();
      // VS Code and the bench answer every folder with the same settings: nothing to read again.
      service.setConfig(library, new Map(folders.map((f) => [f, library])));
      await keysIn(service, workspace, 'one/paper.md');
      assert.equal(reads(), before);
      // A folder's own file-size limit does change what is read.
      service.setConfig(library, new Map([['file:///ws/one', readConfig({ bibliography: { files: ['/ws/libs/a.bib'] }, files: { maxSizeMB: 1 } })]]));
      await keysIn(service, workspace, 'one/paper.md');
      assert.equal(reads(), before + 1);
    });
  });
});
