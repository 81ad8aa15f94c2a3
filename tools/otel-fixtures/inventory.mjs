// Builds the mechanical part of test/fixtures/otel/ATTRIBUTES.md from the
// generated .jsonl files: every resource attribute, span name/kind, span
// attribute (with OTLP value type and an example), span event, log record
// field, log body shape, log attribute, and how log records link to spans.
//
// generate.mjs calls writeAttributesMd() after writing the fixtures; it can
// also be run on its own:  node tools/otel-fixtures/inventory.mjs

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT_DIR = path.resolve(HERE, '../../test/fixtures/otel');

const KIND = { 0: 'UNSPECIFIED', 1: 'INTERNAL', 2: 'SERVER', 3: 'CLIENT', 4: 'PRODUCER', 5: 'CONSUMER' };
const STATUS = { 0: 'UNSET', 1: 'OK', 2: 'ERROR' };

function readJsonl(file) {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l));
}

// ---- AnyValue helpers -------------------------------------------------------

function valueType(v) {
  const keys = Object.keys(v ?? {});
  if (keys.length === 0) return '`{}` (empty AnyValue)';
  const k = keys[0];
  if (k === 'intValue') return `intValue (JSON ${typeof v.intValue})`;
  if (k === 'arrayValue') {
    const elems = [...new Set((v.arrayValue.values ?? []).map((e) => Object.keys(e)[0] ?? '{}'))];
    return `arrayValue of ${elems.join(' / ') || '(empty)'}`;
  }
  return k;
}

function plain(v) {
  const keys = Object.keys(v ?? {});
  if (keys.length === 0) return undefined;
  const k = keys[0];
  if (k === 'arrayValue') return (v.arrayValue.values ?? []).map(plain);
  if (k === 'kvlistValue') return Object.fromEntries((v.kvlistValue.values ?? []).map((kv) => [kv.key, plain(kv.value)]));
  return v[k];
}

// Shape of an AnyValue, merged over many instances.
function shapeOf(v) {
  const keys = Object.keys(v ?? {});
  if (keys.length === 0) return { t: 'empty' };
  const k = keys[0];
  switch (k) {
    case 'stringValue':
      return { t: 'string' };
    case 'intValue':
      return { t: 'int' };
    case 'doubleValue':
      return { t: 'double' };
    case 'boolValue':
      return { t: 'bool' };
    case 'bytesValue':
      return { t: 'bytes' };
    case 'arrayValue': {
      let elem = null;
      for (const e of v.arrayValue.values ?? []) elem = mergeShape(elem, shapeOf(e));
      return { t: 'array', elem };
    }
    case 'kvlistValue': {
      const s = { t: 'kvlist', n: 1, keys: new Map() };
      for (const kv of v.kvlistValue.values ?? []) s.keys.set(kv.key, { count: 1, shape: shapeOf(kv.value) });
      return s;
    }
    default:
      return { t: k };
  }
}

function mergeShape(a, b) {
  if (!a) return b;
  if (!b) return a;
  if (a.t === 'union' || b.t === 'union' || a.t !== b.t) {
    const alts = [...(a.t === 'union' ? a.alts : [a])];
    for (const x of b.t === 'union' ? b.alts : [b]) {
      const i = alts.findIndex((y) => y.t === x.t);
      if (i >= 0) alts[i] = mergeShape(alts[i], x);
      else alts.push(x);
    }
    return alts.length === 1 ? alts[0] : { t: 'union', alts };
  }
  if (a.t === 'array') return { t: 'array', elem: mergeShape(a.elem, b.elem) };
  if (a.t === 'kvlist') {
    const keys = new Map();
    for (const [k, e] of a.keys) keys.set(k, { ...e });
    for (const [k, e] of b.keys) {
      const cur = keys.get(k);
      if (cur) keys.set(k, { count: cur.count + e.count, shape: mergeShape(cur.shape, e.shape) });
      else keys.set(k, { ...e });
    }
    return { t: 'kvlist', n: a.n + b.n, keys };
  }
  return a;
}

function renderShape(s) {
  if (!s) return 'never';
  switch (s.t) {
    case 'array':
      return `array<${s.elem ? renderShape(s.elem) : 'empty'}>`;
    case 'kvlist':
      return `kvlist{ ${[...s.keys].map(([k, e]) => `${k}${e.count < s.n ? '?' : ''}: ${renderShape(e.shape)}`).join(', ')} }`;
    case 'union':
      return s.alts.map(renderShape).join(' | ');
    case 'empty':
      return '{} (empty)';
    default:
      return s.t;
  }
}

