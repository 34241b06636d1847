/**
 * The built-in alliance glossary (`builtin.yaml` in this folder, schema `glossary.schema.json`).
 *
 * `loadBuiltinGlossary(text)` is pure. `builtinGlossaryText()` is the one place in the glossary
 * that touches the file system: the bundled server finds `builtin.yaml` next to `dist/server.js`
 * (the build copies it there), the compiled tests find it in the project's source tree.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import type { GlossaryTerm, TermSource } from './model';

/** The built-in terms of a glossary YAML text (origin `builtin`); malformed terms are left out, never thrown. */
export function loadBuiltinGlossary(text: string): GlossaryTerm[] {
  let doc: unknown;
  try {
    doc = parse(text, { uniqueKeys: false });
  } catch {
    return [];
  }
  return termsOf(doc);
}

/** The terms of an already parsed glossary document (the bundle ships it as JSON: no YAML parse at start-up). */
export function termsOf(doc: unknown): GlossaryTerm[] {
  const list = isObject(doc) && Array.isArray(doc.terms) ? doc.terms : Array.isArray(doc) ? doc : [];
  const out: GlossaryTerm[] = [];
  for (const raw of list) {
    if (!isObject(raw) || typeof raw.short !== 'string' || typeof raw.id !== 'string') continue;
    out.push({
      id: raw.id,
      short: raw.short,
      forms: strings(raw.forms),
      expansion: str(raw.expansion),
      definition: str(raw.definition),
      kind: str(raw.kind),
      founded: str(raw.founded),
      dissolved: str(raw.dissolved),
      members: raw.members === undefined ? undefined : strings(raw.members),
      related: raw.related === undefined ? undefined : strings(raw.related),
      ...(raw.context === undefined ? {} : { context: strings(raw.context) }),
      ...(raw.otherSenses === undefined ? {} : { otherSenses: strings(raw.otherSenses) }),
      ...(typeof raw.firstUse === 'string' ? { firstUse: raw.firstUse } : {}),
      ...(raw.commonAbbreviation === true ? { commonAbbreviation: true } : {}),
      sources: Array.isArray(raw.sources) ? raw.sources.map(source).filter((s): s is TermSource => s !== undefined) : undefined,
      origin: 'builtin',
    });
  }
  return out;
}

/** A source object (or a bare title / URL string) as a `TermSource`. */
export function source(raw: unknown): TermSource | undefined {
  if (typeof raw === 'string') return /^https?:\/\//.test(raw) ? { title: raw, url: raw } : raw.trim() ? { title: raw } : undefined;
  if (!isObject(raw) || typeof raw.title !== 'string') return undefined;
  const type = raw.type === 'primary' || raw.type === 'secondary' ? raw.type : undefined;
  return {
    title: raw.title,
    author: str(raw.author),
    publisher: str(raw.publisher),
    date: str(raw.date),
    year: str(raw.year),
    url: str(raw.url),
    citation: str(raw.citation),
    type,
    accessed: str(raw.accessed),
  };
}

/**
 * The text of `builtin.yaml` (the only I/O of the glossary). Looks next to this module (the
 * bundle), then in the source tree of the project holding this module (compiled tests).
 */
export function builtinGlossaryText(): string | undefined {
  const candidates = [path.join(__dirname, 'builtin.yaml')];
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) {
      candidates.push(path.join(dir, 'server', 'src', 'service', 'glossary', 'builtin.yaml'));
      break;
    }
    if (path.dirname(dir) === dir) break;
  }
  for (const file of candidates) {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      // next candidate
    }
  }
  return undefined;
}

let cached: GlossaryTerm[] | undefined;

/** The built-in terms, read and parsed once per process ([] when the file is missing). */
export function builtinTerms(): GlossaryTerm[] {
  if (!cached) {
    try {
      // The build writes the parsed YAML next to the bundle: JSON reads in a few milliseconds.
      cached = termsOf(JSON.parse(fs.readFileSync(path.join(__dirname, 'builtin.json'), 'utf8')));
    } catch {
      cached = loadBuiltinGlossary(builtinGlossaryText() ?? '');
    }
  }
  return cached;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function strings(v: unknown): string[] {
  if (typeof v === 'string') return v.trim() ? [v.trim()] : [];
  return Array.isArray(v) ? v.map(str).filter((s): s is string => s !== undefined) : [];
}
