// The session timeline: the conversation in order, each event in full (read back from the export by the host),
// with a waterfall of durations to scale. Pages of events arrive from the host as the user scrolls; cards off
// screen are skipped by the browser's renderer (content-visibility), so long sessions stay responsive.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { NormalizedEvent, SessionRow, TimelineEvent, ToTimeline } from '../../src/shared/protocol';
import { el, fmtInt, fmtLocal, fmtUsd, fmtUtc } from '../common/text';
import { onHostMessage, postToHost } from '../common/vscodeApi';

const app = document.getElementById('app')!;
const LONG_TEXT = 800;
let sessionId = '';
let total = 0;
let loaded: TimelineEvent[] = [];
let requested = 0;
let span = { start: 0, end: 1 };
const depthBySpan = new Map<string, number>();

function button(label: string, title: string, onClick: () => void): HTMLElement {
  const b = el('a', { className: 'line-link action', text: label, title });
  b.setAttribute('href', '#');
  b.setAttribute('role', 'button');
  b.addEventListener('click', (e) => {
    e.preventDefault();
    onClick();
  });
  return b;
}

function text(content: string, className = 'message-text'): HTMLElement {
  if (content.length <= LONG_TEXT) return el('pre', { className, text: content });
  const pre = el('pre', { className, text: content.slice(0, LONG_TEXT) + '…' });
  const more = button(`Show all ${fmtInt(content.length)} characters`, 'Expand', () => {
    pre.textContent = '';
    pre.append(el('span', { text: content }));
    more.remove();
  });
  return el('div', {}, [pre, more]);
}

/** The messages new in this call: after the last assistant message of the input (the rest was shown before). */
function newInput(ev: NormalizedEvent) {
  const input = ev.content.input.filter((m) => m.role !== 'system');
  let lastAssistant = -1;
  input.forEach((m, i) => {
    if (m.role === 'assistant') lastAssistant = i;
  });
  return { fresh: input.slice(lastAssistant + 1), earlier: input.slice(0, lastAssistant + 1) };
}

function waterfall(ev: NormalizedEvent): HTMLElement {
  const bar = el('div', { className: 'wf' });
  const start = ev.ts ? Date.parse(ev.ts) : NaN;
  if (Number.isNaN(start)) return bar;
  const width = span.end - span.start || 1;
  const left = ((start - span.start) / width) * 100;
  const dur = ev.latencyMs ?? 0;
  const inner = el('div', { className: `wf-bar kind-${ev.kind}${ev.status === 'error' ? ' wf-error' : ''}`, title: `${fmtInt(Math.round(dur))} ms` });
  inner.style.left = `${Math.max(0, Math.min(100, left))}%`;
  inner.style.width = `${Math.max(0.4, Math.min(100 - left, (dur / width) * 100))}%`;
  const depth = ev.parentSpanId ? (depthBySpan.get(ev.parentSpanId) ?? 0) + 1 : 0;
  if (ev.spanId) depthBySpan.set(ev.spanId, depth);
  bar.style.paddingLeft = `${depth * 12}px`;
  bar.append(inner);
  return bar;
}

