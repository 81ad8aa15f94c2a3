// The selected event in full: its facts, messages, tool calls, retrieved chunks, error, code location and the
// source text it was read from. Every string from the log is set as text.
import type { NormalizedEvent } from '../../src/core/model/normalized';
import { el, fmtInt, fmtLocal, fmtUsd, fmtUtc } from '../common/text';

const LONG_TEXT = 1200;

function facts(ev: NormalizedEvent): HTMLElement {
  const rows: [string, string | null][] = [
    ['Time (UTC)', ev.ts ? fmtUtc(ev.ts) : null],
    ['Kind / type', `${ev.kind} / ${ev.type}`],
    ['Session', ev.sessionId],
    ['User', ev.userId],
    ['Environment', ev.environment],
    ['Service', ev.service],
    ['Provider', ev.provider],
    ['Model (requested → responded)', ev.requestModel || ev.responseModel ? `${ev.requestModel ?? '—'} → ${ev.responseModel ?? '—'}` : null],
    ['Tokens in / out / cached / reasoning', ev.inputTokens !== null || ev.outputTokens !== null ? `${fmtInt(ev.inputTokens)} / ${fmtInt(ev.outputTokens)} / ${fmtInt(ev.cachedTokens)} / ${fmtInt(ev.reasoningTokens)}` : null],
    ['Cost (logged)', ev.costUsd !== null ? fmtUsd(ev.costUsd) : null],
    ['Latency', ev.latencyMs !== null ? `${fmtInt(Math.round(ev.latencyMs))} ms` : null],
    ['Parameters', ev.temperature !== null || ev.topP !== null || ev.maxTokens !== null ? `temperature ${ev.temperature ?? '—'}, top_p ${ev.topP ?? '—'}, max tokens ${ev.maxTokens ?? '—'}` : null],
    ['Status', ev.status ? `${ev.status}${ev.finishReason ? ` (finish: ${ev.finishReason})` : ''}` : null],
    ['Error', ev.errorType || ev.errorMessage ? `${ev.errorType ?? 'error'}: ${ev.errorMessage ?? ''}` : null],
    ['Feedback', ev.feedbackRating !== null ? `${ev.feedbackRating > 0 ? '👍' : '👎'} ${ev.feedbackRating}${ev.feedbackComment ? ` “${ev.feedbackComment}”` : ''}` : null],
    ['Resolution', ev.resolution],
    ['Tags', ev.tags.length ? ev.tags.join(', ') : null],
    ['Trace / span / parent', ev.traceId ? `${ev.traceId} / ${ev.spanId ?? '—'} / ${ev.parentSpanId ?? '—'}` : null],
    ['Code', ev.code && (ev.code.file || ev.code.function) ? `${ev.code.file ?? '?'}${ev.code.line !== null ? `:${ev.code.line}` : ''}${ev.code.function ? ` (${ev.code.function})` : ''}` : null],
    ['System event', ev.system ? `${ev.system.action}${ev.system.actor ? ` by ${ev.system.actor}` : ''}${ev.system.target ? `: ${ev.system.target}` : ''}${ev.system.detail ? ` — ${ev.system.detail}` : ''}` : null],
    ['Hash chain', ev.integrity.hash ? `prev ${ev.integrity.prevHash ?? '—'}\nhash ${ev.integrity.hash}` : null],
  ];
  const dl = el('dl', { className: 'facts' });
  for (const [k, v] of rows) {
    if (v === null || v === '') continue;
    const dd = el('dd', { text: v });
    if (k === 'Time (UTC)') dd.title = fmtLocal(ev.ts);
    dl.append(el('dt', { text: k }), dd);
  }
  return dl;
}

function longText(text: string): HTMLElement {
  const pre = el('pre', { className: 'message-text', text: text.length > LONG_TEXT ? text.slice(0, LONG_TEXT) + '…' : text });
  if (text.length > LONG_TEXT) {
    const more = el('a', { className: 'line-link', text: `Show all ${fmtInt(text.length)} characters` });
    more.setAttribute('href', '#');
    more.addEventListener('click', (e) => {
      e.preventDefault();
      pre.textContent = '';
      pre.append(el('span', { text }));
      more.remove();
    });
    return el('div', {}, [pre, more]);
  }
  return pre;
}

function section(title: string, children: HTMLElement[]): HTMLElement {
  return el('div', { className: 'detail-section' }, [el('h3', { text: title }), ...children]);
}

function stringify(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2) ?? '';
}

export function renderEventDetail(host: HTMLElement, ev: NormalizedEvent | null, source: string, reveal: (line: number) => void, goToSource: () => void): void {
  if (!ev) {
    host.replaceChildren(el('p', { className: 'muted', text: 'This event is no longer in the export.' }));
    return;
  }
  const revealLink = el('a', { className: 'line-link', text: `line ${ev.provenance.line}` });
  revealLink.setAttribute('href', '#');
  revealLink.addEventListener('click', (e) => {
    e.preventDefault();
    reveal(ev.provenance.line);
  });
  const sourceLink = el('a', { className: 'line-link action', text: 'Go to Source', title: 'Open the code that produced this event' });
  sourceLink.id = 'go-to-source';
  sourceLink.setAttribute('href', '#');
  sourceLink.addEventListener('click', (e) => {
    e.preventDefault();
    goToSource();
  });
  const parts: HTMLElement[] = [el('h2', {}, [`Event at `, revealLink, ' ', sourceLink]), facts(ev)];
  if (ev.content.system) parts.push(section('System instructions', [longText(ev.content.system)]));
  const messages = [...ev.content.input.filter((m) => m.role !== 'system'), ...ev.content.output];
  if (messages.length) {
    parts.push(section('Messages', messages.map((m) => el('div', { className: `message role-${m.role.replace(/[^a-z]/g, '')}` }, [el('div', { className: 'role', text: m.role }), m.content === '' ? el('p', { className: 'muted', text: '(no text: see the tool calls below)' }) : longText(m.content)]))));
  }
  if (ev.content.toolCalls.length) {
    parts.push(
      section(
        'Tool calls',
        ev.content.toolCalls.map((t) =>
          el('div', { className: 'tool' }, [
            el('strong', { text: t.name }),
            ...(t.arguments !== undefined ? [el('pre', { className: 'message-text', text: `arguments: ${stringify(t.arguments)}` })] : []),
            ...(t.result !== undefined ? [el('pre', { className: 'message-text', text: `result: ${stringify(t.result)}` })] : []),
          ]),
        ),
      ),
    );
  }
  if (ev.chunks.length) {
    parts.push(
      section(
        'Retrieved chunks',
        ev.chunks.map((c) =>
          el('div', { className: 'chunk' }, [
            el('div', { className: 'chunk-head', text: `${c.documentId ?? '?'} · ${c.chunkId ?? '?'} · score ${c.score ?? '—'}` }),
            ...(c.text ? [longText(c.text)] : []),
          ]),
        ),
      ),
    );
  }
  if (ev.system && (ev.system.before !== undefined || ev.system.after !== undefined)) {
    parts.push(section('Change', [el('pre', { className: 'message-text', text: `before: ${stringify(ev.system.before)}\n\nafter: ${stringify(ev.system.after)}` })]));
  }
  if (ev.code?.stacktrace) parts.push(section('Stack trace', [longText(ev.code.stacktrace)]));
  const raw = document.createElement('vscode-collapsible');
  raw.setAttribute('title', 'Source text');
  raw.append(longText(source));
  parts.push(raw);
  host.replaceChildren(...parts);
}
