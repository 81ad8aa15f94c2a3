// Token and cost charts (uPlot: canvas, built for large series): a metric over time stacked by model, user or
// environment; tokens in/out/cached over time; top sessions, users and models by cost; latency p50/p95/p99 per
// model. Colors come from the theme (--vscode-charts-*) and follow theme changes. Clicking a bar filters every
// view to that time bucket (and series); clicking a top row filters (or opens the session's timeline).
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import uPlot from 'uplot';
import type { Bucket, ChartData, EventFilter, StackBy, ToCharts } from '../../src/shared/protocol';
import { el, fmtInt, fmtUsd } from '../common/text';
import { onHostMessage, postToHost } from '../common/vscodeApi';

type Metric = 'cost' | 'inputTokens' | 'outputTokens' | 'cachedTokens';
const METRIC_LABEL: Record<Metric, string> = { cost: 'Cost (USD)', inputTokens: 'Input tokens', outputTokens: 'Output tokens', cachedTokens: 'Cached tokens' };
const BUCKET_SECONDS: Record<Bucket, number> = { minute: 60, hour: 3600, day: 86400, week: 7 * 86400, month: 30 * 86400 };
/** Where the bucket starting at `start` (epoch seconds) ends, in epoch ms: a month bucket is its calendar month. */
function bucketEnd(start: number, bucket: Bucket): number {
  if (bucket !== 'month') return (start + BUCKET_SECONDS[bucket]) * 1000;
  const d = new Date(start * 1000);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

const app = document.getElementById('app')!;
let last: { data: ChartData; filter: EventFilter; title: string; prices: { date: string; source: string } } | undefined;
let metric: Metric = 'cost';
let plots: uPlot[] = [];

function themeColors(): string[] {
  const css = getComputedStyle(document.body);
  const names = ['blue', 'orange', 'green', 'purple', 'red', 'yellow'];
  const base = names.map((n) => css.getPropertyValue(`--vscode-charts-${n}`).trim()).filter(Boolean);
  return base.length ? base : ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'];
}

/** `#rgb` / `#rrggbb` with an alpha (other notations are returned as they are). */
function withAlpha(color: string, alpha: number): string {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color);
  if (!m) return color;
  const hex = m[1].length === 3 ? [...m[1]].map((c) => c + c).join('') : m[1];
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/** The stack colours: the theme's six chart colours, then the same lighter; the "others" stack in grey. */
function stackColor(colors: string[], i: number, others: boolean): string {
  if (others) return withAlpha(getComputedStyle(document.body).getPropertyValue('--vscode-charts-lines').trim() || '#808080', 0.6);
  const c = colors[i % colors.length];
  return i < colors.length ? c : withAlpha(c, 0.5);
}

const fg = () => getComputedStyle(document.body).getPropertyValue('--vscode-foreground').trim() || '#ccc';
const grid = () => getComputedStyle(document.body).getPropertyValue('--vscode-widget-border').trim() || 'rgba(128,128,128,0.2)';

function select<T extends string>(id: string, label: string, options: [T, string][], value: T, onChange: (v: T) => void): HTMLElement {
  const s = document.createElement('vscode-single-select') as HTMLElement & { value: string };
  s.id = id;
  s.setAttribute('aria-label', label);
  for (const [v, text] of options) {
    const o = document.createElement('vscode-option');
    o.setAttribute('value', v);
    o.textContent = text;
    if (v === value) o.setAttribute('selected', '');
    s.append(o);
  }
  s.addEventListener('change', () => onChange(s.value as T));
  return el('label', { className: 'filter-date' }, [el('span', { text: label }), s]);
}

function axes(yLabel: string): uPlot.Axis[] {
  const stroke = fg();
  return [
    { stroke, grid: { stroke: grid(), width: 1 }, ticks: { stroke: grid() } },
    { stroke, label: yLabel, grid: { stroke: grid(), width: 1 }, ticks: { stroke: grid() }, size: 70, values: (_u, vals) => vals.map((v) => (metric === 'cost' && yLabel.startsWith('Cost') ? fmtUsd(v) : fmtInt(v))) },
  ];
}

/** Stacked bars: series i is drawn as the cumulative sum of series 0..i, so bars sit on each other. */
function stackedChart(host: HTMLElement, data: ChartData, width: number): uPlot {
  const colors = themeColors();
  const keys = data.series.map((s) => s.key);
  const raw = data.series.map((s) => s[metric]);
  const cumulative: number[][] = [];
  raw.forEach((vals, i) => cumulative.push(vals.map((v, j) => v + (i > 0 ? cumulative[i - 1][j] : 0))));
  const bars = uPlot.paths.bars!({ size: [0.7, 60] });
  const opts: uPlot.Options = {
    width,
    height: 280,
    // Half a bucket of room on each side, so the first and last bars are not cut in half.
    scales: { x: { time: true, range: (_u, min, max) => [min - BUCKET_SECONDS[data.bucket] / 2, max + BUCKET_SECONDS[data.bucket] / 2] } },
    axes: axes(METRIC_LABEL[metric]),
    legend: { live: true },
    series: [
      {},
      // Draw the tallest (cumulative) series first so the lower ones paint over it.
      ...keys.map((k, i) => ({
        label: k,
        stroke: stackColor(colors, i, !!data.series[i].others),
        fill: stackColor(colors, i, !!data.series[i].others),
        paths: bars,
        points: { show: false },
        value: (_u: uPlot, _v: number | null, _si: number, idx: number | null) => (idx === null ? '' : metric === 'cost' ? fmtUsd(raw[i][idx]) : fmtInt(raw[i][idx])),
      })),
    ],
    hooks: {
      ready: [
        (u) => {
          u.over.addEventListener('click', () => {
            const idx = u.cursor.idx;
            if (idx === null || idx === undefined) return;
            const start = data.times[idx];
            const filter: EventFilter = {
              ...(last?.filter ?? {}),
              from: new Date(start * 1000).toISOString(),
              to: new Date(bucketEnd(start, data.bucket) - 1).toISOString(),
            };
            // Which stacked segment is under the cursor: the first cumulative series whose top is above the pointer.
            const top = u.cursor.top ?? 0;
            const value = u.posToVal(top, 'y');
            const si = cumulative.findIndex((c) => c[idx] >= value);
            if (si >= 0 && !data.series[si].others) {
              const key = keys[si];
              if (data.stackBy === 'model') filter.model = key;
              else if (data.stackBy === 'user') filter.userId = key;
              else filter.environment = key;
            }
            postToHost({ type: 'setFilter', filter });
          });
        },
      ],
    },
  };
  // uPlot draws series in order: reverse so the cumulative (largest) values are painted first.
  const order = keys.map((_, i) => keys.length - 1 - i);
  opts.series = [opts.series[0], ...order.map((i) => opts.series[i + 1])];
  return new uPlot(opts, [data.times, ...order.map((i) => cumulative[i])] as uPlot.AlignedData, host);
}

function tokensChart(host: HTMLElement, data: ChartData, width: number): uPlot {
  const colors = themeColors();
  const sum = (k: 'inputTokens' | 'outputTokens' | 'cachedTokens') => data.times.map((_, j) => data.series.reduce((n, s) => n + s[k][j], 0));
  return new uPlot(
    {
      width,
      height: 220,
      scales: { x: { time: true } },
      axes: [axes('Tokens')[0], { ...axes('Tokens')[1], values: (_u, vals) => vals.map((v) => fmtInt(v)) }],
      series: [
        {},
        { label: 'Input', stroke: colors[0], width: 2 },
        { label: 'Output', stroke: colors[1], width: 2 },
        { label: 'Cached', stroke: colors[2], width: 2, dash: [6, 4] },
      ],
    },
    [data.times, sum('inputTokens'), sum('outputTokens'), sum('cachedTokens')] as uPlot.AlignedData,
    host,
  );
}

function topTable(title: string, rows: { key: string; cost: number; calls: number }[], onClick: (key: string) => void): HTMLElement {
  const table = el('table', { className: 'simple' });
  table.append(el('tr', {}, [el('th', { text: title }), el('th', { className: 'num', text: 'Calls' }), el('th', { className: 'num', text: 'Cost' })]));
  for (const r of rows) {
    const link = el('a', { className: 'line-link', text: r.key });
    link.setAttribute('href', '#');
    link.addEventListener('click', (e) => {
      e.preventDefault();
      onClick(r.key);
    });
    table.append(el('tr', {}, [el('td', {}, [link]), el('td', { className: 'num', text: fmtInt(r.calls) }), el('td', { className: 'num', text: fmtUsd(r.cost) })]));
  }
  return el('div', {}, [table]);
}

function render(): void {
  if (!last) return;
  const { data, filter, title, prices } = last;
  plots.forEach((p) => p.destroy());
  plots = [];
  const width = Math.max(400, app.clientWidth - 8);
  const filtered = Object.keys(filter).length > 0;
  const controls = el('div', { className: 'chart-controls' }, [
    select<StackBy>('stack-by', 'Stack by', [['model', 'Model'], ['user', 'User'], ['environment', 'Environment']], data.stackBy, (v) => postToHost({ type: 'charts', stackBy: v })),
    select<Metric>('metric', 'Metric', Object.entries(METRIC_LABEL) as [Metric, string][], metric, (v) => {
      metric = v;
      render();
    }),
    select<Bucket>('bucket', 'Bucket', [['minute', 'Minute'], ['hour', 'Hour'], ['day', 'Day'], ['week', 'Week'], ['month', 'Month']], data.bucket, (v) => postToHost({ type: 'charts', stackBy: data.stackBy, bucket: v })),
  ]);
  if (filtered) {
    const clear = el('a', { className: 'line-link', text: 'Clear filter' });
    clear.setAttribute('href', '#');
    clear.addEventListener('click', (e) => {
      e.preventDefault();
      postToHost({ type: 'setFilter', filter: {} });
    });
    controls.append(el('span', { className: 'muted', text: `Filtered: ${Object.entries(filter).map(([k, v]) => `${k} = ${v}`).join(', ')}` }), clear);
  }
  const main = el('div', { className: 'chart' });
  main.id = 'chart-stacked';
  const tokens = el('div', { className: 'chart' });
  tokens.id = 'chart-tokens';
  const latency = el('table', { className: 'simple' });
  latency.id = 'latency';
  latency.append(el('tr', {}, [el('th', { text: 'Model' }), el('th', { className: 'num', text: 'Calls' }), el('th', { className: 'num', text: 'p50' }), el('th', { className: 'num', text: 'p95' }), el('th', { className: 'num', text: 'p99' })]));
  for (const l of data.latency) {
    latency.append(el('tr', {}, [el('td', { text: l.model }), el('td', { className: 'num', text: fmtInt(l.calls) }), ...[l.p50, l.p95, l.p99].map((v) => el('td', { className: 'num', text: `${fmtInt(Math.round(v))} ms` }))]));
  }
  const setFilter = (patch: EventFilter) => postToHost({ type: 'setFilter', filter: { ...filter, ...patch } });
  app.replaceChildren(
    el('h1', { text: `Token and cost charts: ${title}` }),
    el('p', { className: 'muted', text: `Per-call cost: logged where the export has it, otherwise priced at each call's own model from the price table of ${prices.date} (${prices.source}).${data.unpricedCalls ? ` ${fmtInt(data.unpricedCalls)} calls have no price and are not counted.` : ''}` }),
    controls,
    el('h2', { text: `${METRIC_LABEL[metric]} per ${data.bucket}, stacked by ${data.stackBy} (click a bar to filter)` }),
    main,
    el('h2', { text: `Tokens per ${data.bucket}` }),
    tokens,
    el('div', { className: 'tables' }, [
      topTable('Top sessions', data.top.sessions, (k) => postToHost({ type: 'openTimeline', sessionId: k })),
      topTable('Top users', data.top.users, (k) => setFilter({ userId: k })),
      topTable('Top models', data.top.models, (k) => setFilter({ model: k })),
    ]),
    el('h2', { text: 'Latency per model' }),
    latency,
  );
  if (data.times.length === 0) {
    main.append(el('p', { className: 'muted', text: 'No model calls with a timestamp match the filter.' }));
  } else {
    plots.push(stackedChart(main, data, width), tokensChart(tokens, data, width));
  }
  app.dataset.state = 'loaded';
}

onHostMessage<ToCharts>((msg) => {
  last = { data: msg.data, filter: msg.filter, title: msg.title, prices: msg.prices };
  render();
});
// Theme switches change the body's class: redraw with the new colors. Resizes redraw at the new width.
new MutationObserver(() => render()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
let resizeTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(render, 150);
});
postToHost({ type: 'ready' });
