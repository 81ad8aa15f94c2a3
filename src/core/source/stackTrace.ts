// Stack traces logged with a call (an exception's stack, or a stack captured where the model was called), parsed
// into frames for Node/JavaScript, Python, Java (and Kotlin/Scala), .NET and Go. Frames are returned innermost
// first whatever the language (Python prints the outermost first: its frames are reversed), and frames inside
// dependencies and runtimes are marked, so the first application frame is the code that made the call.
// No VS Code dependency. See docs/source-locations.md.

export type StackLanguage = 'node' | 'python' | 'java' | 'dotnet' | 'go';

export interface StackFrame {
  language: StackLanguage;
  /** The path as logged (a URL for `file://` or `webpack://` frames; Java: package directories + the file name). */
  file: string | null;
  line: number | null;
  column: number | null;
  function: string | null;
  /** True for frames inside dependencies, the runtime or the standard library. */
  dependency: boolean;
  /** The line(s) of the trace the frame was read from. */
  raw: string;
}

export interface ParsedStack {
  /** Every frame, innermost first. */
  frames: StackFrame[];
  /** The innermost frame that is not in a dependency and has a file, or null. */
  firstApplicationFrame: StackFrame | null;
  /** The language most frames were read as, or null when no frame was recognised. */
  language: StackLanguage | null;
}

/** Path fragments of dependencies, runtimes and standard libraries (matched on `/`-separated, lowercased paths). */
const DEPENDENCY_PATH = [
  /(^|\/)node_modules\//,
  /(^|\/)\.yarn\/(cache|unplugged|__virtual__)\//,
  /^node:/,
  /^internal\/[\w/.-]+\.js$/, // Node's own modules in older traces: internal/process/task_queues.js
  /(^|\/)(site|dist)-packages\//,
  /(^|\/)usr\/(local\/)?lib\/python\d/,
  /(^|\/)lib\/python\d+(\.\d+)?\//, // a Python installation's standard library (pyenv, conda, venv base)
  /(^|\/)lib\/pypy\d/,
  /^[a-z]:\/python\d*\/lib\//, // C:\Python311\Lib\asyncio\…
  /\/appdata\/local\/programs\/python\/python\d+\/lib\//,
  /(^|\/)vendor\//,
  /(^|\/)go\/pkg\/mod\//, // the Go module cache
  /(^|\/)(usr\/(local\/)?go|usr\/lib\/go(-[\d.]+)?|goroot|program files\/go|sdk\/go[\d.]+)\/src\//, // GOROOT
  /^\$goroot\//,
  /^_cgo_/,
];

/** Node: anything that is not a file of the application. */
const NODE_NON_FILE = /^(<anonymous>|native|unknown location|<unknown>|\[native code\]|evalmachine\.<anonymous>|<eval>)$/i;

const JAVA_DEPENDENCY = /^(java|javax|jdk|sun|com\.sun|kotlin|kotlinx|scala|groovy|org\.codehaus\.groovy|org\.junit|junit|org\.springframework|io\.netty|reactor|okhttp3|okio|retrofit2|com\.fasterxml|org\.apache|org\.eclipse\.jetty|io\.micronaut|io\.quarkus|io\.vertx|io\.grpc|com\.google\.common|dev\.langchain4j|com\.openai|com\.azure|software\.amazon\.awssdk|com\.amazonaws)\./;
const DOTNET_DEPENDENCY = /^(System|Microsoft|Azure|OpenAI|Anthropic|Newtonsoft|Polly|Grpc|Google\.Protobuf|NUnit|Xunit|Castle)\./;
const GO_DEPENDENCY_FUNCTION = /^(runtime|runtime\/debug|testing|net\/http|reflect|sync|syscall|internal\/[\w/]+|os|io|context|crypto\/[\w/]+)\.[^/]*$|^(github\.com\/(sashabaranov\/go-openai|openai\/openai-go|anthropics\/anthropic-sdk-go|tmc\/langchaingo)|google\.golang\.org|go\.opentelemetry\.io)\//;

function normalizeForTest(path: string): string {
  return path.replace(/\\/g, '/').replace(/^file:\/\/\/?/i, '').toLowerCase();
}

/** Folders that hold dependencies inside a project: node_modules, Yarn caches, virtual environments, vendor/. */
const DEPENDENCY_FOLDER = /(^|\/)(node_modules|site-packages|dist-packages|vendor|\.yarn\/(cache|unplugged|__virtual__)|go\/pkg\/mod)\//;

/** Whether a workspace-relative path is inside a dependency folder of the project. */
export function isInDependencyFolder(path: string): boolean {
  return DEPENDENCY_FOLDER.test(path.replace(/\\/g, '/').toLowerCase());
}

/** Whether a logged path is inside a dependency, a runtime or a standard library. */
export function isDependencyPath(path: string): boolean {
  const p = normalizeForTest(path);
  if (p.startsWith('<') || NODE_NON_FILE.test(path)) return true;
  return DEPENDENCY_PATH.some((re) => re.test(p));
}

