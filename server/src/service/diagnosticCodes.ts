/**
 * Every diagnostic code the service emits, with a one-line description and a help text: the one
 * place the SARIF rules (`entente check --format sarif`) and the documentation read them from.
 * `test/unit/diagnosticCodes.test.ts` checks that each code in the service's source has an entry.
 */
export interface DiagnosticCodeInfo {
  /** One line: what was found. */
  description: string;
  /** What it means and how to fix it. */
  help: string;
}

export const diagnosticCodes = {
  'citation.undefined': {
    description: 'A citation key has no entry in the bibliographies the draft uses.',
    help: 'Correct the key (the message suggests the closest keys), add the entry to a bibliography the draft declares, or declare the bibliography that holds it.',
  },
  'citation.empty-key': {
    description: 'A citation holds an empty key: a stray comma (\\citep{a,}, \\cite{a,,b}), nothing at all (\\cite{}), or Markdown @{}.',
    help: 'LaTeX writes an empty citation to the .aux file and warns "Citation `\' undefined"; BibTeX warns too. Remove the stray comma (the quick fix does). biblatex drops the empty items of a list, so there only \\cite{} and \\nocite{*,} are reported.',
  },
  'citation.unused-entry': {
    description: 'A bibliography entry is not cited by any draft that loads it (reported with --unused, or with the setting entente.diagnostics.unusedEntries).',
    help: 'Cite the entry, remove it from the bibliography, or add \\nocite{*} (LaTeX) or nocite: "@*" (Pandoc) to include everything.',
  },
  'bib.duplicate-key': {
    description: 'A citation key is defined more than once in the bibliographies a draft uses.',
    help: 'Only one definition is used, silently: biber and BibTeX use the first, pandoc (citeproc) the last. Reported in each bibliography file and on the draft\'s declaration. Remove the duplicate entry or give it a key of its own (and update the citations that mean it).',
  },
  'bib.case-duplicate': {
    description: 'Two keys of a .bib file differ only in case (Ok and ok).',
    help: 'BibTeX compares keys regardless of case and skips the second entry ("Repeated entry"); biber keeps both but warns of a possible typo. Merge the entries or give one a clearly different key. A file only Markdown drafts read (pandoc: keys are case-sensitive) is not reported.',
  },
  'bib.syntax': {
    description: 'A bibliography file (BibTeX, CSL-JSON, CSL-YAML or RIS), or a references: block, is malformed here.',
    help: 'Fix the syntax at the position shown; the entries around it are still read, but this one may be lost or incomplete.',
  },
  'bib.missing-field': {
    description: 'A bibliography entry lacks a field its type needs (author, title, year, journal...).',
    help: 'Add the fields the message names, or the formatted reference will be incomplete. Turn these warnings off with the setting entente.diagnostics.missingFields.',
  },
  'citation.unmatched': {
    description: 'A typed author-date citation ("(Biscop, 2021)", "Deni (2024)") matches no reference of the draft\'s typed reference list.',
    help: 'Drafts that come from Word hold typed citations and a typed References section. A citation matches a reference by its first author\'s family name and year (and every other author it names); the message suggests the references with the same author or a name one typo away. Correct the citation or the reference. Turn the check off with entente.diagnostics.typedCitations.',
  },
  'reference.uncited': {
    description: 'A reference of a draft\'s typed reference list is never cited in its text.',
    help: 'Cite it, or remove it from the list. A narrative citation ("Deni (2024) argues") counts.',
  },
  'text.mojibake': {
    description: 'Mangled text: UTF-8 once read with the wrong code page ("Ã©" for "é", "â€™" or "โ" for "’").',
    help: 'Text pasted from a web page, a PDF or an old file, or imported into a reference manager, was decoded with the wrong code page and saved. The message names the likely cause; the quick fix repairs the run, or every run of the file at once. A run whose lost bytes cannot be told is reported without a fix. Turn these warnings off with the setting entente.diagnostics.mangledText.',
  },
  'bibliography.not-found': {
    description: 'A bibliography the draft declares does not exist.',
    help: 'Correct the path in bibliography: (front matter) or \\bibliography / \\addbibresource (LaTeX); relative paths are relative to the draft.',
  },
  'bibliography.unreadable': {
    description: 'A bibliography the draft declares exists but cannot be read (too large, binary, not a bibliography format).',
    help: 'Point the declaration at a bibliography file (.bib, .json, .yaml, .ris); for a larger file, raise the setting entente.files.maxSizeMB.',
  },
  'crossref.undefined': {
    description: 'A cross-reference (\\ref, \\cref, @fig-..., @sec-...) names a label defined nowhere in its project.',
    help: 'Correct the label (the message suggests the closest), or define it with \\label{...} or {#fig-...} on the figure, table or section.',
  },
  'crossref.duplicate-label': {
    description: 'A label is defined more than once in a project.',
    help: 'References to it are ambiguous: give each definition a label of its own.',
  },
  'csl.unusable': {
    description: 'The CSL style a draft names (front matter csl:) cannot be used: it cannot be read, is not CSL, or its macros expand without bound.',
    help: 'A style whose macros call each other exponentially (or themselves) makes citeproc run out of memory; pandoc fails on it too. Use a style from the official repository (https://github.com/citation-style-language/styles) or fix the macros.',
  },
  'diagnostics.truncated': {
    description: 'A file has more problems than entente.diagnostics.maxPerFile: the most severe are shown, and this says how many more there are.',
    help: 'Fix the problems shown (often one cause, such as a missing bibliography, makes thousands), or raise entente.diagnostics.maxPerFile.',
  },
  'glossary.fact': {
    description: 'A sentence gives a founding year or a number of members that the glossary\'s dated facts contradict ("NATO\'s 30 members").',
    help: 'Compared at the date the sentence speaks of: a year in the sentence, else the document\'s front matter date:, else today; a sentence about the past ("when the SCO had six members") is not compared. The message gives the fact, since when it holds and its source. Turn it off with the setting entente.glossary.facts.',
  },
  'glossary.first-use': {
    description: 'An acronym is used before it is spelled out.',
    help: 'On first use, write the expansion followed by the acronym in parentheses, or use \\gls{...} in LaTeX. Never report a term with the setting entente.glossary.firstUseIgnore, or set its severity (or off) with entente.glossary.firstUse.',
  },
  'glossary.undefined': {
    description: 'A LaTeX glossary command (\\gls, \\ac...) names a key no definition of the project defines.',
    help: 'Correct the key, or define the term in a glossary file, the front matter, or with \\newacronym / \\newglossaryentry.',
  },
  'glossary.conflict': {
    description: 'The same short form is defined more than once with different expansions.',
    help: 'Keep one definition, or make the expansions agree. A glossary file and one in a folder above it both serve the drafts of its folder: a term both define differently is reported on the inner file.',
  },
  'glossary.syntax': {
    description: 'A glossary definition (file, front matter or LaTeX command) is malformed here.',
    help: 'Fix the definition at the position shown; the other terms are still read.',
  },
} as const satisfies Record<string, DiagnosticCodeInfo>;

export type DiagnosticCode = keyof typeof diagnosticCodes;

/** The description and help of a code, if it is one of the service's. */
export function diagnosticCodeInfo(code: string): DiagnosticCodeInfo | undefined {
  return Object.hasOwn(diagnosticCodes, code) ? diagnosticCodes[code as DiagnosticCode] : undefined;
}
