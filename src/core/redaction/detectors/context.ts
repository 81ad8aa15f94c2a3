// Keyword context around a candidate: detectors raise (or lower) confidence when words such as "phone", "SSN" or
// "order" stand right before a match. The key name of a JSON field (`"ssn": "078-05-1120"`) counts as context
// too when the match is the whole string value.
import type { Finding } from '../types';

/** What a detector gets besides the text: the JSON key the string is the value of, when there is one. */
export interface TextHints {
  /** E.g. `password`, `phone`, `gen_ai.input.messages`. */
  key?: string;
}

/** The `window` characters before `start`. */
export function textBefore(text: string, start: number, window: number): string {
  return text.slice(Math.max(0, start - window), start);
}

/** The `window` characters after `end`. */
export function textAfter(text: string, end: number, window: number): string {
  return text.slice(end, end + window);
}

/**
 * True when `re` matches the text before `start` (within `window` characters), or, when only blanks and quotes
 * precede the match in its string, the JSON key name followed by `: ` (so `re` can be written for "key: value").
 * `re` must not have the g or y flag (it is used with test()).
 */
export function keywordBefore(text: string, start: number, re: RegExp, window: number, hints?: TextHints): boolean {
  if (re.test(textBefore(text, start, window))) return true;
  if (hints?.key !== undefined && start <= 4 && /^[\s"'`]*$/.test(text.slice(0, start))) return re.test(`${hints.key}: `);
  return false;
}

const IBAN_RUN_BEFORE = /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4})* ?$/;

/**
 * True when `start` continues an IBAN-shaped run ("DE12 3704 0044 …"): digits there belong to that code (a valid
 * IBAN is reported as such; one with a bad checksum must not turn into a phone or card number).
 */
export function continuesIbanRun(text: string, start: number): boolean {
  return IBAN_RUN_BEFORE.test(textBefore(text, start, 40));
}

/** Clamps a confidence to 0..1 with two decimals (so tables and tests compare exact numbers). */
export function clampConfidence(c: number): number {
  return Math.round(Math.min(1, Math.max(0, c)) * 100) / 100;
}

/** The finding for `text.slice(start, end)`. */
export function finding(text: string, type: Finding['type'], start: number, end: number, confidence: number, validator?: string): Finding {
  const f: Finding = { type, start, end, value: text.slice(start, end), confidence: clampConfidence(confidence) };
  if (validator !== undefined) f.validator = validator;
  return f;
}

/** A detector of one family of entities. `find` pushes every validated match; overlaps are resolved later. */
export interface TextDetector {
  /** The types it can report; the engine skips a detector none of whose types is enabled. */
  readonly types: readonly Finding['type'][];
  /** Pushes the findings in `text`. */
  find(text: string, out: Finding[], hints?: TextHints): void;
}