function example(v, max = 90) {
  const p = plain(v);
  let s = typeof p === 'string' ? JSON.stringify(p) : JSON.stringify(p);
  if (s === undefined) s = '(none)';
  if (s.length > max) s = s.slice(0, max - 1) + '…';
  return s;
}

function md(s) {
  return String(s).replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function fieldType(x) {
  if (Array.isArray(x)) return 'array';
  if (x === null) return 'null';
  return typeof x;
}

function describeField(name, values) {
  const types = [...new Set(values.map(fieldType))].join(' / ');
  let note = '';
  if (/timeunixnano$/i.test(name)) {
    note = `decimal nanoseconds since epoch as a JSON ${types}`;
  } else if (name === 'traceId' || name === 'spanId' || name === 'parentSpanId') {
    const lens = [...new Set(values.map((v) => v.length))].join('/');
    const hex = values.every((v) => /^[0-9a-f]+$/.test(v));
    note = hex ? `lowercase hex, ${lens} chars (not base64)` : `NOT hex (${lens} chars)`;
  } else if (name === 'kind') {
    note = [...new Set(values)].sort().map((k) => `${k} = ${KIND[k]}`).join(', ');
  } else if (name === 'flags' || name === 'severityNumber' || /Count$/.test(name)) {
    note = `values seen: ${[...new Set(values)].sort((a, b) => a - b).join(', ')}`;
  } else if (name === 'status') {
    note = [...new Set(values.map((s) => `code ${s.code} (${STATUS[s.code]})${'message' in s ? ' + message' : ''}`))].join('; ');
  } else if (name === 'eventName' || name === 'severityText' || name === 'name') {
    note = [...new Set(values)].map((v) => `"${v}"`).join(', ');
  } else if (name === 'body') {
    note = 'AnyValue, see body shape';
  } else if (Array.isArray(values[0])) {
    note = `lengths seen: ${[...new Set(values.map((v) => v.length))].sort((a, b) => a - b).join(', ')}`;
  }
  return { types, note };
}

// ---- per-file inventories ---------------------------------------------------

function attrTable(attrRows, total) {
  const rows = [];
  for (const [key, info] of attrRows) {
    const distinct = [...info.values];
    const shown = info.shape
      ? '`' + renderShape(info.shape) + '`'
      : distinct.length <= 4
        ? distinct.map((d) => `\`${md(d)}\``).join(', ')
        : `\`${md(info.example)}\` (${distinct.length} distinct)`;
    rows.push(`| \`${key}\` | ${[...info.types].join(' / ')} | ${info.count === total ? 'all' : `${info.count} of ${total}`} | ${shown} |`);
  }
  return ['| key | OTLP value type | present on | values / example |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

function collectAttrs(map, attrs, { complexShapes = false } = {}) {
  for (const a of attrs ?? []) {
    if (!map.has(a.key)) map.set(a.key, { types: new Set(), count: 0, values: new Set(), example: null, shape: null });
    const info = map.get(a.key);
    info.types.add(valueType(a.value));
    info.count++;
    const isComplex = 'kvlistValue' in a.value || ('arrayValue' in a.value && (a.value.arrayValue.values ?? []).some((e) => 'kvlistValue' in e));
    if (complexShapes && isComplex) {
      info.shape = mergeShape(info.shape, shapeOf(a.value));
    } else {
      const ex = example(a.value);
      info.values.add(ex);
      info.example ??= ex;
    }
  }
}

function tracesInventory(file) {
  const data = readJsonl(path.join(OUT_DIR, file));
  const out = [];
  const resources = new Map();
  const groups = new Map();
  const fields = new Map();
  const spanById = new Map();
  let resourceSpansPerLine = new Set();
  let scopeOrder = [];
  for (const line of data) {
    resourceSpansPerLine.add(line.resourceSpans.length);
    for (const rs of line.resourceSpans) {
      collectAttrs(resources, rs.resource.attributes);
      const order = [];
      for (const ss of rs.scopeSpans) {
        order.push(`${ss.scope.name}@${ss.scope.version}`);
        for (const sp of ss.spans) {
          spanById.set(sp.spanId, { name: sp.name, scope: ss.scope.name });
          const g = `${ss.scope.name}@${ss.scope.version}\u0000${sp.name}`;
          if (!groups.has(g)) groups.set(g, { scope: `${ss.scope.name}@${ss.scope.version}`, name: sp.name, n: 0, kinds: new Set(), statuses: new Map(), roots: 0, attrs: new Map(), events: new Map(), links: 0 });
          const gi = groups.get(g);
          gi.n++;
          gi.kinds.add(sp.kind);
          const st = `${sp.status.code} (${STATUS[sp.status.code]})`;
          gi.statuses.set(st, (gi.statuses.get(st) ?? 0) + 1);
          if (!sp.parentSpanId) gi.roots++;
          gi.links += (sp.links ?? []).length;
          collectAttrs(gi.attrs, sp.attributes);
          for (const ev of sp.events ?? []) {
            if (!gi.events.has(ev.name)) gi.events.set(ev.name, { n: 0, attrs: new Map() });
            const e = gi.events.get(ev.name);
            e.n++;
            collectAttrs(e.attrs, ev.attributes);
          }
          for (const [k, v] of Object.entries(sp)) {
            if (!fields.has(k)) fields.set(k, []);
            fields.get(k).push(v);
          }
        }
      }
      scopeOrder.push(order.join(' then '));
    }
  }
  const spanCount = [...groups.values()].reduce((n, g) => n + g.n, 0);

  out.push(`### \`${file}\``, '');
  out.push(`${data.length} lines; each line is one \`TracesData\` with ${[...resourceSpansPerLine].join('/')} \`resourceSpans\` entry; ${spanCount} spans in all. Scope order inside a line: ${[...new Set(scopeOrder)].map((s) => `\`${s}\``).join('; ')}.`, '');
  out.push('**Resource attributes** (identical on every line):', '', attrTable(resources, data.length), '');
  out.push('**Span fields** (as they appear in the JSON):', '', '| field | JSON type | notes |', '| --- | --- | --- |');
  for (const [k, vals] of fields) {
    const { types, note } = describeField(k, vals);
    out.push(`| \`${k}\` | ${types}${vals.length < spanCount ? ` (on ${vals.length} of ${spanCount})` : ''} | ${md(note)} |`);
  }
  out.push('');
  for (const g of groups.values()) {
    out.push(`#### span \`${g.name}\` — scope \`${g.scope}\``, '');
    out.push(
      `${g.n} spans; kind ${[...g.kinds].map((k) => `${k} (${KIND[k]})`).join(', ')}; ${g.roots === g.n ? 'all are roots (no `parentSpanId` key)' : g.roots === 0 ? 'all have a `parentSpanId`' : `${g.roots} roots`}; status ${[...g.statuses].map(([s, n]) => `${s} ×${n}`).join(', ')}; links: ${g.links}.`,
      '',
    );
    out.push(attrTable(g.attrs, g.n), '');
    if (g.events.size) {
      for (const [name, e] of g.events) {
        out.push(`Span event \`${name}\` (${e.n}):`, '', attrTable(e.attrs, e.n), '');
      }
    } else {
      out.push('Span events: none.', '');
    }
  }
  return { text: out.join('\n'), spanById };
}

