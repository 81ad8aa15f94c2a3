// The filter bar of the overview: time range, user, model, environment, status, kind, free text. Changing it
// applies the filter to every view of the export (the host remembers it across reloads).
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { EventFilter, FilterChoices } from '../../src/shared/protocol';
import { el } from '../common/text';

type Field = { key: keyof EventFilter; label: string; options: string[] };

function select(field: Field, value: string | undefined, onChange: (v: string) => void): HTMLElement {
  const s = document.createElement('vscode-single-select') as HTMLElement & { value: string };
  s.setAttribute('aria-label', field.label);
  s.id = `filter-${field.key}`;
  const any = document.createElement('vscode-option');
  any.setAttribute('value', '');
  any.textContent = `${field.label}: any`;
  s.append(any);
  for (const o of field.options) {
    const opt = document.createElement('vscode-option');
    opt.setAttribute('value', o);
    opt.textContent = o;
    if (o === value) opt.setAttribute('selected', '');
    s.append(opt);
  }
  s.addEventListener('change', () => onChange(s.value));
  return s;
}

/** ISO (UTC) → the value of a datetime-local input, shown in UTC; and back. */
const toInput = (iso: string | undefined) => (iso ? iso.slice(0, 16) : '');
const fromInput = (v: string) => (v ? `${v}:00.000Z`.slice(0, 24) : '');

export function renderFilterBar(filter: EventFilter, choices: FilterChoices, apply: (f: EventFilter) => void): HTMLElement {
  const next: EventFilter = { ...filter };
  const set = (key: keyof EventFilter, v: string) => {
    if (v) next[key] = v;
    else delete next[key];
    apply({ ...next });
  };
  const text = document.createElement('vscode-textfield') as HTMLElement & { value: string };
  text.id = 'filter-text';
  text.setAttribute('placeholder', 'Search prompts, types, sessions, users, models…');
  text.setAttribute('aria-label', 'Free text filter');
  text.value = filter.text ?? '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  text.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => set('text', text.value), 300);
  });
  const date = (key: 'from' | 'to', label: string) => {
    const f = document.createElement('vscode-textfield') as HTMLElement & { value: string; type: string };
    f.type = 'datetime-local';
    f.id = `filter-${key}`;
    f.title = `${label} (UTC)`;
    f.setAttribute('aria-label', `${label} (UTC)`);
    f.value = toInput(filter[key]);
    f.addEventListener('change', () => set(key, fromInput(f.value)));
    return el('label', { className: 'filter-date' }, [el('span', { text: label }), f]);
  };
  const fields: Field[] = [
    { key: 'userId', label: 'User', options: choices.users },
    { key: 'model', label: 'Model', options: choices.models },
    { key: 'environment', label: 'Environment', options: choices.environments },
    { key: 'status', label: 'Status', options: [...choices.statuses, 'flagged'] },
    { key: 'kind', label: 'Kind', options: choices.kinds },
  ];
  const bar = el('section', { className: 'filter-bar' }, [
    text,
    ...fields.map((f) => select(f, filter[f.key], (v) => set(f.key, v))),
    date('from', 'From'),
    date('to', 'To'),
  ]);
  bar.id = 'filter-bar';
  if (Object.keys(filter).length) {
    const clear = document.createElement('vscode-button');
    clear.setAttribute('secondary', '');
    clear.textContent = 'Clear filter';
    clear.id = 'filter-clear';
    clear.addEventListener('click', () => apply({}));
    bar.append(clear);
  }
  return bar;
}