function card(t: TimelineEvent, index: number): HTMLElement {
  const ev = t.event;
  const head = el('div', { className: 'card-head' }, [
    el('span', { className: 'time', text: fmtUtc(ev.ts), title: fmtLocal(ev.ts) }),
    el('span', { className: `kind-badge kind-${ev.kind}`, text: ev.kind }),
    el('strong', { text: ev.type }),
    ...(ev.requestModel || ev.responseModel ? [el('span', { className: 'muted', text: ev.responseModel ?? ev.requestModel ?? '' })] : []),
    ...(ev.inputTokens !== null || ev.outputTokens !== null ? [el('span', { className: 'muted', text: `${fmtInt(ev.inputTokens)} in / ${fmtInt(ev.outputTokens)} out${ev.cachedTokens ? ` (${fmtInt(ev.cachedTokens)} cached)` : ''}` })] : []),
    ...(ev.latencyMs !== null ? [el('span', { className: 'muted', text: `${fmtInt(Math.round(ev.latencyMs))} ms` })] : []),
    ...(t.figures.costSource ? [el('span', { className: t.figures.costSource === 'unpriced' ? 'warn-text' : 'muted', text: t.figures.costSource === 'unpriced' ? 'unpriced' : `${fmtUsd(t.figures.cost)} ${t.figures.costSource}`, title: t.figures.priceKey ? `priced as ${t.figures.priceKey}` : '' })] : []),
    ...(ev.status === 'error' ? [el('span', { className: 'warn-text', text: 'error' })] : []),
    el('span', { className: 'spacer' }),
    button('Reveal in Export', `Open line ${ev.provenance.line} of the export beside this view`, () => postToHost({ type: 'revealLine', fileIndex: ev.provenance.fileIndex, line: ev.provenance.line })),
    button('Copy as JSON', 'Copy the source record', () => postToHost({ type: 'copyText', text: t.source })),
    ...(ev.kind === 'llm' || ev.code ? [button('Go to Source', 'Open the code that produced this event', () => postToHost({ type: 'goToSource', rowid: t.rowid }))] : []),
  ]);
  const body: HTMLElement[] = [];
  if (ev.content.system) {
    const sys = document.createElement('details');
    sys.append(el('summary', { text: 'System instructions' }), text(ev.content.system));
    body.push(sys);
  }
  const { fresh, earlier } = newInput(ev);
  if (earlier.length) {
    const hist = document.createElement('details');
    hist.append(el('summary', { text: `Earlier messages sent with this call (${earlier.length})` }), ...earlier.map((m) => message(m.role, m.content)));
    body.push(hist);
  }
  for (const m of [...fresh, ...ev.content.output]) body.push(message(m.role, m.content));
  for (const tc of ev.content.toolCalls) {
    body.push(
      el('div', { className: 'tool' }, [
        el('strong', { text: `tool: ${tc.name}` }),
        ...(tc.arguments !== undefined ? [text(`arguments: ${typeof tc.arguments === 'string' ? tc.arguments : JSON.stringify(tc.arguments, null, 2)}`)] : []),
        ...(tc.result !== undefined ? [text(`result: ${typeof tc.result === 'string' ? tc.result : JSON.stringify(tc.result, null, 2)}`)] : []),
      ]),
    );
  }
  if (ev.chunks.length) {
    const list = el('div', { className: 'chunks' }, [el('div', { className: 'muted', text: `Retrieved chunks (${ev.chunks.length})` })]);
    for (const c of ev.chunks) {
      const score = el('span', { className: 'score-bar' });
      score.style.width = `${Math.round(Math.max(0, Math.min(1, c.score ?? 0)) * 60)}px`;
      list.append(el('div', { className: 'chunk' }, [el('span', { className: 'chunk-head', text: `${c.documentId ?? '?'} · ${c.chunkId ?? '?'} · ${c.score ?? '—'} ` }), score, ...(c.text ? [text(c.text, 'chunk-text')] : [])]));
    }
    body.push(list);
  }
  if (ev.errorType || ev.errorMessage) body.push(el('div', { className: 'error-box', text: `${ev.errorType ?? 'error'}: ${ev.errorMessage ?? ''}` }));
  if (ev.code?.stacktrace) {
    const st = document.createElement('details');
    st.append(el('summary', { text: 'Stack trace' }), text(ev.code.stacktrace));
    body.push(st);
  }
  if (ev.feedbackRating !== null) body.push(el('div', { text: `Feedback: ${ev.feedbackRating > 0 ? '👍' : '👎'} ${ev.feedbackRating}${ev.feedbackComment ? ` “${ev.feedbackComment}”` : ''}` }));
  if (ev.system) {
    body.push(el('div', { text: `${ev.system.action}${ev.system.actor ? ` by ${ev.system.actor}` : ''}${ev.system.target ? `: ${ev.system.target}` : ''}${ev.system.detail ? ` — ${ev.system.detail}` : ''}` }));
    if (ev.system.before !== undefined || ev.system.after !== undefined) {
      body.push(el('div', { className: 'change' }, [text(`before: ${JSON.stringify(ev.system.before, null, 2)}`), text(`after: ${JSON.stringify(ev.system.after, null, 2)}`)]));
    }
  }
  if (ev.resolution || ev.tags.length) body.push(el('div', { className: 'muted', text: `${ev.resolution ? `Resolution: ${ev.resolution}` : ''}${ev.tags.length ? ` · Tags: ${ev.tags.join(', ')}` : ''}` }));
  const c = el('article', { className: `card kind-${ev.kind}` }, [waterfall(ev), head, ...body]);
  c.tabIndex = 0;
  c.dataset.rowid = String(t.rowid);
  c.dataset.index = String(index);
  return c;
}

function message(role: string, content: string): HTMLElement {
  return el('div', { className: `message role-${role.replace(/[^a-z]/g, '')}` }, [
    el('div', { className: 'role', text: role }),
    content === '' ? el('p', { className: 'muted', text: '(no text: see the tool calls)' }) : text(content),
  ]);
}