function logsInventory(file, spanById) {
  const data = readJsonl(path.join(OUT_DIR, file));
  const out = [];
  const resources = new Map();
  const groups = new Map();
  const fields = new Map();
  let total = 0;
  for (const line of data) {
    for (const rl of line.resourceLogs) {
      collectAttrs(resources, rl.resource.attributes);
      for (const sl of rl.scopeLogs) {
        for (const lr of sl.logRecords) {
          total++;
          const attrName = lr.attributes?.find((a) => a.key === 'event.name')?.value?.stringValue;
          const ev = lr.eventName ? `eventName field = "${lr.eventName}"` : attrName ? `attribute event.name = "${attrName}"` : '(no event name)';
          const g = `${sl.scope.name}@${sl.scope.version}\u0000${ev}`;
          if (!groups.has(g)) groups.set(g, { scope: `${sl.scope.name}@${sl.scope.version}`, ev, n: 0, body: null, attrs: new Map(), linked: 0, linkedTo: new Map(), fields: new Set() });
          const gi = groups.get(g);
          gi.n++;
          gi.body = mergeShape(gi.body, shapeOf(lr.body));
          collectAttrs(gi.attrs, lr.attributes, { complexShapes: true });
          for (const k of Object.keys(lr)) gi.fields.add(k);
          if (lr.traceId && lr.spanId) {
            gi.linked++;
            const target = spanById.get(lr.spanId);
            const t = target ? `\`${target.name}\` (${target.scope})` : 'a span not in the traces file';
            gi.linkedTo.set(t, (gi.linkedTo.get(t) ?? 0) + 1);
          }
          for (const [k, v] of Object.entries(lr)) {
            if (!fields.has(k)) fields.set(k, []);
            fields.get(k).push(v);
          }
        }
      }
    }
  }
  out.push(`### \`${file}\``, '');
  out.push(`${data.length} lines; each line is one \`LogsData\`; ${total} log records in all.`, '');
  out.push('**Resource attributes**:', '', attrTable(resources, data.length), '');
  out.push('**Log record fields** (as they appear in the JSON):', '', '| field | JSON type | notes |', '| --- | --- | --- |');
  for (const [k, vals] of fields) {
    const { types, note } = describeField(k, vals);
    out.push(`| \`${k}\` | ${types}${vals.length < total ? ` (on ${vals.length} of ${total})` : ''} | ${md(note)} |`);
  }
  out.push('');
  for (const g of groups.values()) {
    out.push(`#### ${g.ev} — scope \`${g.scope}\``, '');
    out.push(`${g.n} records. Fields: ${[...g.fields].map((f) => `\`${f}\``).join(', ')}.`, '');
    out.push(`Body: \`${renderShape(g.body)}\``, '');
    out.push(attrTable(g.attrs, g.n), '');
    out.push(
      `Link to spans: ${g.linked} of ${g.n} carry \`traceId\` + \`spanId\`; the \`spanId\` is the ${[...g.linkedTo].map(([t, n]) => `${t} span ×${n}`).join(', ')}.`,
      '',
    );
  }
  return out.join('\n');
}