function frame(language: StackLanguage, file: string | null, line: number | null, column: number | null, fn: string | null, raw: string, dependency: boolean): StackFrame {
  return { language, file, line, column, function: fn, dependency: dependency || file === null, raw };
}

const int = (s: string | undefined): number | null => {
  if (s === undefined) return null;
  const n = Number.parseInt(s, 10);
  return Number.isFinite(n) && n >= 0 ? n : null;
};

// ------------------------------------------------------------------------------------------------ Node / JS

// "    at fn (path:line:col)", "    at async fn [as alias] (path:line:col)", "    at path:line:col",
// "    at new Foo (path:line:col)", "    at fn (eval at g (path:1:2), <anonymous>:3:4)"
const NODE_AT = /^\s*at\s+(?:async\s+)?(.*?)\s*$/;
const LOCATION = /^(.*?):(\d+)(?::(\d+))?$/;

function parseNodeLocation(loc: string): { file: string; line: number | null; column: number | null } | null {
  const m = LOCATION.exec(loc.trim());
  if (!m) return loc.trim() ? { file: loc.trim(), line: null, column: null } : null;
  return { file: m[1], line: int(m[2]), column: int(m[3]) };
}

function parseNodeLine(line: string): StackFrame | null {
  const m = NODE_AT.exec(line);
  if (!m) return null;
  const body = m[1];
  let fn: string | null = null;
  let loc: string;
  // "fn (location)": the location is the last parenthesised group at the end of the line.
  if (body.endsWith(')')) {
    let depth = 0;
    let open = -1;
    for (let i = body.length - 1; i >= 0; i--) {
      if (body[i] === ')') depth++;
      else if (body[i] === '(' && --depth === 0) {
        open = i;
        break;
      }
    }
    if (open <= 0) return null;
    fn = body.slice(0, open).trim() || null;
    loc = body.slice(open + 1, -1);
    // "eval at g (path:1:2), <anonymous>:3:4": the code ran in eval; the frame has no file of its own.
    if (/^eval at /.test(loc)) return frame('node', null, null, null, fn, line.trim(), true);
  } else {
    loc = body;
  }
  if (fn) fn = fn.replace(/\s*\[as [^\]]+\]$/, '');
  const parsed = parseNodeLocation(loc);
  if (!parsed) return null;
  // A Node location always has a line, unless the code has no file (<anonymous>, native): "at x (index 0)",
  // "at Ns.Method(String s)" are not Node frames.
  if (parsed.line === null && !NODE_NON_FILE.test(parsed.file)) return null;
  const dependency = NODE_NON_FILE.test(parsed.file) || isDependencyPath(parsed.file);
  return frame('node', NODE_NON_FILE.test(parsed.file) ? null : parsed.file, parsed.line, parsed.column, fn, line.trim(), dependency);
}

// Firefox / Safari: "fn@https://host/app.js:10:5", "@debugger eval code:1:1"
const GECKO = /^\s*([^@\s]*)@(.+?):(\d+):(\d+)\s*$/;

function parseGeckoLine(line: string): StackFrame | null {
  const m = GECKO.exec(line);
  if (!m || !/[/\\]/.test(m[2])) return null;
  return frame('node', m[2], int(m[3]), int(m[4]), m[1] || null, line.trim(), isDependencyPath(m[2]));
}

// ------------------------------------------------------------------------------------------------ Python

// '  File "/app/bot.py", line 42, in answer' (the source line follows, indented)
const PY_FILE = /^\s*File "(.+)", line (\d+)(?:, in (.+?))?\s*$/;

function parsePythonLine(line: string): StackFrame | null {
  const m = PY_FILE.exec(line);
  if (!m) return null;
  const file = m[1];
  const special = file.startsWith('<'); // <frozen importlib._bootstrap>, <string>, <stdin>
  return frame('python', special ? null : file, int(m[2]), null, m[3] ?? null, line.trim(), special || isDependencyPath(file));
}

// ------------------------------------------------------------------------------------------------ Java

// "\tat com.acme.bot.Bot.answer(Bot.java:123)", "at java.base/java.lang.Thread.run(Thread.java:833)",
// "at app//com.acme.Main.main(Main.kt:10)", "(Native Method)", "(Unknown Source)"
const JAVA_AT = /^\s*at\s+(?:[\w.$-]+(?:@[\w.-]+)?\/)*([\w$.<>]+)\.([\w$<>-]+)\(([^()]*)\)\s*(?:~?\[.*\])?\s*$/;

