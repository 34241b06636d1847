/**
 * The alliance glossary: terms, the merged glossary of a project, and the matcher that finds
 * term mentions in prose.
 *
 * Precedence: `new Glossary([frontMatter, latex, projectFiles, builtin])` (highest first). A term
 * hides every lower term with the same id or the same short form. When the hidden term is the
 * same thing (the higher one's expansion is one of its spellings, or it has none), the higher
 * term is completed from it (definition, facts, sources, forms) and records it in `basedOn`:
 * `\newacronym{nfm}{NFM}{New Force Model}` keeps the built-in definition of the New Force Model.
 *
 * Matching (see `isAcronymForm`): acronym forms (`NFM`, `eFP`, `PfP`, `B9`) match exactly, also
 * as plural or possessive (`NFMs`, `NATO's`); every other form (`Article 5`, `collective
 * defence`, `Quad`) matches case-insensitively, with any whitespace (line breaks) between its
 * words, `-`/`–`/`—` and `'`/`’` interchangeable, and an optional possessive. A leading "the " of a
 * form is dropped. Mentions start and end on word boundaries; of overlapping candidates the
 * longest wins (`North Atlantic Treaty Organization` over `the North Atlantic Treaty`).
 * The matcher indexes forms by their first word: one pass over the words of the text, one map
 * lookup per word, and a sticky regex per candidate form.
 */
import type { Range } from '../model';
import { chooseSense, meansTerm, spelledOut, writtenBase } from './senses';
import { escapeRegExp } from '../text';

export type TermOrigin = 'builtin' | 'project-file' | 'front-matter' | 'latex';

export interface TermSource {
  title: string;
  author?: string;
  publisher?: string;
  /** ISO date or year, as a string. */
  date?: string;
  year?: string;
  url?: string;
  /** Article, paragraph, pages... */
  citation?: string;
  type?: 'primary' | 'secondary';
  accessed?: string;
}

export interface GlossaryTerm {
  /** Kebab-case id (built-in, project files), or the key (LaTeX, front-matter acronyms). */
  id: string;
  /** The short form as written: `NFM`, `Article 5`. */
  short: string;
  /** Other surface forms (spellings, plurals, full names). */
  forms: string[];
  expansion?: string;
  definition?: string;
  kind?: string;
  /** ISO date or year. */
  founded?: string;
  dissolved?: string;
  members?: string[];
  related?: string[];
  /**
   * Words one of which must stand near a mention for it to mean this term: names that also name ordinary things
   * ("Western Union", "Open Door Policy", "Hague Summit"). Absent: no evidence needed.
   */
  context?: string[];
  /**
   * What the short form commonly names outside the field (`APSA`: the American Political Science Association): an acronym
   * mention means this term only where the words near it point here rather than there (`senses.ts`, `chooseSense`).
   */
  otherSenses?: string[];
  /** What the field writes on first use, when not the expansion: `ANZUS Treaty`, not the treaty's full title. */
  firstUse?: string;
  /** An abbreviation readers know without its expansion (`HQ`, `UAV`): no first-use note. */
  commonAbbreviation?: boolean;
  sources?: TermSource[];
  origin: TermOrigin;
  /** The key of `\gls{key}`, `\ac{key}`, `\acr{key}` (LaTeX and front-matter acronyms). */
  key?: string;
  /** Where a project term is defined: its document, the range of its name (key or short form)... */
  uri?: string;
  range?: Range;
  /** ...and of the whole definition. */
  fullRange?: Range;
  /** The id of the built-in term this project term was completed from. */
  basedOn?: string;
}

/** A term found in prose: offsets into the text, `end` after any plural/possessive suffix. */
export interface TermMention {
  term: GlossaryTerm;
  /** The form that matched, as the glossary spells it. */
  form: string;
  start: number;
  end: number;
  /** `''`, `'s'` (plural), `"'s"`/`"’s"` (possessive), `"s'"` (plural possessive). */
  suffix: string;
  /** Whether the matched form is an acronym form (matched exactly). */
  acronym: boolean;
}

const wordChar = /[\p{L}\p{M}\p{N}]/u;
const upper = /\p{Lu}/gu;

/**
 * An acronym form: one word with at least two capitals (`NFM`, `eFP`, `PfP`, `PeSCo`, `EU-27`,
 * `HA/DR`) or a capital and a digit (`B9`, `V4`). These match case-sensitively.
 */
export function isAcronymForm(form: string): boolean {
  if (/\s/.test(form)) return false;
  const capitals = form.match(upper)?.length ?? 0;
  return capitals >= 2 || (capitals === 1 && /\p{N}/u.test(form));
}