// ---- the document -----------------------------------------------------------

function markerCounts(files, markers) {
  const rows = ['| string | file | spans containing it | log records containing it |', '| --- | --- | --- | --- |'];
  for (const m of markers) {
    for (const [traces, logs] of files) {
      let spans = 0;
      let records = 0;
      for (const line of readJsonl(path.join(OUT_DIR, traces)))
        for (const rs of line.resourceSpans) for (const ss of rs.scopeSpans) for (const sp of ss.spans) if (JSON.stringify(sp).includes(m)) spans++;
      for (const line of readJsonl(path.join(OUT_DIR, logs)))
        for (const rl of line.resourceLogs) for (const sl of rl.scopeLogs) for (const lr of sl.logRecords) if (JSON.stringify(lr).includes(m)) records++;
      rows.push(`| \`${md(m)}\` | \`${traces}\` / \`${logs}\` | ${spans} | ${records} |`);
    }
  }
  return rows.join('\n');
}

export function buildInventory(files, markers = []) {
  const parts = [];
  if (markers.length) {
    parts.push('### Where the sensitive test strings appear', '', 'Counted on the raw JSON of each span / log record (content is stored verbatim: no escaping beyond JSON string escaping, no redaction).', '', markerCounts(files, markers), '');
  }
  for (const [traces, logs] of files) {
    const t = tracesInventory(traces);
    parts.push(t.text, logsInventory(logs, t.spanById));
  }
  return parts.join('\n');
}

export function writeAttributesMd(prose, files, markers = []) {
  const text = `${prose.trim()}\n\n## Generated inventory\n\nEverything below is computed from the .jsonl files by \`tools/otel-fixtures/inventory.mjs\` (run by \`generate.mjs\`). "present on" counts spans/records of that group; values are shown in full when there are at most 4 distinct ones, otherwise one example (strings JSON-quoted, cut at 90 characters); structured values are shown as a shape, \`?\` marking keys that not every instance has.\n\n${buildInventory(files, markers)}\n`;
  fs.writeFileSync(path.join(OUT_DIR, 'ATTRIBUTES.md'), text.replace(/\n{3,}/g, '\n\n'));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { PROSE, FIXTURE_FILES, MARKERS } = await import('./attributes-prose.mjs');
  writeAttributesMd(PROSE, FIXTURE_FILES, MARKERS);
  console.log(`wrote ${path.join(OUT_DIR, 'ATTRIBUTES.md')}`);
}
