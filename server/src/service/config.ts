/** The user's settings (`entente.*`), with defaults a user never has to touch. */

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
  /** `bib.missing-field` warnings. */
  missingFieldDiagnostics: boolean;
  /** Milliseconds to wait after a keystroke before checking a document again. */
  diagnosticsDelayMs: number;
  /** The built-in alliance glossary. */
  glossaryBuiltin: boolean;
  /** Project glossary files (globs relative to each workspace folder). */
  glossaryFiles: string[];
  /** Severity of `glossary.first-use`, or `off`. */
  glossaryFirstUse: 'error' | 'warning' | 'information' | 'hint' | 'off';
  /** Short forms (or ids) never reported by `glossary.first-use`: well known. */
  glossaryFirstUseIgnore: string[];
}

export const defaultConfig: EntenteConfig = {
  bibliographyFiles: [],
  citationStyle: 'apa',
  latexCitationCommands: [],
  completionMaxItems: 100,
  maxFileBytes: 200 * 1024 * 1024,
  missingFieldDiagnostics: true,
  diagnosticsDelayMs: 250,
  glossaryBuiltin: true,
  glossaryFiles: ['**/glossary.{yaml,yml,json}', '**/*.glossary.{yaml,yml,json}'],
  glossaryFirstUse: 'information',
  glossaryFirstUseIgnore: ['NATO', 'EU', 'UN', 'US', 'UK'],
};

const severities = ['error', 'warning', 'information', 'hint', 'off'];

const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s.trim() !== '') : undefined;

const positive = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);

/** Reads the `entente` settings section as the client sends it (nested or dotted), tolerating junk. */
export function readConfig(raw: unknown): EntenteConfig {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, any>;
  const get = (path: string): unknown => {
    if (path in r) return r[path];
    return path.split('.').reduce<any>((o, k) => (o && typeof o === 'object' ? o[k] : undefined), r);
  };
  const maxMB = positive(get('files.maxSizeMB'));
  const style = get('citationStyle');
  return {
    bibliographyFiles: strings(get('bibliography.files')) ?? defaultConfig.bibliographyFiles,
    citationStyle: typeof style === 'string' && style.trim() ? style.trim() : defaultConfig.citationStyle,
    latexCitationCommands: (strings(get('latex.citationCommands')) ?? []).map((c) => c.replace(/^\\/, '')),
    completionMaxItems: Math.round(Math.min(5000, Math.max(10, positive(get('completion.maxItems')) ?? defaultConfig.completionMaxItems))),
    maxFileBytes: maxMB ? maxMB * 1024 * 1024 : defaultConfig.maxFileBytes,
    missingFieldDiagnostics: get('diagnostics.missingFields') !== false,
    diagnosticsDelayMs: Math.min(5000, positive(get('diagnostics.delay')) ?? defaultConfig.diagnosticsDelayMs),
    glossaryBuiltin: get('glossary.builtin') !== false,
    glossaryFiles: strings(get('glossary.files')) ?? defaultConfig.glossaryFiles,
    glossaryFirstUse: severities.includes(get('glossary.firstUse') as never) ? (get('glossary.firstUse') as EntenteConfig['glossaryFirstUse']) : defaultConfig.glossaryFirstUse,
    glossaryFirstUseIgnore: strings(get('glossary.firstUseIgnore')) ?? defaultConfig.glossaryFirstUseIgnore,
  };
}
