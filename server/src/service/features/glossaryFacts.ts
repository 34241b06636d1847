/**
 * `glossary.fact`: a sentence that gives a term's founding year or its number of members against the dated
 * facts the glossary holds (`glossary/facts.ts`): "NATO, established in 1950", "NATO's 30 members" (32 since
 * March 2024). Machine-written and long-drafted text is where such stale facts hide.
 *
 * Said only when the sentence plainly states the fact of that very term, and the fact is wrong at the date
 * the sentence speaks of: a year in the sentence ("in 2019 NATO's 29 members") is compared with the counts of
 * that year; a sentence about the past ("when the SCO had six members", "its twelve founding members") is not
 * compared at all; an undated one with the count on the document's date (front matter `date:`), else today.
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { LineIndex } from '../text';
import type { TermMention } from '../glossary/model';
import { findFrontMatter } from '../parsers/drafts/frontMatter';
import { countOn, countsDuring, termFacts, type TermFacts } from '../glossary/facts';

const source = 'entente';

const numberWords = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty'];
const tens: Record<string, number> = { twenty: 20, thirty: 30, forty: 40 };
const NUMBER = String.raw`(\d{1,2}|(?:twenty|thirty|forty)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|${numberWords.slice(1).join('|')})`;

function numberOf(word: string): number | undefined {
  const w = word.toLowerCase();
  if (/^\d+$/.test(w)) return Number(w);
  const simple = numberWords.indexOf(w);
  if (simple > 0) return simple;
  const [ten, unit] = w.split(/[- ]/);
  if (tens[ten] === undefined) return undefined;
  return tens[ten] + (unit ? numberWords.indexOf(unit) : 0);
}

const MEMBERS = String.raw`(?:member(?:\s+(?:states|countries|nations))?s?|member-states|allies|Allies|nations|countries|signatories)\b`;

/** Right after the term: "NATO, established in 1949", "ANZUS Treaty (signed in 1951)", "the SCO was founded in 2001". */
const foundedAfter = new RegExp(
  String.raw`^(?:\s*,\s*(?:which\s+was\s+)?|\s+(?:was|is|has\s+been)\s+|\s*\(\s*|\s+)(?:officially\s+|formally\s+|first\s+)?(?:established|founded|created|formed|set\s+up|signed|launched)(?:\s+on\s+(?:\d{1,2}\s+[A-Z][a-z]+|[A-Z][a-z]+\s+\d{1,2},?))?\s+in\s+(?:[A-Z][a-z]+\s+)?(1[89]\d\d|20\d\d)\b`,
);
/** Right after a possessive: "NATO's 30 members", "the SCO’s eight member states". */
const countAfterPossessive = new RegExp(String.raw`^\s+(?:(?:current|present|now)\s+)?${NUMBER}(?:\s+|-)${MEMBERS}`, 'i');
/** Right after the term: "NATO, with its 30 members", "NATO has 30 members", "NATO now comprises 31 allies". */
const countAfterVerb = new RegExp(String.raw`^(?:\s*,)?\s+(?:now\s+)?(?:has|comprises|consists\s+of|includes|counts|with)\s+(?:its\s+|some\s+)?${NUMBER}(?:\s+|-)${MEMBERS}`, 'i');
/** Right before the term, which members follow: "the 27 EU member states", "all 30 NATO allies". */
const countBefore = new RegExp(String.raw`\b(?:the|all|its|of)\s+${NUMBER}\s+$`, 'i');
const membersAfter = new RegExp(String.raw`^\s+${MEMBERS}`);
/** In a sentence naming NATO: "the 27 allies", "the 30-member alliance", "the 28-nation Alliance". */
const alliesOfNato = new RegExp(String.raw`\b(?:the|all|its)\s+${NUMBER}(?:\s+(?:allies|Allies)\b|-(?:member|nation)\s+(?:alliance|Alliance)\b)`, 'g');

/** Words that put a sentence in the past or its count at a particular time: such a sentence is not compared undated. */
const aboutThePast = /\b(?:had|then|at the time|at that time|original(?:ly)?|founding|initial(?:ly)?|first|until|former(?:ly)?|previously|used to|when|once|before|back in|by then|at its (?:founding|creation|birth))\b/i;

/** What a `glossary.fact` diagnostic's fix needs: the figure as written, and the right one written alike. */
export interface FactData {
  said: string;
  replacement: string;
}

/** `n` in words, capitalised as `like` is ("Eight" -> "Ten"); undefined past forty-nine. */
function inWords(n: number, like: string): string | undefined {
  const word = n <= 20 ? numberWords[n] : n < 50 ? `${Object.keys(tens).find((t) => tens[t] === n - (n % 10))}${n % 10 ? `-${numberWords[n % 10]}` : ''}` : undefined;
  if (!word) return undefined;
  return /^\p{Lu}/u.test(like) ? word[0].toUpperCase() + word.slice(1) : word;
}

export interface FactOptions {
  /** The date undated sentences speak of (ISO): the document's `date:`, else today. */
  asOf: string;
}