function parseJavaLine(line: string): StackFrame | null {
  const m = JAVA_AT.exec(line);
  if (!m) return null;
  const className = m[1];
  const method = m[2];
  const where = m[3];
  const loc = /^([\w$.-]+\.(?:java|kt|kts|scala|groovy|clj)):(\d+)$/.exec(where) ?? /^([\w$.-]+\.(?:java|kt|kts|scala|groovy|clj))$/.exec(where);
  const dependency = JAVA_DEPENDENCY.test(className + '.');
  if (!loc) {
    // Native Method, Unknown Source: a frame without a file. Anything else in the parentheses is not Java
    // (a .NET parameter list).
    if (!/^(Native Method|Unknown Source|Unknown|SourceFile(:\d+)?|[\w$.-]+\.(java|kt|kts|scala|groovy|clj))$/.test(where)) return null;
    return frame('java', null, null, null, `${className}.${method}`, line.trim(), true);
  }
  // The file is logged without its directory: the package gives it (com.acme.bot.Bot → com/acme/bot/Bot.java).
  const pkg = className.split('.').slice(0, -1).filter((s) => /^[a-z_][\w]*$/.test(s));
  const file = [...pkg, loc[1]].join('/');
  return frame('java', file, int(loc[2]), null, `${className}.${method}`, line.trim(), dependency);
}

// ------------------------------------------------------------------------------------------------ .NET

// "   at Acme.Bot.Answer(String q) in C:\src\Acme\Bot.cs:line 42", "   at System.Net.Http.HttpClient.Send(…)"
const DOTNET_AT = /^\s*at\s+(.+?\))(?:\s+in\s+(.+?):line\s+(\d+))?\s*$/;

function parseDotnetLine(line: string): StackFrame | null {
  const m = DOTNET_AT.exec(line);
  if (!m) return null;
  const fnFull = m[1];
  // Java frames also start with "at" and end with ")": .NET frames have a space-separated parameter list or
  // "()" with no file position inside the parentheses, and usually " in PATH:line N".
  if (!m[2] && /\([\w$.-]+\.(java|kt|scala|groovy):\d+\)$|\((Native Method|Unknown Source)\)$/.test(fnFull)) return null;
  if (!m[2] && !/^[\w.`<>[\]+|,]+\(.*\)$/.test(fnFull)) return null;
  const name = fnFull.replace(/\(.*\)$/, '');
  const dependency = DOTNET_DEPENDENCY.test(name + '.') || (m[2] ? isDependencyPath(m[2]) : false);
  return frame('dotnet', m[2] ?? null, int(m[3]), null, name, line.trim(), dependency);
}

// ------------------------------------------------------------------------------------------------ Go

// "main.handler(0xc000010000)" then "\t/app/cmd/server/main.go:42 +0x1d"; "created by main.main in goroutine 1"
const GO_FILE = /^\s+(\S.*?\.go):(\d+)(?:\s+\+0x[0-9a-f]+)?\s*$/i;

function goFunction(line: string): string | null {
  const fn = line
    .trim()
    .replace(/^created by\s+/, '')
    .replace(/\s+in goroutine \d+$/, '')
    .replace(/\([^()]*\)$/, ''); // the arguments: "(0xc000010000, 0x1)", "(...)", "({0x…})"
  return /^[\w./*()$~-]+$/.test(fn) && fn.length > 0 ? fn : null;
}

// ------------------------------------------------------------------------------------------------ all

type LineParser = (line: string) => StackFrame | null;

/** Parses a logged stack trace. Unrecognised lines (messages, "Traceback …", "... 5 more") are ignored. */
export function parseStackTrace(text: string | null | undefined): ParsedStack {
  if (!text) return { frames: [], firstApplicationFrame: null, language: null };
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const frames: StackFrame[] = [];
  const python: StackFrame[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.length > 4000) continue;
    const py = parsePythonLine(line);
    if (py) {
      python.push(py);
      continue;
    }
    // Go: a function line followed by a tab-indented "file.go:line +0x…" line.
    const goFile = GO_FILE.exec(line);
    if (goFile) {
      const prev = i > 0 ? lines[i - 1].trim() : '';
      const fn = goFunction(prev);
      const dependency = isDependencyPath(goFile[1]) || (fn !== null && GO_DEPENDENCY_FUNCTION.test(fn));
      frames.push(frame('go', goFile[1], int(goFile[2]), null, fn, `${prev}\n${line.trim()}`, dependency));
      continue;
    }
    const parsers: LineParser[] = /\s+in\s+.+:line\s+\d+\s*$/.test(line) ? [parseDotnetLine] : [parseJavaLine, parseNodeLine, parseDotnetLine, parseGeckoLine];
    for (const p of parsers) {
      const f = p(line);
      if (f) {
        frames.push(f);
        break;
      }
    }
  }
  // Python prints the outermost frame first ("most recent call last"): innermost first like the others.
  const all = python.length >= frames.length ? [...python.reverse(), ...frames] : [...frames, ...python.reverse()];
  const counts = new Map<StackLanguage, number>();
  for (const f of all) counts.set(f.language, (counts.get(f.language) ?? 0) + 1);
  const language = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  return { frames: all, firstApplicationFrame: all.find((f) => !f.dependency && f.file !== null) ?? null, language };
}

/** The application frames (not in a dependency, with a file), innermost first. */
export function applicationFrames(text: string | null | undefined): StackFrame[] {
  return parseStackTrace(text).frames.filter((f) => !f.dependency && f.file !== null);
}
