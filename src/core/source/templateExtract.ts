// Finds the prompt templates of a workspace file: string literals of TypeScript/JavaScript and Python (read with a
// small tokenizer, so comments, regular expressions and code are never taken for text), and whole prompt files
// (.txt, .md, .prompty, .jinja/.j2, …). A template is a list of pieces: fixed text, and holes where the program
// inserts something at run time (template-literal `${x}`, f-string `{x}`, `.format`/LangChain `{x}`, `%s`,
// Jinja/Mustache `{{ x }}` and `{% … %}`, or the operand of a `+` concatenation). See docs/source-locations.md.

export type TemplateLanguage = 'typescript' | 'javascript' | 'python' | 'prompt-file';

export type TemplateKind =
  | 'string' // one literal ('…', "…", Python '''…''')
  | 'template-literal' // JS `…${x}…`
  | 'f-string' // Python f"…{x}…"
  | 'concatenation' // literals and expressions joined by `+` (or adjacent Python literals)
  | 'join' // ["…", "…"].join("\n"), "\n".join(["…", "…"])
  | 'file' // a whole prompt file
  | 'section'; // a role section of a .prompty file (system:, user:)

export type TemplatePiece = { text: string } | { hole: string };

export interface PromptTemplate {
  /** The file as the caller named it. */
  file: string;
  /** 1-based line and column (UTF-16 code units) where the template starts. */
  line: number;
  column: number;
  endLine: number;
  language: TemplateLanguage;
  kind: TemplateKind;
  /** For a .prompty section: the role. */
  role?: string;
  pieces: TemplatePiece[];
}

export const PROMPT_FILE_EXTENSIONS = ['.txt', '.md', '.markdown', '.prompt', '.prompty', '.jinja', '.jinja2', '.j2', '.mustache', '.hbs', '.tmpl'];
const JS_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const PY_EXTENSIONS = ['.py', '.pyi', '.pyw'];

function extensionOf(file: string): string {
  const base = file.replace(/^.*[\\/]/, '').toLowerCase();
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot) : '';
}

/** What a file is read as, by its extension; null when it holds no prompts we read. */
export function templateLanguageOf(file: string): TemplateLanguage | null {
  const ext = extensionOf(file);
  if (JS_EXTENSIONS.includes(ext)) return ['.ts', '.tsx', '.mts', '.cts'].includes(ext) ? 'typescript' : 'javascript';
  if (PY_EXTENSIONS.includes(ext)) return 'python';
  if (PROMPT_FILE_EXTENSIONS.includes(ext)) return 'prompt-file';
  return null;
}

// ------------------------------------------------------------------------------------------------ placeholders

// Placeholders written inside fixed text: Jinja/Mustache/Handlebars {{ x }}, {{{ x }}}, {% … %}, {# … #};
// Python .format / LangChain / f-string-like {name}, {0}, {}, {name!r:>10}; printf %s, %(name)s, %.2f; ${name}.
// Reading too many holes only loses some fixed text (a hole matches anything, the placeholder's own text too).
const PLACEHOLDER = new RegExp(
  [
    String.raw`\{\{\{[^{}]{0,200}\}\}\}`,
    String.raw`\{\{[^{}]{0,200}\}\}`,
    String.raw`\{%[\s\S]{0,500}?%\}`,
    String.raw`\{#[\s\S]{0,500}?#\}`,
    String.raw`\{[A-Za-z_][\w.]*(?:\[[^\]{}\n]{0,40}\])*(?:![rsa])?(?::[^{}\n]{0,20})?\}`,
    String.raw`\{\d*(?:![rsa])?(?::[^{}\n]{0,20})?\}`,
    String.raw`%(?:\(\w+\))?[-+#0]*(?:\d+|\*)?(?:\.\d+)?[sdifrxXeEgGc]`,
    String.raw`\$\{[^{}\n]{1,100}\}`,
  ].join('|'),
  'g',
);

