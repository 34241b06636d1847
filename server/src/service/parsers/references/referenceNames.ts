/**
 * The names before the date of a typed reference: APA/Harvard "Family, I. I., & Family, I." and Chicago
 * "Family, Given, and Given Family", or an organisation ("Global Firepower."). Pure; never throws.
 */
import type { Name } from '../../model';

/** Initials as typed: "J.", "J.M.", "A.-S.", "K. K.", "D. A. R.", "Th." */
const INITIALS = /^(?:\p{Lu}\p{Ll}?\.(?:\s*-\s*|\s*))+$/u;
/** "Nye, J. S., Jr.": a suffix after the initials, a token of its own. */
const SUFFIX = /^(?:Jr|Sr)\.?$|^(?:II|III|IV)$/;
const PARTICLES = new Set(['van', 'von', 'de', 'der', 'den', 'del', 'della', 'di', 'da', 'du', 'la', 'le', 'ter', 'ten', 'dos', 'das', 'bin', 'al']);

export interface NamesRead {
  names: Name[];
  /** What could not be read with confidence, one sentence each. */
  flags: string[];
}

/** "J.M." → "J. M."; "A.-S." stays. */
function spacedInitials(given: string): string {
  return given.replace(/\.(?=\p{Lu})/gu, '. ').replace(/\s+/g, ' ').trim();
}

function isInitials(s: string): boolean {
  return INITIALS.test(s.trim());
}

/** "Given Family" (Chicago's second and later authors), particles kept with the family name. */
function givenFirst(s: string): Name {
  const words = s.trim().split(/\s+/);
  if (words.length === 1) return { family: words[0] };
  let i = words.length - 1;
  while (i > 1 && PARTICLES.has(words[i - 1].toLowerCase())) i--;
  return { family: words.slice(i).join(' '), given: spacedInitials(words.slice(0, i).join(' ')) };
}

/** Reads the author (or editor) part of a reference; `part` has no date and no "(Eds.)". */
export function readNames(part: string): NamesRead {
  const flags: string[] = [];
  // The date's parenthesis or period took the last initial's dot: "Andrews, D (2024)".
  let s = part.trim().replace(/[,;]\s*$/, '').replace(/(^|[\s.-])(\p{Lu})$/u, '$1$2.');
  if (/\bet al\.?$/.test(s)) {
    flags.push('"et al.": the other authors are not in the text');
    s = s.replace(/,?\s*et al\.?$/, '');
  }
  if (/\.\s*\.\s*\.|…/.test(s)) {
    flags.push('an ellipsis in the author list: some authors are not in the text');
    s = s.replace(/,?\s*(?:\.\s*\.\s*\.|…)\s*/g, ', ');
  }
  s = s.replace(/,?\s*(?:&|\band\b)\s+/g, ', ');
  const tokens = s
    .split(/\s*,\s*/)
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  if (tokens.length === 0) return { names: [], flags: ['no author'] };
  if (tokens.length === 1) {
    const only = tokens[0];
    // "Global Firepower." is an organisation; a lone "Smith" is a family name.
    const literal = only.replace(/\.$/, '');
    if (/\s/.test(literal) || /^\p{Lu}{2,}$/u.test(literal)) return { names: [{ literal }], flags };
    return { names: [{ family: literal }], flags: [...flags, `"${literal}": a family name without given names, or an organisation`] };
  }
  const names: Name[] = [];
  if (isInitials(tokens[1])) {
    // APA / Harvard: Family, Initials, Family, Initials...
    for (let i = 0; i < tokens.length; i += 2) {
      const family = tokens[i];
      const given = tokens[i + 1];
      if (given !== undefined && isInitials(given)) {
        const suffix = SUFFIX.test(tokens[i + 2] ?? '') ? tokens[i + 2].replace(/^(Jr|Sr)$/, '$1.') : undefined;
        names.push(suffix ? { family, given: spacedInitials(given), suffix } : { family, given: spacedInitials(given) });
        if (suffix) i++;
      } else if (given === undefined && /\s/.test(family)) {
        names.push(givenFirst(family));
        flags.push(`"${family}" read as given name then family name`);
      } else {
        flags.push(`the author list does not alternate names and initials near "${family}"`);
        return { names: [], flags };
      }
    }
    return { names, flags };
  }
  // Chicago: the first author inverted, the others "Given Family".
  names.push({ family: tokens[0], given: spacedInitials(tokens[1]) });
  for (const t of tokens.slice(2)) {
    if (isInitials(t) || !/\s/.test(t)) {
      flags.push(`the author list is neither APA ("Family, I.") nor Chicago ("Family, Given, and Given Family") near "${t}"`);
      return { names: [], flags };
    }
    names.push(givenFirst(t));
  }
  return { names, flags };
}
