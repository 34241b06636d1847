/**
 * LaTeX -> plain Unicode text, for display and search (not for typesetting).
 *
 * One iterative pass over the string (no recursion, so 10,000 nested braces are fine):
 * accents become combining marks placed after the next character emitted, and the result
 * is NFC-normalised, so `\'e`, `\'{e}`, `{\'e}` and `\' e` all give `é`. Protective braces
 * are dropped, unknown commands are dropped but their braced argument is kept
 * (`\textit{x}` -> `x`), `~` and runs of whitespace become one plain space.
 * Most field values need none of this: a fast path returns them unchanged.
 */

/** Accent commands -> combining mark. */
const accents = new Map<string, string>([
  ["'", '\u0301'], ['`', '\u0300'], ['^', '\u0302'], ['"', '\u0308'], ['~', '\u0303'], ['=', '\u0304'], ['.', '\u0307'],
  ['c', '\u0327'], ['v', '\u030C'], ['u', '\u0306'], ['H', '\u030B'], ['k', '\u0328'], ['r', '\u030A'],
  ['d', '\u0323'], ['b', '\u0331'], ['t', '\u0361'],
]);

/** What an accent on an empty group (`\~{}`) prints: the spacing accent itself. */
const spacingAccents = new Map<string, string>([
  ["'", '\u00B4'], ['`', '`'], ['^', '^'], ['"', '\u00A8'], ['~', '~'], ['=', '\u00AF'], ['.', '\u02D9'],
]);

/** Control words that print something. The value ' ' means "a space". */
const words = new Map<string, string>(
  Object.entries({
    ss: 'ß', SS: 'SS', o: 'ø', O: 'Ø', ae: 'æ', AE: 'Æ', oe: 'œ', OE: 'Œ', aa: 'å', AA: 'Å', l: 'ł', L: 'Ł',
    i: 'ı', j: 'ȷ', dh: 'ð', DH: 'Ð', th: 'þ', TH: 'Þ', ng: 'ŋ', NG: 'Ŋ', dj: 'đ', DJ: 'Đ',
    TeX: 'TeX', LaTeX: 'LaTeX', LaTeXe: 'LaTeX2e', BibTeX: 'BibTeX', XeTeX: 'XeTeX', XeLaTeX: 'XeLaTeX',
    LuaTeX: 'LuaTeX', LuaLaTeX: 'LuaLaTeX', ConTeXt: 'ConTeXt', AmSTeX: 'AmSTeX', AmS: 'AMS', MF: 'Metafont', MP: 'MetaPost',
    ldots: '…', dots: '…', textellipsis: '…', cdots: '⋯', textendash: '–', textemdash: '—',
    textquoteleft: '‘', textquoteright: '’', textquotedblleft: '“', textquotedblright: '”', quotedblbase: '„',
    guillemotleft: '«', guillemotright: '»', guillemetleft: '«', guillemetright: '»', S: '§', P: '¶',
    textsection: '§', textparagraph: '¶', copyright: '©', textcopyright: '©', textregistered: '®',
    texttrademark: '™', pounds: '£', textsterling: '£', euro: '€', texteuro: '€', textdegree: '°', deg: '°',
    textasciitilde: '~', textbackslash: '\\', textbraceleft: '{', textbraceright: '}', textbar: '|', textless: '<', textgreater: '>', slash: '/',
    textunderscore: '_', textasciicircum: '^', dag: '†', ddag: '‡', textdagger: '†', textdaggerdbl: '‡',
    textbullet: '•', textperiodcentered: '·', textexclamdown: '¡', textquestiondown: '¿',
    quad: ' ', qquad: ' ', enspace: ' ', thinspace: ' ', space: ' ', par: ' ', newline: ' ', linebreak: ' ',
    alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ϵ', varepsilon: 'ε', zeta: 'ζ', eta: 'η',
    theta: 'θ', vartheta: 'ϑ', iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π',
    varpi: 'ϖ', rho: 'ρ', varrho: 'ϱ', sigma: 'σ', varsigma: 'ς', tau: 'τ', upsilon: 'υ', phi: 'ϕ',
    varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω', Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Xi: 'Ξ',
    Pi: 'Π', Sigma: 'Σ', Upsilon: 'Υ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω',
    times: '×', cdot: '·', pm: '±', mp: '∓', leq: '≤', le: '≤', geq: '≥', ge: '≥', neq: '≠', ne: '≠',
    approx: '≈', equiv: '≡', sim: '∼', infty: '∞', rightarrow: '→', to: '→', leftarrow: '←', gets: '←',
    Rightarrow: '⇒', Leftarrow: '⇐', leftrightarrow: '↔', Leftrightarrow: '⇔', mapsto: '↦', in: '∈',
    notin: '∉', subset: '⊂', subseteq: '⊆', supset: '⊃', cup: '∪', cap: '∩', forall: '∀', exists: '∃',
    partial: '∂', nabla: '∇', sum: '∑', prod: '∏', int: '∫', sqrt: '√', ell: 'ℓ', emptyset: '∅',
    langle: '⟨', rangle: '⟩', neg: '¬', lnot: '¬', land: '∧', wedge: '∧', lor: '∨', vee: '∨', oplus: '⊕',
    otimes: '⊗', circ: '∘', star: '⋆', ast: '∗', mid: '∣', parallel: '∥', perp: '⊥', prime: '′',
    hbar: 'ℏ', aleph: 'ℵ', log: 'log', ln: 'ln', exp: 'exp', sin: 'sin', cos: 'cos', tan: 'tan',
    min: 'min', max: 'max', lim: 'lim', det: 'det', gcd: 'gcd', Pr: 'Pr',
  }),
);

