/**
 * Whether a mention the matcher found means the glossary's term, from evidence in the document
 * (issue 13: the right sense, or none). A mention is dropped when:
 * - the document spells its acronym out as something else: "Norwegian Refugee Council (NRC)" makes every
 *   NRC of the document the Norwegian Refugee Council, not the NATO-Russia Council (expansions found as
 *   Schwartz and Hearst find them: the shortest run of words before `(ACR)` whose letters give ACR);
 * - an article is another treaty's: "Article 4(2) TEU", "Article V of the US–Japan treaty", "Article IV
 *   (ANZUS)", "Article 51 of Additional Protocol I" are not NATO's or the UN Charter's;
 * - another organisation's name comes first: "EU Military Committee" is not NATO's Military Committee.
 * Saying nothing is the answer when the evidence points elsewhere.
 */
import type { GlossaryTerm, TermMention } from './model';
import { escapeRegExp } from '../text';

/** Another organisation's name before a term: "EU Military Committee". */
const organisations = new Set(['EU', 'AU', 'UN', 'OSCE', 'ASEAN', 'CSTO', 'SCO', 'OAS', 'WEU', 'ECOWAS', 'GCC', 'OECD', 'IAEA']);

/** Small words an expansion may hold without their letter in the acronym ("Organization of American States"). */
const minor = new Set(['of', 'the', 'and', 'for', 'in', 'on', 'to', 'a', 'an', 'de', 'du', 'des', 'la', 'le', 'et', '&']);

/** Words any treaty's name may hold: they tell no treaty from another ("of the Rio Treaty" is not "North Atlantic Treaty"). */
const genericTreatyWords = new Set(['treaty', 'charter', 'convention', 'protocol', 'agreement', 'pact', 'covenant', 'act', 'accord', 'security', 'mutual', 'defence', 'defense', 'cooperation', 'co-operation']);

/** What a document spells out: acronym -> the expansions written before `(ACR)`. */
export type Spelled = ReadonlyMap<string, readonly string[]>;

let cached: { text: string; spelled: Spelled } | undefined;

/** The acronyms the text spells out, `Expansion (ACR)` (cached for the last text: hover and checks ask often). */
export function spelledOut(text: string): Spelled {
  if (cached?.text === text) return cached.spelled;
  const spelled = new Map<string, string[]>();
  const paren = /\(\s*([A-Z][A-Za-z0-9&/-]{1,11})\s*[),;]/g;
  for (let m = paren.exec(text); m; m = paren.exec(text)) {
    const acronym = m[1];
    if ((acronym.match(/[A-Z]/g) ?? []).length < 2) continue;
    const expansion = expansionBefore(text, m.index, acronym);
    if (!expansion) continue;
    const list = spelled.get(acronym) ?? [];
    if (list.length < 8) list.push(expansion);
    spelled.set(acronym, list);
  }
  cached = { text, spelled };
  return spelled;
}

/**
 * The words before `at` that spell `acronym` (Schwartz and Hearst, 2003): at most `letters + 5` words, the
 * acronym's letters matched from the last one back, its first letter starting the first word.
 */
