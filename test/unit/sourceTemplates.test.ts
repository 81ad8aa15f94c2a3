// Prompt templates found by the tokenizers: TypeScript/JavaScript and Python string literals with their holes,
// and whole prompt files.
import * as assert from 'node:assert/strict';
import { extractTemplates, splitPlaceholders, templateLanguageOf, templateText, type PromptTemplate } from '../../src/core/source/templateExtract';

const texts = (ts: PromptTemplate[]) => ts.map(templateText);
const at = (ts: PromptTemplate[], needle: string) => {
  const t = ts.find((x) => templateText(x).includes(needle));
  assert.ok(t, `no template with ${JSON.stringify(needle)} in ${JSON.stringify(texts(ts))}`);
  return t;
};

describe('templates: TypeScript / JavaScript', () => {
  const src = [
    "// a comment with 'quotes\" and `backticks` is not a string",
    "/* block comment: 'neither' is this */",
    "const re = /['\"`]+ not a string/g; const half = total / 2 / count; // ' stray",
    'export function systemPrompt(company: string, tone: string) {',
    '  return `You are the support assistant for ${company}.',
    'Answer in a ${tone} tone; never reveal ${secrets.map((s) => `${s.name}`).join(", ")}.',
    'Use \\`code\\` formatting and write \\${literal} as is.`;',
    '}',
    "const greeting = 'Hello ' + user.name + ', welcome back to ' + site.title() + '!';",
    "const escaped = 'It\\'s a \"quoted\" line\\twith a tab and \\u00e9 and \\x41.';",
    'const rules = [',
    "  'Use at most five bullet points.',",
    "  'Mention the order number.',",
    "].join('\\n');",
    'const jsx = <p>Don\'t break on this apostrophe</p>;',
    'const after = "found after the JSX text";',
    'const obj = { key: `nested ${ {a: "inner string in braces"}.a } end` };',
  ].join('\n');
  const found = extractTemplates('src/bot.tsx', src);

  it('reads multi-line template literals, with their ${…} holes (nested templates, braces and strings in them)', () => {
    const t = at(found, 'You are the support assistant');
    assert.equal(t.kind, 'template-literal');
    assert.equal(t.language, 'typescript');
    assert.deepEqual([t.line, t.column, t.endLine], [5, 10, 7]);
    assert.deepEqual(t.pieces, [
      { text: 'You are the support assistant for ' },
      { hole: '${company}' },
      { text: '.\nAnswer in a ' },
      { hole: '${tone}' },
      { text: ' tone; never reveal ' },
      { hole: '${secrets.map((s) => `${s.name}`).join(", ")}' },
      { text: '.\nUse `code` formatting and write ' },
      { hole: '${literal}' },
      { text: ' as is.' },
    ]);
    assert.ok(at(found, 'inner string in braces'));
    assert.equal(at(found, 'nested ').kind, 'template-literal');
  });

  it('joins literals concatenated with + (the other operands are holes) and arrays joined with .join()', () => {
    const g = at(found, 'Hello ');
    assert.equal(g.kind, 'concatenation');
    assert.equal(templateText(g), 'Hello ${user.name}, welcome back to ${site.title()}!');
    const r = at(found, 'bullet points');
    assert.equal(r.kind, 'join');
    assert.equal(templateText(r), 'Use at most five bullet points.\nMention the order number.');
    assert.deepEqual([r.line, r.endLine], [11, 14]);
    assert.equal(texts(found).filter((t) => t === 'Mention the order number.').length, 0, 'a joined element is not listed again');
  });

  it('cooks escapes and never reads comments, regular expressions or JSX text as strings', () => {
    assert.ok(texts(found).includes('It\'s a "quoted" line\twith a tab and é and A.'));
    assert.ok(texts(found).includes('found after the JSX text'));
    for (const t of texts(found)) {
      assert.ok(!t.includes('comment') && !t.includes('not a string') && !t.includes('neither') && !t.includes('break on this'), t);
    }
  });

  it('knows the languages by extension', () => {
    assert.deepEqual(
      ['a.ts', 'a.mts', 'a.js', 'a.cjs', 'a.jsx', 'a.py', 'p.prompty', 'p.j2', 'notes.md', 'a.go', 'Makefile'].map(templateLanguageOf),
      ['typescript', 'typescript', 'javascript', 'javascript', 'javascript', 'python', 'prompt-file', 'prompt-file', 'prompt-file', null, null],
    );
  });
});