/** Control words that print something (`\MF`: Metafont), for a search of the text as written. */
export const controlWords: ReadonlyMap<string, string> = words;

/** Control words that print a letter (`\ss`, `\o`...). */
export const letterCommands: ReadonlySet<string> = new Set('ss SS o O ae AE oe OE aa AA l L i j dh DH th TH ng NG dj DJ'.split(' '));

/** Control symbols (`\&`...) that print a character; others print nothing. */
const symbols = new Map<string, string>([
  ['&', '&'], ['%', '%'], ['$', '$'], ['_', '_'], ['#', '#'], ['{', '{'], ['}', '}'],
  ['\\', ' '], [' ', ' '], ['\n', ' '], ['\r', ' '], ['\t', ' '], [',', ' '], [';', ' '], [':', ' '], ['>', ' '], ['|', '‖'],
]);

/** Commands whose first braced argument is verbatim (printed as is). */
const verbatimArg = new Set(['url', 'path', 'nolinkurl', 'doi', 'verb']);
/** Commands whose first braced argument is not printed. */
const droppedArg = new Set(['href', 'noopsort', 'sortunder', 'hspace', 'vspace', 'label', 'index', 'nocite', 'cite', 'ref', 'SortNoop']);

const superscripts = new Map([...'0123456789+-=()ni'].map((c, i) => [c, '⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ'[i]]));
const subscripts = new Map([...'0123456789+-=()aeoxijnm'].map((c, i) => [c, '₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓᵢⱼₙₘ'[i]]));

// Character classes for ASCII codes.
const SPECIAL = 1; // needs the slow path (some only in context, see needsWork)
const SPACE = 2;
const cls = new Uint8Array(128);
for (const c of '\\{}~$-\'`^_') cls[c.charCodeAt(0)] = SPECIAL;
for (const c of ' \t\n\r\f\v') cls[c.charCodeAt(0)] = SPECIAL | SPACE;

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Whether the special character at i changes anything (so the fast path must give up). */
function needsWork(s: string, i: number, c: number): boolean {
  if (c === 45 /* - */) return s.charCodeAt(i + 1) === 45;
  if (c === 39 /* ' */) return s.charCodeAt(i + 1) === 39;
  if (c === 94 || c === 95 /* ^ _ */) return false; // only special in math, which needs `$`
  if (c === 32) return i === 0 || i === s.length - 1 || s.charCodeAt(i + 1) === 32;
  return true;
}

/** LaTeX -> Unicode (NFC), whitespace collapsed and trimmed. Never throws. */
export function latexToUnicode(s: string): string {
  const found = scan(s);
  if (found & WORK) return convert(s);
  // Only braces (`The {NATO} Summit`, most titles): without them, the text must need nothing else.
  const bare = found & BRACES ? s.replace(/[{}]/g, '') : s;
  if (bare !== s && scan(bare) & WORK) return convert(s);
  return found & NON_ASCII ? bare.normalize('NFC') : bare;
}