function expansionBefore(text: string, at: number, acronym: string): string | undefined {
  const before = text.slice(Math.max(0, at - 200), at);
  const words = before.split(/\s+/).filter(Boolean);
  const letters = acronym.replace(/[^A-Za-z]/g, '').toLowerCase();
  const window = words.slice(-Math.min(words.length, letters.length + 5));
  // Stop at the end of a previous sentence or clause.
  let start = 0;
  for (let i = window.length - 1; i >= 0; i--) {
    if (/[.;:!?]$/.test(window[i]) && i < window.length - 1) {
      start = i + 1;
      break;
    }
  }
  const candidate = window.slice(start);
  for (let first = candidate.length - 1; first >= 0; first--) {
    const phrase = candidate.slice(first).join(' ').replace(/^[("“‘']+|[,)”’']+$/g, '');
    // An expansion starts with a word that counts ("Organization of American States", not "of American States").
    if (!minor.has(phrase.split(' ')[0].toLowerCase()) && spells(phrase, letters)) return phrase;
  }
  return undefined;
}

/** Whether the phrase's words spell the letters: the first letter starts the phrase, each letter found in order. */
function spells(phrase: string, letters: string): boolean {
  const lower = phrase.toLowerCase();
  if (!lower.startsWith(letters[0])) return false;
  let k = lower.length;
  for (let i = letters.length - 1; i >= 0; i--) {
    k = lower.lastIndexOf(letters[i], k - 1);
    // The first letter must start a word: look further back for one that does.
    while (i === 0 && k > 0 && /[\p{L}\p{N}]/u.test(lower[k - 1])) k = lower.lastIndexOf(letters[i], k - 1);
    if (k < 0) return false;
  }
  return true;
}

/**
 * Words of the field's everyday prose: near a mention they point to no sense ("security" is no evidence for the African
 * Peace and Security Architecture in a paper on security).
 */
const fieldWords = new Set(['security', 'defence', 'defense', 'peace', 'military', 'force', 'forces', 'cooperation', 'co-operation', 'policy', 'council', 'international', 'national', 'political', 'alliance', 'treaty', 'war', 'strategy', 'strategic', 'organisation', 'organization', 'state', 'states', 'union', 'group', 'european', 'non']);

/**
 * The sense of a form several terms share (`ARF`), or of an acronym that also names things outside the glossary
 * (`APSA`, `otherSenses`), from the document's evidence: the expansion it spells out, else the words near the mention
 * that only one sense's names hold (NATO, ASEAN, African...), or the acronyms of its related terms (`AU`, `ECOWAS`).
 * Undefined when nothing tells them apart: then nothing is said (no hover, no first-use note).
 */
export function chooseSense(senses: readonly GlossaryTerm[], m: TermMention, text: string, spelled: Spelled, relatedOf?: (t: GlossaryTerm) => readonly GlossaryTerm[]): GlossaryTerm | undefined {
  const written = writtenBase(text, m);
  const expansions = spelled.get(written);
  if (expansions) return senses.find((t) => expansions.some((e) => sameThing(e, t)));
  const near = text.slice(Math.max(0, m.start - 1500), m.end + 1500).toLowerCase();
  const words = senses.map((t) => evidence(t, relatedOf));
  const counts = senses.map((t, i) => {
    const own = [...words[i]].filter((w) => w.length > 1 && w !== written.toLowerCase() && !fieldWords.has(w) && !words.some((o, j) => j !== i && o.has(w)));
    return own.reduce((n, w) => n + (near.match(wholeWord(w, 'gu'))?.length ?? 0), 0);
  });
  const best = Math.max(...counts);
  return best > 0 && counts.filter((c) => c === best).length === 1 ? senses[counts.indexOf(best)] : undefined;
}

/** The words that point to a sense: those of its names, and the acronyms of its related terms (`AU` for APSA). */
function evidence(term: GlossaryTerm, relatedOf?: (t: GlossaryTerm) => readonly GlossaryTerm[]): Set<string> {
  const words = new Set([...vocabulary(term)].filter((w) => w.length > 2));
  for (const r of relatedOf?.(term) ?? []) if (/^[A-Z][A-Z0-9]+$/.test(r.short)) words.add(r.short.toLowerCase());
  return words;
}

/** The mention as written, without its plural or possessive (`NRC` of "NRC's"). */
export function writtenBase(text: string, m: TermMention): string {
  return text.slice(m.start, m.end - m.suffix.length);
}

/** Whether the mention means `term` here, given the text and what it spells out. */
export function meansTerm(m: TermMention, text: string, spelled: Spelled): boolean {
  const term = m.term;
  if (m.acronym) {
    const written = writtenBase(text, m);
    const expansions = spelled.get(written) ?? spelled.get(term.short);
    if (expansions && !expansions.some((e) => sameThing(e, term))) return false;
  }
  if (/^Article\b/i.test(m.form) && otherTreaty(text, m, term)) return false;
  if (term.context?.length && !nearby(text, m, term.context)) return false;
  const before = /([A-Z]{2,6})[\s-]+$/.exec(text.slice(Math.max(0, m.start - 12), m.start))?.[1];
  if (before && organisations.has(before) && !vocabulary(term).has(before.toLowerCase())) return false;
  return true;
}

/** `word` as a whole word: no letter or digit right before or after it. */
export function wholeWord(word: string, flags = 'u'): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(word)}(?![\\p{L}\\p{N}])`, flags);
}

/** Whether one of the words stands within 1,500 characters of the mention (whole words, as written). */
function nearby(text: string, m: TermMention, words: readonly string[]): boolean {
  const near = text.slice(Math.max(0, m.start - 1500), m.end + 1500);
  return words.some((w) => wholeWord(w).test(near));
}

/** "Article 4(2) TEU", "Article V of the US-Japan treaty", "Article IV (ANZUS)": another treaty's article. */
function otherTreaty(text: string, m: TermMention, term: GlossaryTerm): boolean {
  const after = text.slice(m.end, m.end + 120);
  if (/^\s*\(\s*(?:\d+|[a-z]|[ivx]+)\s*\)/.test(after)) return true; // a paragraph of it: "Article 4(2)"
  if (/^\s+(?:TEU|TFEU|TEC|ECHR|GATT)\b/.test(after)) return true;
  const words = vocabulary(term);
  const of = /^\s+of\s+(?:the\s+)?((?:[\p{L}\p{N}'’–-]+\s*){1,4})/u.exec(after);
  if (of) {
    // NATO's treaty goes by two names; otherwise the treaty must be named by a word of the term's own names.
    if (/^(?:North Atlantic|Washington)\b/.test(of[1])) return !words.has('nato') && !words.has('atlantic');
    const named = of[1].split(/[\s–-]+/).filter((w) => /^\p{Lu}/u.test(w) && !genericTreatyWords.has(w.toLowerCase()));
    return !named.some((w) => words.has(w.toLowerCase().replace(/['’]s$/, '')));
  }
  const paren = /^\s*\(\s*([A-Z][A-Za-z-]+)/.exec(after);
  return !!paren && /^[A-Z]{2,}$/.test(paren[1]) && !words.has(paren[1].toLowerCase());
}

/** Whether an expansion a document writes is the term (one of its names, or only words of its names). */
function sameThing(expansion: string, term: GlossaryTerm): boolean {
  const words = content(expansion);
  if (words.length === 0) return true;
  const known = vocabulary(term);
  return words.every((w) => known.has(w));
}

const vocabularies = new WeakMap<GlossaryTerm, Set<string>>();

/** The words of a term's names: short form, expansion, forms (lower case, without possessives). */
function vocabulary(term: GlossaryTerm): Set<string> {
  let v = vocabularies.get(term);
  if (!v) {
    v = new Set([term.short, term.expansion ?? '', ...term.forms].flatMap((s) => content(s)));
    vocabularies.set(term, v);
  }
  return v;
}

function content(s: string): string[] {
  return s
    .toLowerCase()
    .replace(/['’]s\b/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w && !minor.has(w));
}
