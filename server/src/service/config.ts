/**
 * The user's settings (`entente.*`): what each one is (the same list as `contributes.configuration`
 * in package.json, checked by test/unit/settings.test.ts), how they are read in the shapes editors
 * send them, and how layers of them combine into an `EntenteConfig`, with defaults a user never
 * has to touch. Nothing here throws: a wrong value is a problem sentence and the setting's default.
 */
import { closestNames } from './nearest';

export interface EntenteConfig {
  /** Extra bibliography globs searched by every document (a master library). */
  bibliographyFiles: string[];
  /** CSL style: a built-in name (`apa`, `vancouver`, `harvard1`) or a `.csl` path. */
  citationStyle: string;
  /** Extra LaTeX citation commands, without backslash. */
  latexCitationCommands: string[];
  /** Most completion items returned at once. */
  completionMaxItems: number;
  /** Bibliography files over this size are refused with a diagnostic. */
  maxFileBytes: number;
  /** Whether parsed bibliographies are kept in the index cache folder between sessions. */
  cacheEnabled: boolean;
  /** `bib.missing-field` warnings. */
  missingFieldDiagnostics: boolean;
  /** `text.mojibake` warnings. */
  mangledTextDiagnostics: boolean;
  /** `citation.unmatched` and `reference.uncited` in drafts with a typed reference list. */
  typedCitationDiagnostics: boolean;
  /** "Biscop 2022" after LaTeX citation keys. */
  citationInlayHints: boolean;
  /** `citation.unused-entry` hints in an open bibliography (entries no draft loading it cites). */
  unusedEntryDiagnostics: boolean;
  /** Most diagnostics of one file (then one saying how many more there are). */
  maxDiagnosticsPerFile: number;
  /** Milliseconds to wait after a keystroke before checking a document again. */
  diagnosticsDelayMs: number;
  /** The built-in alliance glossary. */
  glossaryBuiltin: boolean;
  /** Project glossary files (globs relative to each workspace folder). */
  glossaryFiles: string[];
  /** Files never checked (globs relative to the workspace folder): Quarto extensions and output, changelogs... */
  excludeFiles: string[];
  /** Severity of `glossary.first-use`, or `off`. */
  glossaryFirstUse: 'error' | 'warning' | 'information' | 'hint' | 'off';
  /** Short forms (or ids) never reported by `glossary.first-use`: well known. */
  glossaryFirstUseIgnore: string[];
  /** Which glossary mentions hover, and how: `names` (acronyms and named institutions, a short card), `full` (the same, the whole entry), `all` (concepts too), `off`. */
  glossaryHover: 'names' | 'full' | 'all' | 'off';
  /** `glossary.fact` information. */
  glossaryFacts: boolean;
}