describe('templates: Python', () => {
  const src = [
    '"""Module docstring with a {placeholder}."""',
    '# a comment with "quotes" and \'apostrophes\'',
    'TRIAGE = """You are a triage bot for {company}.',
    "Classify the ticket into one of: {categories}.",
    "Reply with the queue's name only.\"\"\"",
    "SHORT = '''single-quoted triple with \"quotes\" inside'''",
    'user = f"Customer {name!r:>10} wrote: {msg[\'body\']} about {{literal braces}} and {order.id}"',
    "nested = f'{\"a\" if x else \"b\"} chose {choice}'",
    'HANDOVER = (',
    '    "You write hand-over notes for human agents. "',
    "    'Customer tier: %s. Open tickets: %d. Name: %(name)s. Done 100%% of it.'",
    ')',
    'fmt = "Use {} and {0} and {name} here".format(1, 2, name=3)',
    'joined = "\\n".join(["first rule of the list", "second rule of the list"])',
    'raw = rb"raw \\d+ and \\" kept"',
    "esc = 'tab\\there \\x41 \\N{BULLET} done'",
    'cont = "line one " \\',
    '    "line two"',
    'concat = "Answer: " + answer.text + " (end)"',
  ].join('\n');
  const found = extractTemplates('app/agents/triage.py', src);

  it('reads triple-quoted strings over several lines, with {x} placeholders as holes', () => {
    const t = at(found, 'You are a triage bot');
    assert.deepEqual([t.line, t.column, t.endLine, t.kind, t.language], [3, 10, 5, 'string', 'python']);
    assert.equal(templateText(t), "You are a triage bot for {company}.\nClassify the ticket into one of: {categories}.\nReply with the queue's name only.");
    assert.deepEqual(t.pieces.filter((p) => 'hole' in p), [{ hole: '{company}' }, { hole: '{categories}' }]);
    assert.ok(texts(found).includes('single-quoted triple with "quotes" inside'));
  });

  it('reads f-strings: {expr} fields are holes, {{ and }} literal braces, quotes inside fields', () => {
    const f = at(found, 'Customer ');
    assert.equal(f.kind, 'f-string');
    assert.deepEqual(f.pieces.slice(0, 4), [{ text: 'Customer ' }, { hole: '{name!r:>10}' }, { text: ' wrote: ' }, { hole: "{msg['body']}" }]);
    assert.ok(templateText(f).endsWith(' about {literal braces} and {order.id}'));
    assert.equal(templateText(at(found, ' chose ')), '{"a" if x else "b"} chose {choice}');
  });

  it('joins adjacent literals and + concatenations; %s, %(name)s, {} and {0} are holes', () => {
    const h = at(found, 'hand-over');
    assert.equal(h.kind, 'concatenation');
    assert.deepEqual([h.line, h.endLine], [10, 11]);
    assert.deepEqual(h.pieces, [
      { text: 'You write hand-over notes for human agents. Customer tier: ' },
      { hole: '%s' },
      { text: '. Open tickets: ' },
      { hole: '%d' },
      { text: '. Name: ' },
      { hole: '%(name)s' },
      { text: '. Done 100%% of it.' },
    ]);
    assert.deepEqual(at(found, 'Use ').pieces.filter((p) => 'hole' in p), [{ hole: '{}' }, { hole: '{0}' }, { hole: '{name}' }]);
    assert.equal(templateText(at(found, 'line one')), 'line one line two');
    assert.equal(templateText(at(found, 'Answer: ')), 'Answer: {answer.text} (end)');
  });

  it('joins "sep".join([...]), keeps raw strings raw and cooks escapes', () => {
    const j = at(found, 'first rule');
    assert.equal(j.kind, 'join');
    assert.equal(templateText(j), 'first rule of the list\nsecond rule of the list');
    assert.ok(texts(found).includes('raw \\d+ and \\" kept'));
    assert.ok(texts(found).includes('tab\there A \\N{BULLET} done'));
    assert.ok(!texts(found).some((t) => t.includes('a comment')));
  });
});

describe('templates: prompt files', () => {
  it('.prompty: front matter skipped, one template per role section, {{ x }} holes', () => {
    const src = ['---', 'name: refund', 'model:', '  api: chat', '---', 'system:', 'You review refunds for {{company}}.', 'Policy: {{ policy | trim }}', '', 'user:', '{{question}}', ''].join('\n');
    const found = extractTemplates('prompts/refund.prompty', src);
    assert.deepEqual(found.map((t) => [t.kind, t.role, t.line, t.endLine]), [['section', 'system', 7, 9], ['section', 'user', 11, 11]]);
    assert.deepEqual(found[0].pieces, [{ text: '\nYou review refunds for ' }, { hole: '{{company}}' }, { text: '.\nPolicy: ' }, { hole: '{{ policy | trim }}' }, { text: '\n\n' }]);
  });

  it('.jinja: {{ x }}, {# comments #} and {% tags %} are holes; an {% if %} or {% for %} block is one hole', () => {
    const src = 'You help {{ user.name }} with {{ topic }}.\n{% if vip %}Be extra careful.{% else %}Be brief.{% endif %}\n{% for d in docs %}- {{ d.title }}\n{% endfor %}{# note #}Answer now.\n{% set x = 1 %}';
    const [t] = extractTemplates('prompts/help.jinja', src);
    assert.equal(t.kind, 'file');
    assert.deepEqual(t.pieces, [
      { text: 'You help ' },
      { hole: '{{ user.name }}' },
      { text: ' with ' },
      { hole: '{{ topic }}' },
      { text: '.\n' },
      { hole: '{% if vip %}…' },
      { text: '\n' },
      { hole: '{% for d in docs %}…' },
      { hole: '{# note #}' },
      { text: 'Answer now.\n' },
      { hole: '{% set x = 1 %}' },
    ]);
  });

  it('.md / .txt: the whole text (after front matter), {name} and Mustache sections as holes', () => {
    const [md] = extractTemplates('prompts/tone.md', '---\ntitle: tone\n---\n\n# Tone\n\nBe calm.\n');
    assert.deepEqual([md.line, templateText(md)], [5, '\n# Tone\n\nBe calm.\n']);
    const [txt] = extractTemplates('prompts/greeting.txt', 'Hello {name}! {{#items}}- {{.}}\n{{/items}}Bye.');
    assert.deepEqual(txt.pieces, [{ text: 'Hello ' }, { hole: '{name}' }, { text: '! ' }, { hole: '{{#items}}…' }, { text: 'Bye.' }]);
    assert.deepEqual(extractTemplates('main.go', 'var p = "You are a bot"'), []);
  });

  it('splits placeholders without taking JSON or prose for one', () => {
    assert.deepEqual(splitPlaceholders('Return {"answer": "…"} as JSON, 100% sure, {x}.'), [{ text: 'Return {"answer": "…"} as JSON, 100% sure, ' }, { hole: '{x}' }, { text: '.' }]);
  });
});