// Conditional and loop blocks: Jinja {% if %}…{% endif %}, {% for %}…{% endfor %} (and unless, with, filter, call,
// macro), Handlebars/Mustache {{#x}}…{{/x}} and {{^x}}…{{/x}}. Their text may be absent or repeated in the rendered
// prompt, so an outermost block is one hole.
const BLOCK_TAG = /\{%-?\s*(end)?(if|for|unless|with|filter|call|macro)\b[^%]{0,300}?-?%\}|\{\{\s*([#^/])\s*([\w.-]+)[^{}]{0,200}\}\}/g;

/** [start, end, end of the opening tag] of each outermost block. */
function blockRegions(text: string): [number, number, number][] {
  const regions: [number, number, number][] = [];
  const stack: { name: string; start: number; openEnd: number }[] = [];
  BLOCK_TAG.lastIndex = 0;
  for (let m = BLOCK_TAG.exec(text); m; m = BLOCK_TAG.exec(text)) {
    const jinja = m[2] !== undefined;
    const name = jinja ? `%${m[2]}` : `{${m[4]}`;
    const closing = jinja ? m[1] === 'end' : m[3] === '/';
    if (!closing) {
      stack.push({ name, start: m.index, openEnd: m.index + m[0].length });
      continue;
    }
    if (stack.length === 0 || stack[stack.length - 1].name !== name) {
      stack.length = 0; // unbalanced: leave the tags to the placeholder rules
      continue;
    }
    const open = stack.pop()!;
    if (stack.length === 0) regions.push([open.start, m.index + m[0].length, open.openEnd]);
  }
  return regions;
}

function splitSimple(text: string, out: TemplatePiece[]): void {
  let last = 0;
  PLACEHOLDER.lastIndex = 0;
  for (let m = PLACEHOLDER.exec(text); m; m = PLACEHOLDER.exec(text)) {
    if (m.index > last) out.push({ text: text.slice(last, m.index) });
    out.push({ hole: m[0] });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
}

/** Splits fixed text at the placeholders and conditional/loop blocks it holds. */
export function splitPlaceholders(text: string): TemplatePiece[] {
  const out: TemplatePiece[] = [];
  let last = 0;
  const hasBlocks = text.includes('{%') || text.includes('{{#') || text.includes('{{^') || text.includes('{{ #');
  for (const [start, end, openEnd] of hasBlocks ? blockRegions(text) : []) {
    splitSimple(text.slice(last, start), out);
    out.push({ hole: holeLabel('', text.slice(start, openEnd), '…') });
    last = end;
  }
  splitSimple(text.slice(last), out);
  return out;
}

function withPlaceholders(pieces: TemplatePiece[]): TemplatePiece[] {
  const out: TemplatePiece[] = [];
  for (const p of pieces) {
    if ('hole' in p) out.push(p);
    else out.push(...splitPlaceholders(p.text));
  }
  // Adjacent fixed pieces become one.
  const merged: TemplatePiece[] = [];
  for (const p of out) {
    const prev = merged[merged.length - 1];
    if (prev && 'text' in prev && 'text' in p) merged[merged.length - 1] = { text: prev.text + p.text };
    else merged.push(p);
  }
  return merged;
}

// ------------------------------------------------------------------------------------------------ tokens

interface StrTok {
  k: 'str';
  start: number;
  end: number;
  kind: 'string' | 'template-literal' | 'f-string';
  pieces: TemplatePiece[];
}
interface OtherTok {
  k: 'id' | 'num' | 'p';
  v: string;
  start: number;
  end: number;
}
type Tok = StrTok | OtherTok;

/** A token stream: one per file, plus one per `${…}` expression of a template literal. */
type Stream = Tok[];

const isIdStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c > 127;
const isIdPart = (c: number) => isIdStart(c) || (c >= 48 && c <= 57);
const isDigit = (c: number) => c >= 48 && c <= 57;
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff || c === 0x2028 || c === 0x2029;

const JS_REGEX_AFTER_KEYWORD = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

/** Cooks one escape sequence of a JS string at s[i] === '\\'; returns the text and the index after it. */
function jsEscape(s: string, i: number): [string, number] {
  const c = s[i + 1];
  switch (c) {
    case 'n': return ['\n', i + 2];
    case 't': return ['\t', i + 2];
    case 'r': return ['\r', i + 2];
    case 'b': return ['\b', i + 2];
    case 'f': return ['\f', i + 2];
    case 'v': return ['\v', i + 2];
    case '0': return isDigit(s.charCodeAt(i + 2)) ? ['', i + 2] : ['\0', i + 2];
    case '\r': return ['', s[i + 2] === '\n' ? i + 3 : i + 2];
    case '\n': case '\u2028': case '\u2029': return ['', i + 2];
    case 'x': {
      const h = s.slice(i + 2, i + 4);
      return /^[0-9a-fA-F]{2}$/.test(h) ? [String.fromCharCode(parseInt(h, 16)), i + 4] : ['x', i + 2];
    }
    case 'u': {
      if (s[i + 2] === '{') {
        const close = s.indexOf('}', i + 3);
        const h = close > 0 ? s.slice(i + 3, close) : '';
        if (/^[0-9a-fA-F]{1,6}$/.test(h) && parseInt(h, 16) <= 0x10ffff) return [String.fromCodePoint(parseInt(h, 16)), close + 1];
        return ['u', i + 2];
      }
      const h = s.slice(i + 2, i + 6);
      return /^[0-9a-fA-F]{4}$/.test(h) ? [String.fromCharCode(parseInt(h, 16)), i + 6] : ['u', i + 2];
    }
    case undefined: return ['', i + 1];
    default: return [c, i + 2];
  }
}

class JsTokenizer {
  constructor(private readonly s: string) {}
  readonly streams: Stream[] = [];

  /** Tokenizes from `i`; with `inTemplateExpr`, stops after the `}` closing a `${`. Returns the end index. */
  run(i: number, inTemplateExpr: boolean): number {
    const s = this.s;
    const n = s.length;
    const toks: Stream = [];
    this.streams.push(toks);
    let depth = 0;
    if (i === 0 && s.startsWith('#!')) i = Math.max(s.indexOf('\n'), n);
    while (i < n) {
      const c = s.charCodeAt(i);
      if (isSpace(c)) {
        i++;
        continue;
      }
      const ch = s[i];
      if (ch === '/' && s[i + 1] === '/') {
        const e = s.indexOf('\n', i);
        i = e < 0 ? n : e;
        continue;
      }
      if (ch === '/' && s[i + 1] === '*') {
        const e = s.indexOf('*/', i + 2);
        i = e < 0 ? n : e + 2;
        continue;
      }
      if (ch === "'" || ch === '"') {
        const t = this.quoted(i, ch);
        if (t) {
          toks.push(t);
          i = t.end;
        } else {
          i++; // an unterminated quote (JSX text "don't"): skip the character, keep reading
        }
        continue;
      }
      if (ch === '`') {
        const t = this.template(i);
        toks.push(t);
        i = t.end;
        continue;
      }
      if (isIdStart(c)) {
        let j = i + 1;
        while (j < n && isIdPart(s.charCodeAt(j))) j++;
        toks.push({ k: 'id', v: s.slice(i, j), start: i, end: j });
        i = j;
        continue;
      }
      if (isDigit(c) || (ch === '.' && isDigit(s.charCodeAt(i + 1)))) {
        let j = i + 1;
        while (j < n && (isIdPart(s.charCodeAt(j)) || s[j] === '.')) j++;
        toks.push({ k: 'num', v: s.slice(i, j), start: i, end: j });
        i = j;
        continue;
      }
      if (ch === '/') {
        const prev = toks[toks.length - 1];
        const division = prev && (prev.k === 'num' || prev.k === 'str' || (prev.k === 'id' && !JS_REGEX_AFTER_KEYWORD.has(prev.v)) || (prev.k === 'p' && (prev.v === ')' || prev.v === ']' || prev.v === '}')));
        if (!division) {
          const e = this.regex(i);
          if (e > 0) {
            toks.push({ k: 'num', v: 'regex', start: i, end: e });
            i = e;
            continue;
          }
        }
      }
      if (inTemplateExpr) {
        if (ch === '{') depth++;
        else if (ch === '}') {
          if (depth === 0) return i + 1;
          depth--;
        }
      }
      let v = ch;
      if (ch === '+' && (s[i + 1] === '+' || s[i + 1] === '=')) v = s.slice(i, i + 2);
      else if (ch === '?' && s[i + 1] === '.') v = '?.';
      else if (ch === '=' && s[i + 1] === '>') v = '=>';
      toks.push({ k: 'p', v, start: i, end: i + v.length });
      i += v.length;
    }
    return n;
  }

  private quoted(start: number, q: string): StrTok | null {
    const s = this.s;
    let text = '';
    let i = start + 1;
    let from = i;
    while (i < s.length) {
      const ch = s[i];
      if (ch === q) {
        text += s.slice(from, i);
        return { k: 'str', start, end: i + 1, kind: 'string', pieces: [{ text }] };
      }
      if (ch === '\n' || ch === '\r') return null;
      if (ch === '\\') {
        text += s.slice(from, i);
        const [t, next] = jsEscape(s, i);
        text += t;
        i = from = next;
        continue;
      }
      i++;
    }
    return null;
  }

  private template(start: number): StrTok {
    const s = this.s;
    const pieces: TemplatePiece[] = [];
    let text = '';
    let i = start + 1;
    let from = i;
    while (i < s.length) {
      const ch = s[i];
      if (ch === '`') {
        text += s.slice(from, i);
        if (text) pieces.push({ text });
        return { k: 'str', start, end: i + 1, kind: 'template-literal', pieces };
      }
      if (ch === '\\') {
        text += s.slice(from, i);
        const [t, next] = jsEscape(s, i);
        text += t;
        i = from = next;
        continue;
      }
      if (ch === '$' && s[i + 1] === '{') {
        text += s.slice(from, i);
        if (text) pieces.push({ text });
        text = '';
        const end = this.run(i + 2, true);
        pieces.push({ hole: holeLabel('${', s.slice(i + 2, end - 1), '}') });
        i = from = end;
        continue;
      }
      i++;
    }
    text += s.slice(from, i);
    if (text) pieces.push({ text });
    return { k: 'str', start, end: s.length, kind: 'template-literal', pieces };
  }

  /** The end of a regular expression literal at s[start] === '/', or -1 when it is not one. */
  private regex(start: number): number {
    const s = this.s;
    let i = start + 1;
    let inClass = false;
    while (i < s.length) {
      const ch = s[i];
      if (ch === '\n' || ch === '\r') return -1;
      if (ch === '\\') i += 2;
      else if (ch === '[') {
        inClass = true;
        i++;
      } else if (ch === ']') {
        inClass = false;
        i++;
      } else if (ch === '/' && !inClass) {
        i++;
        while (i < s.length && isIdPart(s.charCodeAt(i))) i++;
        return i;
      } else i++;
    }
    return -1;
  }
}

function holeLabel(open: string, expr: string, close: string): string {
  const e = expr.replace(/\s+/g, ' ').trim();
  return open + (e.length > 60 ? e.slice(0, 57) + '…' : e) + close;
}

// ------------------------------------------------------------------------------------------------ Python

const PY_PREFIX = /^(r|u|b|f|t|br|rb|fr|rf|tr|rt)$/i;

function pyEscape(s: string, i: number): [string, number] {
  const c = s[i + 1];
  switch (c) {
    case 'n': return ['\n', i + 2];
    case 't': return ['\t', i + 2];
    case 'r': return ['\r', i + 2];
    case 'a': return ['\x07', i + 2];
    case 'b': return ['\b', i + 2];
    case 'f': return ['\f', i + 2];
    case 'v': return ['\v', i + 2];
    case '\\': case "'": case '"': return [c, i + 2];
    case '\n': return ['', i + 2];
    case '\r': return ['', s[i + 2] === '\n' ? i + 3 : i + 2];
    case 'x': {
      const h = s.slice(i + 2, i + 4);
      return /^[0-9a-fA-F]{2}$/.test(h) ? [String.fromCharCode(parseInt(h, 16)), i + 4] : ['\\x', i + 2];
    }
    case 'u': case 'U': {
      const len = c === 'u' ? 4 : 8;
      const h = s.slice(i + 2, i + 2 + len);
      if (new RegExp(`^[0-9a-fA-F]{${len}}$`).test(h) && parseInt(h, 16) <= 0x10ffff) return [String.fromCodePoint(parseInt(h, 16)), i + 2 + len];
      return ['\\' + c, i + 2];
    }
    case 'N': {
      const m = /^\{[^}\n]{1,80}\}/.exec(s.slice(i + 2, i + 90));
      return m ? [`\\N${m[0]}`, i + 2 + m[0].length] : ['\\N', i + 2];
    }
    case undefined: return ['\\', i + 1];
    default:
      if (c >= '0' && c <= '7') {
        const m = /^[0-7]{1,3}/.exec(s.slice(i + 1, i + 4))![0];
        return [String.fromCharCode(parseInt(m, 8)), i + 1 + m.length];
      }
      return ['\\' + c, i + 2]; // unknown escapes keep the backslash in Python
  }
}

class PyTokenizer {
  readonly toks: Stream = [];
  constructor(private readonly s: string) {}

  run(): void {
    const s = this.s;
    const n = s.length;
    let i = 0;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (isSpace(c) || s[i] === '\\') {
        i++;
        continue;
      }
      const ch = s[i];
      if (ch === '#') {
        const e = s.indexOf('\n', i);
        i = e < 0 ? n : e;
        continue;
      }
      if (ch === "'" || ch === '"') {
        const t = this.string(i, i, '');
        if (t) {
          this.toks.push(t);
          i = t.end;
        } else i++;
        continue;
      }
      if (isIdStart(c) && c !== 36) {
        let j = i + 1;
        while (j < n && isIdPart(s.charCodeAt(j)) && s.charCodeAt(j) !== 36) j++;
        const word = s.slice(i, j);
        if ((s[j] === "'" || s[j] === '"') && PY_PREFIX.test(word)) {
          const t = this.string(i, j, word.toLowerCase());
          if (t) {
            this.toks.push(t);
            i = t.end;
            continue;
          }
        }
        this.toks.push({ k: 'id', v: word, start: i, end: j });
        i = j;
        continue;
      }
      if (isDigit(c) || (ch === '.' && isDigit(s.charCodeAt(i + 1)))) {
        let j = i + 1;
        while (j < n && (isIdPart(s.charCodeAt(j)) || s[j] === '.')) j++;
        this.toks.push({ k: 'num', v: s.slice(i, j), start: i, end: j });
        i = j;
        continue;
      }
      const v = ch === '+' && s[i + 1] === '=' ? '+=' : ch === '%' && s[i + 1] === '=' ? '%=' : ch;
      this.toks.push({ k: 'p', v, start: i, end: i + v.length });
      i += v.length;
    }
  }

  /** A string literal whose prefix starts at `start` and quote at `q0`. */
  private string(start: number, q0: number, prefix: string): StrTok | null {
    const s = this.s;
    const q = s[q0];
    const triple = s.startsWith(q + q + q, q0);
    const raw = prefix.includes('r');
    const fmt = prefix.includes('f') || prefix.includes('t');
    const pieces: TemplatePiece[] = [];
    let text = '';
    let i = q0 + (triple ? 3 : 1);
    let from = i;
    const flush = () => {
      text += s.slice(from, i);
    };
    while (i < s.length) {
      const ch = s[i];
      if (ch === q && (!triple || s.startsWith(q + q + q, i))) {
        flush();
        if (text) pieces.push({ text });
        return { k: 'str', start, end: i + (triple ? 3 : 1), kind: fmt ? 'f-string' : 'string', pieces };
      }
      if (!triple && (ch === '\n' || ch === '\r')) return null;
      if (ch === '\\') {
        flush();
        if (raw) {
          text += s.slice(i, i + 2); // raw: the backslash stays, and still protects the quote after it
          i = from = i + 2;
        } else {
          const [t, next] = pyEscape(s, i);
          text += t;
          i = from = next;
        }
        continue;
      }
      if (fmt && (ch === '{' || ch === '}')) {
        flush();
        if (s[i + 1] === ch) {
          text += ch; // {{ and }} are literal braces
          i = from = i + 2;
          continue;
        }
        if (ch === '}') {
          text += ch;
          i = from = i + 1;
          continue;
        }
        const end = this.fieldEnd(i + 1, q, triple);
        if (text) pieces.push({ text });
        text = '';
        pieces.push({ hole: holeLabel('{', s.slice(i + 1, end - 1), '}') });
        i = from = end;
        continue;
      }
      i++;
    }
    return null;
  }

  /** The index after the `}` closing an f-string replacement field that starts at `i` (after its `{`). */
  private fieldEnd(i: number, q: string, triple: boolean): number {
    const s = this.s;
    let depth = 0;
    while (i < s.length) {
      const ch = s[i];
      if (ch === '{' || ch === '[' || ch === '(') depth++;
      else if (ch === ')' || ch === ']') depth--;
      else if (ch === '}') {
        if (depth === 0) return i + 1;
        depth--;
      } else if ((ch === "'" || ch === '"') && ch !== q) {
        const e = s.indexOf(ch, i + 1);
        if (e < 0) return s.length;
        i = e;
      } else if (ch === q && !triple) {
        return i; // the string ends inside the field: malformed; stop before the quote
      } else if (!triple && ch === '\n') return i;
      i++;
    }
    return s.length;
  }
}

// ------------------------------------------------------------------------------------------------ chains

interface Operand {
  pieces: TemplatePiece[];
  isString: boolean;
  tok: number; // index of the first token
  end: number; // index after the last token
}

const PY_KEYWORDS = new Set(['return', 'if', 'else', 'elif', 'for', 'while', 'in', 'not', 'and', 'or', 'is', 'lambda', 'yield', 'await', 'import', 'from', 'def', 'class', 'with', 'as', 'assert', 'del', 'raise', 'pass', 'global', 'nonlocal']);
const JS_KEYWORDS = new Set(['return', 'if', 'else', 'for', 'while', 'do', 'in', 'of', 'typeof', 'instanceof', 'new', 'delete', 'void', 'throw', 'case', 'yield', 'await', 'const', 'let', 'var', 'function', 'class', 'import', 'export', 'from', 'as', 'default', 'extends', 'switch']);

const OPEN: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** The index after the bracket group opened at toks[i], or -1. */
function skipGroup(toks: Stream, i: number): number {
  const stack: string[] = [];
  for (let j = i; j < toks.length; j++) {
    const t = toks[j];
    if (t.k !== 'p') continue;
    if (OPEN[t.v]) stack.push(OPEN[t.v]);
    else if (t.v === ')' || t.v === ']' || t.v === '}') {
      if (stack.pop() !== t.v) return -1;
      if (stack.length === 0) return j + 1;
    }
  }
  return -1;
}

class ChainBuilder {
  constructor(
    private readonly s: string,
    private readonly toks: Stream,
    private readonly python: boolean,
  ) {}

  private keyword(v: string): boolean {
    return (this.python ? PY_KEYWORDS : JS_KEYWORDS).has(v);
  }

  private hole(from: number, to: number): TemplatePiece {
    const src = this.s.slice(this.toks[from].start, this.toks[to - 1].end);
    return this.python ? { hole: holeLabel('{', src, '}') } : { hole: holeLabel('${', src, '}') };
  }

  /** A non-string operand at toks[i] (name, call, member, subscript, parenthesised expression): its end or -1. */
  private otherOperand(i: number): number {
    const toks = this.toks;
    const t = toks[i];
    if (!t) return -1;
    let j: number;
    if ((t.k === 'id' && !this.keyword(t.v)) || t.k === 'num') j = i + 1;
    else if (t.k === 'p' && t.v === '(') {
      j = skipGroup(toks, i);
      if (j < 0) return -1;
    } else return -1;
    for (;;) {
      const u = toks[j];
      if (!u || u.k !== 'p') break;
      if ((u.v === '.' || u.v === '?.') && toks[j + 1]?.k === 'id') j += 2;
      else if (u.v === '(' || u.v === '[') {
        const e = skipGroup(toks, j);
        if (e < 0) break;
        j = e;
      } else break;
    }
    return j;
  }

  /** A string operand at toks[i] (Python: with the literals adjacent to it, "You are " "a bot"), or null. */
  private stringOperand(i: number): Operand | null {
    const t = this.toks[i];
    if (!t || t.k !== 'str') return null;
    const pieces = [...t.pieces];
    let j = i + 1;
    while (this.python && this.toks[j]?.k === 'str') {
      pieces.push(...(this.toks[j] as StrTok).pieces);
      j++;
    }
    return { pieces, isString: true, tok: i, end: j };
  }

  /** Emits the templates of the stream. String tokens taken into a chain or join are marked and not emitted again;
   * strings nested in a hole (a call's arguments) are still emitted on their own. */
  build(emit: (first: number, last: number, kind: TemplateKind, pieces: TemplatePiece[]) => void): void {
    const toks = this.toks;
    const used = new Uint8Array(toks.length);
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i];
      if (used[i]) continue;
      if (t.k === 'p' && t.v === '[' && this.tryJsJoin(i, used, emit) > 0) continue;
      if (t.k !== 'str') continue;
      if (this.python) {
        const j = this.tryPyJoin(i, used, emit);
        if (j > 0) continue;
      }
      const first = this.stringOperand(i)!;
      const operands: Operand[] = [first];
      let leading: TemplatePiece | null = null;
      // "name + ' is here'": the operand before the first literal is a hole.
      const prev = toks[i - 1];
      if (prev?.k === 'p' && prev.v === '+' && i >= 2) {
        const b = toks[i - 2];
        if (b.k === 'id' || b.k === 'num' || (b.k === 'p' && (b.v === ')' || b.v === ']'))) leading = { hole: this.python ? '{…}' : '${…}' };
      }
      let j = first.end;
      while (toks[j]?.k === 'p' && (toks[j] as OtherTok).v === '+') {
        const str = this.stringOperand(j + 1);
        if (str) {
          operands.push(str);
          j = str.end;
          continue;
        }
        const e = this.otherOperand(j + 1);
        if (e < 0) break;
        operands.push({ pieces: [this.hole(j + 1, e)], isString: false, tok: j + 1, end: e });
        j = e;
      }
      const pieces: TemplatePiece[] = leading ? [leading] : [];
      for (const o of operands) {
        pieces.push(...o.pieces);
        if (o.isString) for (let k = o.tok; k < o.end; k++) used[k] = 1;
      }
      const kind: TemplateKind = operands.length > 1 || leading || first.end - first.tok > 1 ? 'concatenation' : (t as StrTok).kind;
      emit(i, j - 1, kind, pieces);
    }
  }

  /** JS `["…", "…"].join("\n")`: the strings joined by the separator. */
  private tryJsJoin(i: number, used: Uint8Array, emit: (first: number, last: number, kind: TemplateKind, pieces: TemplatePiece[]) => void): number {
    if (this.python) return -1;
    const list = this.stringList(i, ']');
    if (!list) return -1;
    const toks = this.toks;
    let j = list.end;
    const dot = toks[j];
    const name = toks[j + 1];
    if (!(dot?.k === 'p' && dot.v === '.' && name?.k === 'id' && name.v === 'join' && toks[j + 2]?.k === 'p' && (toks[j + 2] as OtherTok).v === '(')) return -1;
    j += 3;
    let sep: TemplatePiece[] = [{ text: ',' }];
    let sepTok = -1;
    if (toks[j]?.k === 'str') {
      sep = (toks[j] as StrTok).pieces;
      sepTok = j;
      j++;
    }
    if (!(toks[j]?.k === 'p' && (toks[j] as OtherTok).v === ')')) return -1;
    for (const k of list.strings) used[k] = 1;
    if (sepTok >= 0) used[sepTok] = 1;
    emit(i, j, 'join', joinPieces(list.strings.map((k) => (toks[k] as StrTok).pieces), sep));
    return j + 1;
  }

  /** Python `"\n".join(["…", "…"])` (or a tuple). */
  private tryPyJoin(i: number, used: Uint8Array, emit: (first: number, last: number, kind: TemplateKind, pieces: TemplatePiece[]) => void): number {
    const toks = this.toks;
    const dot = toks[i + 1];
    const name = toks[i + 2];
    const paren = toks[i + 3];
    const open = toks[i + 4];
    if (!(dot?.k === 'p' && dot.v === '.' && name?.k === 'id' && name.v === 'join' && paren?.k === 'p' && paren.v === '(' && open?.k === 'p' && (open.v === '[' || open.v === '('))) return -1;
    const list = this.stringList(i + 4, open.v === '[' ? ']' : ')');
    if (!list || !(toks[list.end]?.k === 'p' && (toks[list.end] as OtherTok).v === ')')) return -1;
    used[i] = 1;
    for (const k of list.strings) used[k] = 1;
    emit(i, list.end, 'join', joinPieces(list.strings.map((k) => (toks[k] as StrTok).pieces), (toks[i] as StrTok).pieces));
    return list.end + 1;
  }

  /** `[ "a", "b", ]` of string literals only (Python: adjacent literals are one element). */
  private stringList(i: number, close: string): { strings: number[]; end: number } | null {
    const toks = this.toks;
    const strings: number[] = [];
    let j = i + 1;
    for (;;) {
      const t = toks[j];
      if (!t) return null;
      if (t.k === 'p' && t.v === close) break;
      if (t.k !== 'str') return null;
      // adjacent Python literals in one element are joined: keep them as one element
      const start = j;
      j++;
      while (this.python && toks[j]?.k === 'str') j++;
      if (j - start > 1) {
        const merged: TemplatePiece[] = [];
        for (let k = start; k < j; k++) merged.push(...(toks[k] as StrTok).pieces);
        (toks[start] as StrTok).pieces = merged;
        for (let k = start + 1; k < j; k++) (toks[k] as StrTok).pieces = [];
      }
      strings.push(start);
      for (let k = start + 1; k < j; k++) strings.push(k);
      const u = toks[j];
      if (u?.k === 'p' && u.v === ',') j++;
      else if (!(u?.k === 'p' && u.v === close)) return null;
    }
    return strings.length >= 2 ? { strings, end: j + 1 } : null;
  }
}

function joinPieces(items: TemplatePiece[][], sep: TemplatePiece[]): TemplatePiece[] {
  const out: TemplatePiece[] = [];
  items.forEach((p, k) => {
    if (k > 0 && p.length > 0) out.push(...sep);
    out.push(...p);
  });
  return out;
}

// ------------------------------------------------------------------------------------------------ files

function lineStarts(s: string): number[] {
  const starts = [0];
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function position(starts: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo] + 1 };
}