/** One setting, as package.json declares it (JSON-schema words), without its `entente.` prefix. */
export interface SettingSpec {
  type: 'string' | 'number' | 'boolean' | 'string[]';
  default: unknown;
  enum?: readonly string[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
}

export const settingSpecs: Readonly<Record<string, SettingSpec>> = {
  'bibliography.files': { type: 'string[]', default: [] },
  citationStyle: { type: 'string', default: 'apa' },
  'latex.citationCommands': { type: 'string[]', default: [] },
  'completion.maxItems': { type: 'number', default: 100, minimum: 10, maximum: 5000 },
  'files.maxSizeMB': { type: 'number', default: 200, exclusiveMinimum: 0 },
  'cache.enabled': { type: 'boolean', default: true },
  'files.exclude': { type: 'string[]', default: ['**/_extensions/**', '**/_site/**', '**/_book/**', '**/_manuscript/**', '**/_freeze/**', '**/.quarto/**', '**/renv/**', '**/CHANGELOG.md', '**/CONTRIBUTING.md', '**/CODE_OF_CONDUCT.md', '**/SECURITY.md', '**/LICENSE.md'] },
  // Read by the VS Code client only; known here so that it is not reported as unknown.
  'trace.server': { type: 'string', default: 'off', enum: ['off', 'messages', 'verbose'] },
  'diagnostics.missingFields': { type: 'boolean', default: true },
  'diagnostics.mangledText': { type: 'boolean', default: true },
  'diagnostics.typedCitations': { type: 'boolean', default: true },
  'diagnostics.unusedEntries': { type: 'boolean', default: false },
  'inlayHints.citations': { type: 'boolean', default: false },
  'diagnostics.delay': { type: 'number', default: 250, minimum: 0, maximum: 5000 },
  'diagnostics.maxPerFile': { type: 'number', default: 1000, minimum: 1, maximum: 100000 },
  'glossary.builtin': { type: 'boolean', default: true },
  'glossary.files': { type: 'string[]', default: ['**/glossary.{yaml,yml,json}', '**/*.glossary.{yaml,yml,json}'] },
  'glossary.hover': { type: 'string', default: 'names', enum: ['names', 'full', 'all', 'off'] },
  'glossary.facts': { type: 'boolean', default: true },
  'glossary.firstUse': { type: 'string', default: 'hint', enum: ['error', 'warning', 'information', 'hint', 'off'] },
  'glossary.firstUseIgnore': { type: 'string[]', default: ['NATO', 'EU', 'UN', 'US', 'UK'] },
};

/** Valid setting values by name without the prefix (`glossary.firstUse`). */
export type Settings = Record<string, unknown>;

/** A setting that could not be used: `key` is its full name, `reason` says why. */
interface Problem {
  key: string;
  reason: string;
}

const names = Object.keys(settingSpecs);
const groups = new Set(names.flatMap((n) => n.split('.').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('.'))));
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const shown = (v: unknown) => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

/**
 * One layer of settings, in the shapes editors send: flat (`{bibliography: {files}}`), under
 * `entente` (`{entente: {bibliography: ...}}`), dotted (`{"entente.bibliography.files": ...}`,
 * `{"glossary.firstUse": ...}`), or a mix. When the object has an `entente` section, its other
 * top-level keys belong to other tools and are left alone, unless they start like a setting
 * (`glossary`); otherwise an unknown key is a problem.
 * `null` anywhere means "not set".
 */
function readLayer(raw: unknown): { values: Settings; problems: Problem[] } {
  const values: Settings = {};
  const problems: Problem[] = [];
  if (!isObject(raw)) return { values, problems };
  const sectioned = Object.keys(raw).some((k) => k === 'entente' || k.startsWith('entente.'));
  const visit = (path: string, value: unknown, reportUnknown: boolean) => {
    if (value === null || value === undefined) return;
    if (Object.hasOwn(settingSpecs, path)) {
      const checked = checkValue(path, settingSpecs[path], value);
      if (checked.reason) problems.push({ key: `entente.${path}`, reason: checked.reason});
      if (checked.value !== undefined) values[path] = checked.value;
    } else if ((path === '' || groups.has(path)) && isObject(value)) {
      for (const [k, v] of Object.entries(value)) visit(path ? `${path}.${k}` : k, v, reportUnknown);
    } else if (groups.has(path)) {
      problems.push({ key: `entente.${path}`, reason: `${shown(value)} is not an object of settings` });
    } else if (reportUnknown && !(path === '' && Array.isArray(value) && value.length === 0)) {
      const near = closestNames(path, names, 3, 3);
      problems.push({ key: `entente.${path}`, reason: `unknown setting${near.length ? ` (did you mean entente.${near[0]}?)` : ''}` });
    }
  };
  for (const [k, v] of Object.entries(raw)) {
    if (k === 'entente') visit('', v, true);
    else if (k.startsWith('entente.')) visit(k.slice('entente.'.length), v, true);
    else visit(k, v, !sectioned || groups.has(k.split('.')[0]));
  }
  return { values, problems };
}