/** The comparison key of a form: exact for acronyms, lower-cased otherwise; dashes, quotes, spaces normalised. */
export function formKey(form: string): string {
  const s = stripArticle(
    form
      .normalize('NFC')
      .replace(/[\u2010-\u2015\u2212]/g, '-')
      .replace(/[\u2018\u2019\u02bc]/g, "'")
      .replace(/\s+/g, ' ')
      .trim(),
  );
  return isAcronymForm(s) ? `cs:${s}` : `ci:${s.toLowerCase()}`;
}

function stripArticle(form: string): string {
  const m = /^the\s+(?=\S)/i.exec(form);
  return m ? form.slice(m[0].length) : form;
}

/** The surface forms of a term: short form, forms and expansion, deduplicated by key. */
export function surfaceForms(term: GlossaryTerm): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const f of [term.short, ...term.forms, term.expansion ?? '']) {
    const form = stripArticle(f.trim());
    if (!form || !wordChar.test(form[0])) continue;
    const key = formKey(form);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(form);
    }
  }
  return out;
}

export interface GlossaryInit {
  /** Project terms in precedence order (highest first): e.g. front matter, LaTeX, glossary files. */
  project?: readonly (readonly GlossaryTerm[])[];
  builtin?: readonly GlossaryTerm[];
  /** `entente.glossary.builtin`: false leaves the built-in terms out. Default true. */
  useBuiltin?: boolean;
}

export class Glossary {
  /** The visible terms, highest precedence first. */
  readonly terms: readonly GlossaryTerm[];
  private readonly ids = new Map<string, GlossaryTerm>();
  private readonly keys = new Map<string, GlossaryTerm>();
  private readonly surface = new Map<string, GlossaryTerm>();
  /** Forms that name several terms of one layer (`ARF`: the ASEAN Regional Forum, NATO's Allied Reaction Force). */
  private readonly senses = new Map<string, GlossaryTerm[]>();
  private matcherCache?: Matcher;

  /** `layers` in precedence order, highest first. Terms are copied, never mutated. */
  constructor(layers: readonly (readonly GlossaryTerm[])[]) {
    const visible: GlossaryTerm[] = [];
    const layerOf = new Map<GlossaryTerm, number>();
    for (const [index, layer] of layers.entries()) {
      for (const t of layer) {
        const shortKey = formKey(t.short);
        const winner = this.ids.get(t.id) ?? this.surface.get(shortKey);
        // Two terms of one layer sharing a form are two senses of it (`ARF`), not one hiding the other.
        if (winner && !(layerOf.get(winner) === index && winner.id !== t.id)) {
          // Hidden. A term of another origin naming the same thing lends its facts and forms.
          if (winner.origin !== t.origin && sameThing(winner, t)) {
            completeFrom(winner, t);
            if (!this.ids.has(t.id)) this.ids.set(t.id, winner); // `related: [nato-response-force]` finds `\newacronym{nrf}...`
            for (const f of surfaceForms(t)) if (!this.surface.has(formKey(f))) this.surface.set(formKey(f), winner);
          }
          continue;
        }
        const copy: GlossaryTerm = { ...t, forms: [...t.forms] };
        layerOf.set(copy, index);
        visible.push(copy);
        this.ids.set(copy.id, copy);
        if (copy.key !== undefined && !this.keys.has(copy.key)) this.keys.set(copy.key, copy);
        for (const f of surfaceForms(copy)) {
          const key = formKey(f);
          const taken = this.surface.get(key);
          if (!taken) this.surface.set(key, copy);
          else if (layerOf.get(taken) === index && taken !== copy) this.senses.set(key, [...(this.senses.get(key) ?? [taken]), copy]);
        }
      }
    }
    this.terms = visible;
  }

  static create(init: GlossaryInit): Glossary {
    const layers = [...(init.project ?? [])];
    if (init.useBuiltin !== false && init.builtin) layers.push(init.builtin);
    return new Glossary(layers);
  }

  get size(): number {
    return this.terms.length;
  }

  get(id: string): GlossaryTerm | undefined {
    return this.ids.get(id);
  }

  /** The term of `\gls{key}` / `\ac{key}` / `\acr{key}`. */
  byKey(key: string): GlossaryTerm | undefined {
    return this.keys.get(key);
  }

  /** Terms that have a key, in precedence order. */
  keyedTerms(): GlossaryTerm[] {
    return [...this.keys.values()];
  }

