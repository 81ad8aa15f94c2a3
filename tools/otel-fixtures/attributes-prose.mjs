export const FIXTURE_FILES = [
  ['traces.otlp.jsonl', 'logs.otlp.jsonl'],
  ['traces.responses.otlp.jsonl', 'logs.responses.otlp.jsonl'],
];
export const PROSE = `# placeholder`;