// What `scan` finds: text the converter must read, braces, characters beyond ASCII.
const WORK = 1;
const BRACES = 2;
const NON_ASCII = 4;

function scan(s: string): number {
  let found = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128) found |= NON_ASCII;
    else if (c === 123 || c === 125) found |= BRACES;
    else if (cls[c] !== 0 && needsWork(s, i, c)) return WORK;
  }
  return found;
}

/** Index of the `}` matching the `{` at `open`, or -1. */
function matchingBrace(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 123) depth++;
    else if (c === 125 && --depth === 0) return i;
  }
  return -1;
}

/**
 * The slow path. One converter is reused (conversion is not re-entrant), so a call allocates
 * little more than its result: verbatim stretches of the input are kept as pending slices
 * (`runStart..runEnd`) and copied once, words separated by single spaces included.
 */
class Converter {
  private s = '';
  private n = 0;
  private i = 0;
  private out = '';
  private runStart = 0;
  private runEnd = 0;
  /** Whitespace seen since the last output. */
  private space = false;
  /** Combining marks waiting for the next character. */
  private mark = '';
  private math = false;
  private nfc = false;

  convert(s: string): string {
    this.s = s;
    this.n = s.length;
    this.i = 0;
    this.out = '';
    this.runStart = this.runEnd = 0;
    this.space = this.math = this.nfc = false;
    this.mark = '';
    while (this.i < this.n) this.step();
    this.flush();
    const out = this.nfc ? this.out.normalize('NFC') : this.out;
    this.s = this.out = '';
    return out;
  }

  private flush(): void {
    if (this.runEnd > this.runStart) this.out += this.s.slice(this.runStart, this.runEnd);
    this.runStart = this.runEnd = 0;
  }

  /** Output of the input text `s[i..j)`, without a copy when it continues the pending run. */
  private plain(i: number, j: number): void {
    if (this.mark === '' && this.runEnd > this.runStart) {
      if (this.runEnd === i && !this.space) {
        this.runEnd = j;
        return;
      }
      if (this.space && this.runEnd === i - 1 && this.s.charCodeAt(i - 1) === 32) {
        this.runEnd = j; // "word word": the single space is part of the run
        this.space = false;
        return;
      }
    }
    if (this.mark === '') {
      this.flush();
      if (this.space && this.out.length > 0) this.out += ' ';
      this.space = false;
      this.runStart = i;
      this.runEnd = j;
      return;
    }
    this.emit(this.s.slice(i, j));
  }

  private emit(t: string): void {
    if (t === '') return;
    this.flush();
    if (this.space) {
      if (this.out.length > 0) this.out += ' ';
      this.space = false;
    }
    if (this.mark !== '') {
      // Dotless i/j under an accent are the plain letters: `\'\i` is í.
      const c = t.charCodeAt(0);
      const len = c >= 0xd800 && c <= 0xdbff ? 2 : 1; // a surrogate pair is one character
      const first = t[0] === 'ı' ? 'i' : t[0] === 'ȷ' ? 'j' : t.slice(0, len);
      this.out += first + this.mark + t.slice(len);
      this.mark = '';
      this.nfc = true;
    } else this.out += t;
  }

  private skipSpaces(): void {
    const s = this.s;
    while (this.i < this.n && s.charCodeAt(this.i) < 128 && (cls[s.charCodeAt(this.i)] & SPACE) !== 0) this.i++;
  }

  private accent(name: string, combining: string): void {
    this.skipSpaces();
    if (this.s.charCodeAt(this.i) === 123 && this.s.charCodeAt(this.i + 1) === 125) {
      // `\~{}` is the accent alone, as in `http://host/\~{}user`.
      this.i += 2;
      this.emit(spacingAccents.get(name) ?? '');
    } else this.mark = combining + this.mark; // inner accents sit closer to the letter
  }

  /** Math `^x`, `_{12}`: Unicode super/subscripts when every character has one. */
  private script(table: Map<string, string>, sign: string): void {
    const s = this.s;
    let arg = '';
    let end = this.i;
    if (s.charCodeAt(this.i) === 123) {
      const close = s.indexOf('}', this.i);
      if (close > 0 && s.lastIndexOf('{', close) === this.i) {
        arg = s.slice(this.i + 1, close);
        end = close + 1;
      }
    } else if (this.i < this.n) {
      arg = s[this.i];
      end = this.i + 1;
    }
    let mapped = '';
    for (const ch of arg) {
      const m = table.get(ch);
      if (m === undefined) return this.emit(sign);
      mapped += m;
    }
    if (arg === '') return this.emit(sign);
    this.i = end;
    this.emit(mapped);
  }