  /** The term a surface form names (`NFM`, `NFMs`, `NATO's`, `article 5`), or undefined. */
  lookup(form: string): GlossaryTerm | undefined {
    const s = form.trim();
    const direct = this.surface.get(formKey(s));
    if (direct) return direct;
    const base = /^(.*?)(?:['’]s|s['’]?|['’])$/u.exec(s)?.[1];
    if (!base) return undefined;
    const t = this.surface.get(formKey(base));
    return t && (isAcronymForm(base) || /['’]/.test(s.slice(base.length))) ? t : undefined;
  }

  /**
   * Term mentions in `text` (already masked to prose, and whole: what it spells out counts), in order, not
   * overlapping; a mention the document shows to mean something else is left out (`senses.ts`).
   */
  findMentions(text: string, from = 0, to = text.length): TermMention[] {
    const spelled = spelledOut(text);
    const out: TermMention[] = [];
    for (const m of this.allMentions(text, from, to)) {
      const shared = this.senses.get(formKey(m.form));
      const senses = shared ?? [m.term];
      // What the acronym names outside the glossary competes too: it is never hovered, and it needs no evidence to silence the term.
      const outside = m.acronym ? senses.flatMap(outsideSenses) : [];
      const term = shared || outside.length ? chooseSense([...senses, ...outside], m, text, spelled, this.relatedOf) : m.term;
      if (!term || outside.includes(term)) continue;
      const mention = term === m.term ? m : { ...m, term };
      if (meansTerm(mention, text, spelled)) out.push(mention);
    }
    return out;
  }

  /**
   * The mention at `offset` of a form several terms share when nothing in the document tells which it means
   * (`ARF` alone): where it is and its senses. Undefined otherwise, and when the document spells it out as another thing.
   */
  undecidedAt(text: string, offset: number): { start: number; end: number; senses: GlossaryTerm[] } | undefined {
    const spelled = spelledOut(text);
    for (const m of this.allMentions(text, Math.max(0, offset - 400), offset + 1)) {
      if (m.start > offset || offset > m.end) continue;
      const senses = this.senses.get(formKey(m.form));
      if (!senses || spelled.has(writtenBase(text, m))) continue;
      if (!chooseSense(senses, m, text, spelled, this.relatedOf)) return { start: m.start, end: m.end, senses };
    }
    return undefined;
  }

  /** The terms a term names as related (evidence for its sense). */
  private readonly relatedOf = (term: GlossaryTerm): GlossaryTerm[] => (term.related ?? []).map((id) => this.ids.get(id)).filter((t): t is GlossaryTerm => !!t);

  /** Every mention the forms match, whatever the document says they mean. */
  allMentions(text: string, from = 0, to = text.length): TermMention[] {
    this.matcherCache ??= new Matcher(this.surface);
    return this.matcherCache.find(text, from, to);
  }
}

const outsideCache = new WeakMap<GlossaryTerm, GlossaryTerm[]>();

/** A term's `otherSenses` as terms of their own (never shown): senses the evidence may choose instead of it. */
function outsideSenses(term: GlossaryTerm): GlossaryTerm[] {
  if (!term.otherSenses?.length) return [];
  let list = outsideCache.get(term);
  if (!list) {
    list = term.otherSenses.map((expansion, i) => ({ id: `${term.id}#other-${i + 1}`, short: term.short, forms: [], expansion, origin: term.origin }));
    outsideCache.set(term, list);
  }
  return list;
}

/** Whether a higher term `high` names the same thing as the lower `low` (so it may borrow its facts). */
function sameThing(high: GlossaryTerm, low: GlossaryTerm): boolean {
  if (!high.expansion) return true;
  const key = formKey(high.expansion);
  return surfaceForms(low).some((f) => formKey(f) === key);
}

function completeFrom(high: GlossaryTerm, low: GlossaryTerm): void {
  if (low.origin === 'builtin') high.basedOn ??= low.id;
  high.expansion ??= low.expansion;
  high.definition ??= low.definition;
  high.kind ??= low.kind;
  high.founded ??= low.founded;
  high.dissolved ??= low.dissolved;
  high.members ??= low.members;
  high.related ??= low.related;
  high.sources ??= low.sources;
  const keys = new Set(surfaceForms(high).map(formKey));
  for (const f of surfaceForms(low)) {
    if (!keys.has(formKey(f))) {
      keys.add(formKey(f));
      high.forms.push(f);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The matcher

interface Candidate {
  term: GlossaryTerm;
  form: string;
  acronym: boolean;
  /** Sticky, without the `u` flag (cheaper to compile); group 1 is the suffix. */
  regex: RegExp;
  /** Whether the form ends with a word character (and so must end on a word boundary). */
  boundary: boolean;
}

const dashes = '[-\u2010-\u2015\u2212]';
const quotes = "['\u2018\u2019\u02bc]";

function formPattern(form: string, acronym: boolean): string {
  let p = '';
  for (const ch of form.normalize('NFC')) {
    if (/\s/.test(ch)) {
      if (!p.endsWith('\\s+')) p += '\\s+';
    } else if (/[-\u2010-\u2015\u2212]/.test(ch)) p += dashes;
    else if (/['\u2018\u2019\u02bc]/.test(ch)) p += quotes;
    else p += escapeRegExp(ch);
  }
  return p + (acronym ? `(s${quotes}|s|${quotes}s)?` : `(${quotes}s)?`);
}

/** Whether the character at `i` is a letter, mark or digit. */
function isWordAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return !Number.isNaN(c) && wordChar.test(text[i]);
}

/** First word of a form, lower-cased: the index key. */
function firstWord(form: string): string | undefined {
  return /^[\p{L}\p{M}\p{N}]+/u.exec(form)?.[0].toLowerCase();
}

class Matcher {
  private readonly byFirst = new Map<string, Candidate[]>();

  constructor(surface: Map<string, GlossaryTerm>) {
    for (const [key, term] of surface) {
      const form = key.startsWith('cs:') ? key.slice(3) : findForm(term, key);
      const first = form && firstWord(form);
      if (!form || !first) continue;
      const acronym = key.startsWith('cs:');
      let regex: RegExp;
      try {
        // A one-word name in capitals (`Quad`) is a proper noun only as written ("quad bike" is no Quad); a concept is a common noun.
        const properNoun = !acronym && term.kind !== 'concept' && !/\s/.test(form) && /^\p{Lu}/u.test(form);
        regex = new RegExp(formPattern(form, acronym), acronym || properNoun ? 'y' : 'iy');
      } catch {
        continue;
      }
      const list = this.byFirst.get(first) ?? [];
      list.push({ term, form, acronym, regex, boundary: wordChar.test(form[form.length - 1]) });
      this.byFirst.set(first, list);
    }
    for (const list of this.byFirst.values()) list.sort((a, b) => b.form.length - a.form.length);
  }

  find(text: string, from: number, to: number): TermMention[] {
    const out: TermMention[] = [];
    const words = /[\p{L}\p{M}\p{N}]+/gu;
    words.lastIndex = Math.max(0, from);
    // Start on a word boundary.
    while (words.lastIndex > 0 && wordChar.test(text[words.lastIndex - 1])) words.lastIndex--;
    for (let m = words.exec(text); m && m.index < to; m = words.exec(text)) {
      const word = m[0].toLowerCase();
      let best = this.matchAt(text, m.index, this.byFirst.get(word), undefined);
      if (word.length > 1 && word.endsWith('s')) best = this.matchAt(text, m.index, this.byFirst.get(word.slice(0, -1)), best);
      if (!best) continue;
      // Overlaps: the longer mention wins.
      let last = out[out.length - 1];
      if (last && last.end > best.start) {
        if (best.end - best.start <= last.end - last.start) continue;
        while (last && last.end > best.start && last.end - last.start < best.end - best.start) {
          out.pop();
          last = out[out.length - 1];
        }
        if (last && last.end > best.start) continue;
      }
      out.push(best);
    }
    return out;
  }

  private matchAt(text: string, at: number, list: Candidate[] | undefined, best: TermMention | undefined): TermMention | undefined {
    if (!list) return best;
    for (const c of list) {
      c.regex.lastIndex = at;
      const m = c.regex.exec(text);
      if (!m) continue;
      let end = at + m[0].length;
      let suffix = m[1] ?? '';
      if (c.boundary && isWordAt(text, end)) {
        // `NATO'sx`: the form may still end before its suffix.
        if (!suffix || isWordAt(text, end - suffix.length)) continue;
        end -= suffix.length;
        suffix = '';
      }
      if (!best || end > best.end) best = { term: c.term, form: c.form, start: at, end, suffix, acronym: c.acronym };
      break; // longest first: the first candidate that matches is the longest
    }
    return best;
  }
}

/** The form of `term` whose (case-insensitive) key is `key`. */
function findForm(term: GlossaryTerm, key: string): string | undefined {
  return surfaceForms(term).find((f) => formKey(f) === key) ?? key.slice(3);
}
