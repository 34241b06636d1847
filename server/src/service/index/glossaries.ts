/**
 * The glossary a draft sees: its own front matter `acronyms:`/`glossary:`, the LaTeX definitions
 * of its project (`\newacronym`, `\newglossaryentry`, `\DeclareAcronym`...), the project glossary
 * files (setting `entente.glossary.files`), then the built-in alliance glossary. Parsed once per
 * file version; one Glossary (with its compiled matcher) per unchanged set of inputs.
 */
import type { ParseResult } from '../model';
import type { EntenteConfig } from '../config';
import type { DocumentFacts } from './documents';
import { Glossary, type GlossaryTerm } from '../glossary/model';
import { builtinTerms } from '../glossary/builtin';
import { parseFrontMatterGlossary, parseGlossaryFile, parseLatexGlossary } from '../glossary/projectGlossary';
import { proseView, type ProseView } from '../glossary/prose';
import { matchesAnyGlob } from '../glob';
import { dirname, displayPath, isInside } from './paths';

export interface GlossaryHost {
  /** The config of a document's (or a folder's) workspace folder. */
  config(uri: string): EntenteConfig;
  folders(): readonly string[];
  list(folderUri: string, extensions: readonly string[]): Promise<string[]>;
  text(uri: string): Promise<string | undefined>;
}

export class GlossaryIndex {
  private readonly fileParses = new Map<string, { text: string; result: ParseResult<GlossaryTerm[]> }>();
  private readonly factsTerms = new WeakMap<DocumentFacts, ParseResult<GlossaryTerm[]>>();
  private readonly views = new WeakMap<DocumentFacts, ProseView>();
  private readonly glossaries = new Map<string, { glossary: Glossary }>();
  private builtin?: GlossaryTerm[];
  private readonly signatures = new WeakMap<object, string>();

  /** What identifies a term list's content and places: an edit elsewhere in a draft keeps the same glossary. */
  private idOf(list: readonly GlossaryTerm[]): string {
    let sig = this.signatures.get(list);
    if (sig === undefined) {
      sig = list.map((t) => [t.uri, t.id, t.short, t.expansion, t.definition?.length, t.range?.start.line, t.range?.start.character].join('\u0001')).join('\u0002');
      this.signatures.set(list, sig);
    }
    return sig;
  }

  constructor(private readonly host: GlossaryHost) {}

  /** The prose view of a draft (what is text, not code or math), once per version. */
  view(facts: DocumentFacts): ProseView {
    let v = this.views.get(facts);
    if (!v) {
      v = proseView(facts.lines.text, facts.kind === 'latex' ? 'latex' : 'markdown');
      this.views.set(facts, v);
    }
    return v;
  }

  /** Terms a draft defines itself: front matter (Markdown) or `\newacronym` and kin (LaTeX). */
  definedIn(facts: DocumentFacts): ParseResult<GlossaryTerm[]> {
    let r = this.factsTerms.get(facts);
    if (!r) {
      const text = facts.lines.text;
      r = facts.kind === 'latex' ? parseLatexGlossary(text, facts.uri) : facts.kind === 'markdown' ? parseFrontMatterGlossary(text, facts.uri) : { value: [], errors: [] };
      this.factsTerms.set(facts, r);
    }
    return r;
  }

  /** The project glossary files of the workspace folders. */
  async files(): Promise<string[]> {
    const out: string[] = [];
    for (const folder of this.host.folders()) {
      const globs = this.host.config(folder).glossaryFiles;
      for (const uri of await this.host.list(folder, ['.yaml', '.yml', '.json'])) if (matchesAnyGlob(displayPath(uri, folder), globs)) out.push(uri);
    }
    return out;
  }

  /** The glossary files that serve a draft (those of its folder and above), innermost first: the nearer wins. */
  async filesServing(uri: string): Promise<string[]> {
    const depth = (u: string) => u.split('/').length;
    return (await this.files()).filter((file) => isInside(uri, dirname(file))).sort((a, b) => depth(b) - depth(a));
  }

  /** A project glossary file, parsed once per text. */
  async file(uri: string): Promise<ParseResult<GlossaryTerm[]>> {
    const text = (await this.host.text(uri)) ?? '';
    const cached = this.fileParses.get(uri);
    if (cached && cached.text === text) return cached.result;
    const result = parseGlossaryFile(text, uri);
    this.fileParses.set(uri, { text, result });
    return result;
  }

  isGlossaryFile(uri: string, folders: readonly string[]): boolean {
    const folder = folders.find((f) => uri.startsWith(f.replace(/\/$/, '') + '/'));
    return !!folder && matchesAnyGlob(displayPath(uri, folder), this.host.config(uri).glossaryFiles);
  }

  /** The glossary of no draft: the built-in terms (none when `entente.glossary.builtin` is off). */
  builtinOnly(): Glossary {
    return this.glossaryFrom(this.host.config(this.host.folders()[0] ?? '').glossaryBuiltin, [], [], []);
  }

  /** The glossary of a draft whose project is `projectFiles` (the draft included). */
  async forDraft(facts: DocumentFacts, projectFiles: readonly DocumentFacts[]): Promise<Glossary> {
    const config = this.host.config(facts.uri);
    // Empty term lists are left out, so drafts with the same sources share one glossary (and one matcher).
    const nonEmpty = (lists: GlossaryTerm[][]) => lists.filter((l) => l.length > 0);
    const own = facts.kind === 'markdown' ? nonEmpty([this.definedIn(facts).value]) : [];
    const latex = nonEmpty(projectFiles.filter((f) => f.kind === 'latex').map((f) => this.definedIn(f).value));
    // A glossary file serves its own project: the drafts of its folder and below (one at the root serves all); the nearest wins.
    const mine = await this.filesServing(facts.uri);
    const files = nonEmpty(await Promise.all(mine.map(async (uri) => (await this.file(uri)).value)));
    return this.glossaryFrom(config.glossaryBuiltin, own, latex, files);
  }

  /** One Glossary (and matcher) per set of term lists. */
  private glossaryFrom(useBuiltin: boolean, own: GlossaryTerm[][], latex: GlossaryTerm[][], files: GlossaryTerm[][]): Glossary {
    if (useBuiltin) this.builtin ??= builtinTerms();
    const signature = `${useBuiltin}\u0003${[own, latex, files].map((group) => group.map((l) => this.idOf(l)).join('\u0004')).join('\u0003')}`;
    const cached = this.glossaries.get(signature);
    if (cached) return cached.glossary;
    const glossary = Glossary.create({ project: [...own, latex.flat(), files.flat()], builtin: this.builtin ?? [], useBuiltin });
    if (this.glossaries.size > 64) this.glossaries.delete(this.glossaries.keys().next().value!);
    this.glossaries.set(signature, { glossary });
    return glossary;
  }
}