  /** A control word (`\name`) or symbol (`\&`); `i` is just after the backslash. */
  private command(): void {
    const s = this.s;
    if (this.i >= this.n) return;
    if (!isLetter(s.charCodeAt(this.i))) {
      const sym = s[this.i++];
      const combining = accents.get(sym);
      if (combining !== undefined && !this.math) this.accent(sym, combining);
      else if (sym === '(' || sym === '[') this.math = true;
      else if (sym === ')' || sym === ']') this.math = false;
      else {
        const printed = symbols.get(sym);
        if (printed === ' ') this.space = true;
        else if (printed !== undefined) this.emit(printed);
      }
      return;
    }
    const start = this.i;
    while (this.i < this.n && isLetter(s.charCodeAt(this.i))) this.i++;
    const name = s.slice(start, this.i);
    const combining = name.length === 1 ? accents.get(name) : undefined;
    if (combining !== undefined) return this.accent(name, combining);
    const word = words.get(name);
    // TeX ignores spaces after a control word (`Stra\ss e`); after a word-like one (`\LaTeX`,
    // `\log`) the space is kept, as the author meant it.
    if (word === undefined || letterCommands.has(name)) this.skipSpaces();
    if (word === ' ') this.space = true;
    else if (word !== undefined) this.emit(word);
    else if (verbatimArg.has(name) && s.charCodeAt(this.i) !== 123 && this.i < this.n) {
      // `\path|x|`, `\verb+x+`: verbatim between two equal delimiters.
      const close = s.indexOf(s[this.i], this.i + 1);
      const end = close < 0 ? this.n : close;
      this.emit(s.slice(this.i + 1, end));
      this.i = end + 1;
    } else if ((verbatimArg.has(name) || droppedArg.has(name)) && s.charCodeAt(this.i) === 123) {
      const close = matchingBrace(s, this.i);
      const end = close < 0 ? this.n : close;
      if (verbatimArg.has(name)) this.emit(s.slice(this.i + 1, end));
      this.i = end + 1;
    }
    // Anything else: the command is dropped, its argument (if any) is read as text.
  }

  private step(): void {
    const s = this.s;
    const i = this.i;
    const c = s.charCodeAt(i);
    if (c >= 128 || cls[c] === 0) {
      // A run of ordinary characters.
      let j = i + 1;
      let ascii = c < 128;
      for (; j < this.n; j++) {
        const d = s.charCodeAt(j);
        if (d < 128) {
          if (cls[d] !== 0) break;
        } else ascii = false;
      }
      if (!ascii) this.nfc = true;
      this.plain(i, j);
      this.i = j;
      return;
    }
    if ((cls[c] & SPACE) !== 0) {
      if (this.mark === '') this.space = true; // `\' e`: an accent's argument skips spaces
      this.i++;
      return;
    }
    this.i++;
    switch (c) {
      case 92: // backslash
        return this.command();
      case 123: // {
      case 125: // }
        return;
      case 126: // ~
        this.space = true;
        return;
      case 36: // $
        this.math = !this.math;
        return;
      case 45: {
        // -, --, ---
        let len = 1;
        while (!this.math && len < 3 && s.charCodeAt(i + len) === 45) len++;
        this.i = i + len;
        return len === 1 ? this.plain(i, i + 1) : this.emit(len === 3 ? '—' : '–');
      }
      case 96: // ` and ``
        if (s.charCodeAt(this.i) !== 96) return this.emit('‘');
        this.i++;
        return this.emit('“');
      case 39: // ' and ''
        if (s.charCodeAt(this.i) !== 39) return this.plain(i, i + 1);
        this.i++;
        return this.emit('”');
      case 94: // ^
      case 95: // _
        if (this.math) return this.script(c === 94 ? superscripts : subscripts, c === 94 ? '^' : '_');
        return this.plain(i, i + 1);
      default:
        return this.plain(i, i + 1);
    }
  }
}

const converter = new Converter();

/** The converter itself, without the fast paths of `latexToUnicode` (tests compare the two). */
export function convert(s: string): string {
  try {
    return converter.convert(s);
  } catch {
    return s; // defensive: display text must never cost the entry
  }
}