/**
 * `glossary.fact` diagnostics for a draft's prose (`masked`: the prose view, same offsets as the text).
 * `mentions` are the glossary's mentions in it (the senses already decided).
 */
export function factDiagnostics(masked: string, lines: LineIndex, mentions: readonly TermMention[], options: FactOptions): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<number>();
  const report = (start: number, end: number, message: string, right?: number) => {
    if (seen.has(start)) return;
    seen.add(start);
    const said = masked.slice(start, end);
    // The fix writes the right figure as the sentence wrote the wrong one: digits, or a word.
    const replacement = right === undefined ? undefined : /^\d+$/.test(said) ? String(right) : inWords(right, said);
    const data: FactData | undefined = replacement === undefined ? undefined : { said, replacement };
    out.push({ range: lines.range(start, end), severity: DiagnosticSeverity.Information, code: 'glossary.fact', source, message, ...(data ? { data } : {}) });
  };
  for (const m of mentions) {
    const facts = termFacts.find((f) => f.id === m.term.id);
    if (!facts) continue;
    const after = masked.slice(m.end, m.end + 160);
    const sentence = sentenceAround(masked, m.start);
    const name = m.term.short;
    const founded = facts.founded && foundedAfter.exec(after);
    if (founded && facts.founded) {
      const year = Number(founded[1]);
      if (!facts.founded.years.includes(year)) {
        const at = m.end + founded.index + founded[0].lastIndexOf(founded[1]);
        const only = facts.founded.years.length === 1 ? facts.founded.years[0] : undefined;
        report(at, at + 4, `${name} ${facts.founded.said}, not in ${year} (${facts.source}).`, only);
      }
    }
    if (!facts.members) continue;
    const possessive = m.suffix.endsWith("'s") || m.suffix.endsWith('’s');
    const count = (possessive && countAfterPossessive.exec(after)) || countAfterVerb.exec(after);
    if (count) {
      const at = m.end + count.index + count[0].indexOf(count[1]);
      check(facts, numberOf(count[1]), sentence, at, at + count[1].length, name);
    }
    const before = countBefore.exec(masked.slice(Math.max(0, m.start - 40), m.start));
    if (before && membersAfter.test(after)) {
      const at = m.start - before[0].length + before[0].indexOf(before[1]);
      check(facts, numberOf(before[1]), sentence, at, at + before[1].length, name);
    }
    if (facts.id === 'nato') {
      for (const allies of sentence.text.matchAll(alliesOfNato)) {
        const at = sentence.start + allies.index! + allies[0].indexOf(allies[1]);
        check(facts, numberOf(allies[1]), sentence, at, at + allies[1].length, name);
      }
    }
  }
  return out;

  function check(facts: TermFacts, said: number | undefined, sentence: { text: string }, start: number, end: number, name: string): void {
    if (said === undefined || !facts.members) return;
    const years = [...sentence.text.matchAll(/\b(19[4-9]\d|20\d\d)\b/g)].map((y) => Number(y[1]));
    if (years.length) {
      // A dated sentence: right if the count held at any time in a year it names.
      if (years.some((y) => countsDuring(facts.members!, y).has(said))) return;
      const y = Math.max(...years);
      const then = countOn(facts.members, `${y}-12-31`);
      if (!then) return;
      report(start, end, `${name} had ${then.count} members in ${y}, not ${said} (${then.event}; ${facts.source}).`, then.count);
      return;
    }
    if (aboutThePast.test(sentence.text)) return;
    const now = countOn(facts.members, options.asOf);
    if (!now || now.count === said) return;
    report(start, end, `${name} has had ${now.count} members since ${now.event}, not ${said} (${facts.source}).`, now.count);
  }
}

/** The date a Markdown document's front matter gives (`date: 2019-05-01`, `date: "March 2019"`: the end of that year), if any. */
export function documentDate(text: string): string | undefined {
  const front = findFrontMatter(text);
  const date = front && /^date:\s*["']?([^"'\n]*)/m.exec(text.slice(front.contentStart, front.contentEnd));
  if (!date) return undefined;
  const full = /\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b/.exec(date[1]);
  if (full) return full[0];
  const year = /\b((?:19|20)\d\d)\b/.exec(date[1]);
  return year ? `${year[1]}-12-31` : undefined;
}

/** The sentence around `offset`: from the end of the previous one to the end of this one (a paragraph break ends one too). */
function sentenceAround(text: string, offset: number): { start: number; text: string } {
  const before = text.slice(Math.max(0, offset - 600), offset);
  const stops = [...before.matchAll(/[.!?]["”’)]?\s+(?=[A-Z“"‘(])|\n\s*\n/g)];
  const start = stops.length ? Math.max(0, offset - 600) + stops.at(-1)!.index! + stops.at(-1)![0].length : Math.max(0, offset - 600);
  const rest = text.slice(offset, offset + 600);
  const end = /[.!?]["”’)]?(?:\s+(?=[A-Z“"‘(])|\s*$)|\n\s*\n/.exec(rest);
  return { start, text: text.slice(start, offset + (end ? end.index + 1 : rest.length)) };
}