function codeTemplates(file: string, text: string, language: 'typescript' | 'javascript' | 'python'): PromptTemplate[] {
  const starts = lineStarts(text);
  const out: PromptTemplate[] = [];
  const streams: Stream[] = [];
  if (language === 'python') {
    const t = new PyTokenizer(text);
    t.run();
    streams.push(t.toks);
  } else {
    const t = new JsTokenizer(text);
    t.run(0, false);
    streams.push(...t.streams);
  }
  for (const toks of streams) {
    new ChainBuilder(text, toks, language === 'python').build((first, last, kind, pieces) => {
      const a = position(starts, toks[first].start);
      const b = position(starts, Math.max(toks[first].start, toks[last].end - 1));
      out.push({ file, line: a.line, column: a.column, endLine: b.line, language, kind, pieces: withPlaceholders(pieces) });
    });
  }
  return out.sort((x, y) => x.line - y.line || x.column - y.column);
}

const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n[\s\S]*?\r?\n---[ \t]*(\r?\n|$)/;
const ROLE_LINE = /^[ \t]*(system|user|assistant|developer|human|ai)[ \t]*:[ \t]*$/gim;

function promptFileTemplates(file: string, text: string): PromptTemplate[] {
  const ext = extensionOf(file);
  let body = text;
  let offset = 0;
  const fm = FRONT_MATTER.exec(text);
  if (fm && (ext === '.prompty' || ext === '.md' || ext === '.markdown' || ext === '.prompt')) {
    offset = fm[0].length;
    body = text.slice(offset);
  }
  const starts = lineStarts(text);
  const make = (from: number, to: number, kind: TemplateKind, role?: string): PromptTemplate => {
    // Start at the first non-blank line.
    const content = text.slice(from, to);
    const lead = content.length - content.replace(/^\s+/, '').length;
    const a = position(starts, from + lead);
    const b = position(starts, Math.max(from + lead, to - 1));
    return { file, line: a.line, column: a.column, endLine: b.line, language: 'prompt-file', kind, ...(role ? { role } : {}), pieces: withPlaceholders([{ text: content }]) };
  };
  if (ext === '.prompty') {
    const markers: { role: string; start: number; end: number }[] = [];
    ROLE_LINE.lastIndex = 0;
    for (let m = ROLE_LINE.exec(body); m; m = ROLE_LINE.exec(body)) markers.push({ role: m[1].toLowerCase(), start: offset + m.index, end: offset + m.index + m[0].length });
    if (markers.length) {
      return markers.map((m, k) => make(m.end, k + 1 < markers.length ? markers[k + 1].start : text.length, 'section', m.role));
    }
  }
  return [make(offset, text.length, 'file')];
}

/**
 * Every prompt template of a file, in source order. Code files: each string literal (or concatenation/join of
 * literals) with its holes; prompt files: the whole text (the body after YAML front matter), or, for .prompty, each
 * role section. Templates are not filtered by length here (the index does it).
 */
export function extractTemplates(file: string, text: string): PromptTemplate[] {
  const language = templateLanguageOf(file);
  if (!language) return [];
  if (language === 'prompt-file') return promptFileTemplates(file, text);
  return codeTemplates(file, text, language);
}

/** The template as text: fixed text as written, holes as their placeholder. */
export function templateText(t: Pick<PromptTemplate, 'pieces'>): string {
  return t.pieces.map((p) => ('text' in p ? p.text : p.hole)).join('');
}