function header(session: SessionRow | null, title: string): HTMLElement {
  const facts = session
    ? `${session.userId ?? 'no user'} · ${fmtUtc(session.start)} → ${fmtUtc(session.end)} · ${fmtInt(session.events)} events · ${fmtInt(session.llmCalls)} model calls · ${fmtInt(session.inputTokens)} / ${fmtInt(session.outputTokens)} tokens · ${fmtUsd(session.costUsd)}${session.unpriced ? ` + ${session.unpriced} unpriced` : ''} · ${session.errors} errors · ${session.flags} flagged${session.resolution ? ` · ${session.resolution}` : ''}`
    : '';
  return el('header', {}, [el('h1', { text: `Session ${sessionId}` }), el('p', { className: 'muted', text: `${title} · ${facts}` }), el('p', { className: 'muted', text: 'Keys: ↑/↓ or j/k move between events, Enter reveals the event in the export, c copies it as JSON.' })]);
}

let sentinelObserver: IntersectionObserver | undefined;

function requestMore(): void {
  if (requested < total && requested <= loaded.length) {
    postToHost({ type: 'sessionEvents', sessionId, offset: loaded.length });
    requested = loaded.length + 1;
  }
}

function onTimeline(msg: ToTimeline): void {
  if (msg.offset === 0) {
    sessionId = msg.sessionId;
    total = msg.total;
    loaded = [];
    depthBySpan.clear();
    const times = msg.events.map((t) => t.event.ts).filter((x): x is string => !!x).map(Date.parse);
    const ends = msg.events.map((t) => (t.event.endTs ? Date.parse(t.event.endTs) : t.event.ts ? Date.parse(t.event.ts) : NaN)).filter((x) => !Number.isNaN(x));
    const s = msg.session;
    span = { start: s?.start ? Date.parse(s.start) : Math.min(...times), end: s?.end ? Date.parse(s.end) : Math.max(...ends) };
    const list = el('section', { className: 'timeline' });
    list.id = 'timeline';
    const sentinel = el('div', { className: 'muted sentinel', text: '' });
    sentinel.id = 'sentinel';
    app.replaceChildren(header(s, msg.title), el('div', { className: 'wf-axis muted', text: `Waterfall: ${fmtUtc(new Date(span.start).toISOString())} → ${fmtUtc(new Date(span.end).toISOString())} (${span.end - span.start < 10_000 ? `${fmtInt(Math.round(span.end - span.start))} ms` : `${fmtInt(Math.round((span.end - span.start) / 1000))} s`})` }), list, sentinel);
    sentinelObserver?.disconnect();
    sentinelObserver = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) requestMore();
    });
  }
  const list = document.getElementById('timeline')!;
  const frag = document.createDocumentFragment();
  msg.events.forEach((t, i) => frag.append(card(t, msg.offset + i)));
  list.append(frag);
  loaded.push(...msg.events);
  requested = loaded.length;
  const sentinel = document.getElementById('sentinel')!;
  sentinel.textContent = loaded.length < total ? `Showing ${fmtInt(loaded.length)} of ${fmtInt(total)} events; scroll for more…` : `${fmtInt(total)} events.`;
  // Observed afresh after every page: observe() reports the current state once, so a sentinel still in view after a
  // page came in (a tall window, cards not laid out yet) asks for the next one instead of waiting for a scroll.
  sentinelObserver?.unobserve(sentinel);
  sentinelObserver?.observe(sentinel);
  app.dataset.state = 'loaded';
  if (msg.focusRowid !== undefined) {
    const target = list.querySelector<HTMLElement>(`[data-rowid="${msg.focusRowid}"]`);
    target?.focus();
    target?.scrollIntoView({ block: 'center' });
  }
}

document.addEventListener('keydown', (e) => {
  const cardEl = (document.activeElement as HTMLElement | null)?.closest('.card') as HTMLElement | null;
  const cards = [...document.querySelectorAll<HTMLElement>('.card')];
  const i = cardEl ? cards.indexOf(cardEl) : -1;
  if (e.key === 'ArrowDown' || e.key === 'j') cards[Math.min(cards.length - 1, i + 1)]?.focus();
  else if (e.key === 'ArrowUp' || e.key === 'k') cards[Math.max(0, i - 1)]?.focus();
  else if (cardEl && e.key === 'Enter') {
    const t = loaded[Number(cardEl.dataset.index)];
    if (t) postToHost({ type: 'revealLine', fileIndex: t.event.provenance.fileIndex, line: t.event.provenance.line });
  } else if (cardEl && e.key === 'c') {
    const t = loaded[Number(cardEl.dataset.index)];
    if (t) postToHost({ type: 'copyText', text: t.source });
  } else return;
  e.preventDefault();
});

onHostMessage<ToTimeline>(onTimeline);
postToHost({ type: 'ready' });