/** A value checked against its spec: the value to use (maybe clamped), and why it was wrong. */
function checkValue(name: string, spec: SettingSpec, v: unknown): { value?: unknown; reason?: string } {
  switch (spec.type) {
    case 'boolean':
      return typeof v === 'boolean' ? { value: v } : { reason: `${shown(v)} is not true or false` };
    case 'string':
      if (typeof v !== 'string') return { reason: `${shown(v)} is not a string` };
      if (spec.enum && !spec.enum.includes(v)) return { reason: `${shown(v)} is not one of ${spec.enum.join(', ')}` };
      if (!v.trim()) return {};
      return { value: v.trim() };
    case 'number': {
      if (typeof v !== 'number' || !Number.isFinite(v)) return { reason: `${shown(v)} is not a number` };
      if (spec.exclusiveMinimum !== undefined && v <= spec.exclusiveMinimum) return { reason: `${v} is not more than ${spec.exclusiveMinimum}` };
      if (spec.minimum !== undefined && v < spec.minimum) return { value: spec.minimum, reason: `${v} is less than ${spec.minimum}` };
      if (spec.maximum !== undefined && v > spec.maximum) return { value: spec.maximum, reason: `${v} is more than ${spec.maximum}` };
      return { value: v };
    }
    case 'string[]': {
      if (!Array.isArray(v)) return { reason: `${shown(v)} is not a list of strings` };
      const strings = v.filter((s): s is string => typeof s === 'string');
      const value = strings.filter((s) => s.trim() !== '');
      const odd = v.find((s) => typeof s !== 'string');
      return odd === undefined ? { value } : { value, reason: `${shown(odd)} in ${name} is not a string` };
    }
  }
}

/**
 * Layers of settings merged in order, each setting of a later layer replacing the earlier one
 * (a layer that is null, undefined or empty changes nothing): the config, the valid values
 * (dotted names without the prefix), and one sentence per problem, saying what is used instead.
 * `sources[i]` names where layer i came from (a file), at the start of its problems.
 */
export function resolveSettings(layers: readonly unknown[], sources: readonly (string | undefined)[] = []): { config: EntenteConfig; values: Settings; problems: string[] } {
  const values: Settings = {};
  const found: { problem: Problem; source?: string }[] = [];
  layers.forEach((layer, i) => {
    const read = readLayer(layer);
    Object.assign(values, read.values);
    for (const problem of read.problems) found.push({ problem, source: sources[i] });
  });
  const problems = found.map(({ problem, source }) => {
    const name = problem.key.slice('entente.'.length);
    const using = !Object.hasOwn(settingSpecs, name) ? 'ignored' : `using ${shown(values[name] ?? settingSpecs[name].default)}`;
    return `${source ? `${source}: ` : ''}${problem.key}: ${problem.reason}; ${using}`;
  });
  return { config: toConfig(values), values, problems };
}

/** The config of settings layers (see resolveSettings), problems left out. */
export function readConfig(...layers: unknown[]): EntenteConfig {
  return resolveSettings(layers).config;
}

function toConfig(v: Settings): EntenteConfig {
  const get = <T>(name: string) => (v[name] ?? settingSpecs[name].default) as T;
  return {
    bibliographyFiles: get('bibliography.files'),
    citationStyle: get('citationStyle'),
    latexCitationCommands: get<string[]>('latex.citationCommands').map((c) => c.replace(/^\\/, '')),
    completionMaxItems: Math.round(get('completion.maxItems')),
    maxFileBytes: get<number>('files.maxSizeMB') * 1024 * 1024,
    cacheEnabled: get('cache.enabled'),
    excludeFiles: get('files.exclude'),
    missingFieldDiagnostics: get('diagnostics.missingFields'),
    mangledTextDiagnostics: get('diagnostics.mangledText'),
    typedCitationDiagnostics: get('diagnostics.typedCitations'),
    unusedEntryDiagnostics: get('diagnostics.unusedEntries'),
    citationInlayHints: get('inlayHints.citations'),
    diagnosticsDelayMs: get('diagnostics.delay'),
    maxDiagnosticsPerFile: get('diagnostics.maxPerFile'),
    glossaryBuiltin: get('glossary.builtin'),
    glossaryFiles: get('glossary.files'),
    glossaryFirstUse: get('glossary.firstUse'),
    glossaryFirstUseIgnore: get('glossary.firstUseIgnore'),
    glossaryHover: get('glossary.hover'),
    glossaryFacts: get('glossary.facts'),
  };
}

export const defaultConfig: EntenteConfig = toConfig({});
