// Replaces findings in a text according to a redaction mode:
//   mask       every value becomes "****" (fixed, so the length of the value does not leak);
//   tag        "[EMAIL_1]", "[CARD_2]": numbered per distinct (normalized) value and label within one context (one
//              file): the same value always gets the same number;
//   pseudonym  "EMAIL_3f9a2c1d04be": the first 12 hex digits of HMAC-SHA256(key, type + NUL + normalized value), so
//              the same value gives the same token in every file redacted with the same key, and nobody without the
//              key can test a guess. With `formatPreserving`, emails, cards, phones, SSNs and IBANs keep their shape
//              instead (see formatPreserving.ts);
//   partial    cards, phones, IBANs and SSNs keep their last 4 digits/characters and their separators, the other
//              characters become "*" ("**** **** **** 1111"); every other type is masked as in `mask`.
import { createHmac } from 'node:crypto';
import { preserveFormat } from './formatPreserving';
import { normalizeValue, typeLabel } from './labels';
import type { EntityType, Finding, RedactionMode } from './types';

export const MASK = '****';

const PARTIAL_TYPES: ReadonlySet<string> = new Set(['credit_card', 'phone', 'iban', 'ssn']);

export interface RedactionContextOptions {
  /** The HMAC key of pseudonym mode (at least 16 bytes). */
  key?: Buffer;
  /** Pseudonym mode: keep the shape of emails, cards, phones, SSNs and IBANs. */
  formatPreserving?: boolean;
}

/** Keeps what must stay consistent across one file: tag numbers, the pseudonym key. */
export class RedactionContext {
  private readonly key: Buffer | undefined;
  private readonly formatPreserving: boolean;
  /** label → normalized value → number. */
  private readonly tags = new Map<string, Map<string, number>>();

  constructor(options: RedactionContextOptions = {}) {
    if (options.key !== undefined && options.key.length < 16) throw new Error('the pseudonym key must be at least 16 bytes');
    this.key = options.key;
    this.formatPreserving = options.formatPreserving ?? false;
  }

  /** How many distinct values of each label were tagged so far. */
  distinctTagged(): Record<string, number> {
    return Object.fromEntries([...this.tags].map(([label, values]) => [label, values.size]));
  }

  /** The text that replaces the finding. */
  replacement(f: Finding, mode: RedactionMode): string {
    switch (mode) {
      case 'mask':
        return MASK;
      case 'tag':
        return `[${typeLabel(f.type)}_${this.tagNumber(f.type, f.value)}]`;
      case 'pseudonym':
        return this.pseudonym(f.type, f.value);
      case 'partial':
        return PARTIAL_TYPES.has(f.type) ? keepLast4(f.value) : MASK;
    }
  }

  private tagNumber(type: EntityType, value: string): number {
    const label = typeLabel(type);
    let values = this.tags.get(label);
    if (!values) {
      values = new Map();
      this.tags.set(label, values);
    }
    const normalized = normalizeValue(type, value);
    let n = values.get(normalized);
    if (n === undefined) {
      n = values.size + 1;
      values.set(normalized, n);
    }
    return n;
  }

  /** HMAC-SHA256 of the type and normalized value, hex. */
  hmacHex(type: EntityType, value: string, purpose = ''): string {
    if (!this.key) throw new Error('pseudonym mode needs a key');
    return createHmac('sha256', this.key).update(`${type}\u0000${normalizeValue(type, value)}${purpose}`).digest('hex');
  }

  private pseudonym(type: EntityType, value: string): string {
    const digest = this.hmacHex(type, value);
    if (this.formatPreserving) {
      const shaped = preserveFormat(type, value, (n) => digitsFrom(this.hmacHex(type, value, '\u0000digits'), n), digest);
      if (shaped !== null) return shaped;
    }
    return `${typeLabel(type)}_${digest.slice(0, 12)}`;
  }
}

/** `n` decimal digits derived from a hex digest (extended by re-hashing when more are needed). */
function digitsFrom(hex: string, n: number): string {
  let digits = '';
  for (let i = 0; i + 2 <= hex.length && digits.length < n; i += 2) digits += String(parseInt(hex.slice(i, i + 2), 16) % 10);
  while (digits.length < n) digits += digits; // 32 digits from one digest; longer values repeat (never the case: ≤ 34 chars)
  return digits.slice(0, n);
}

/** Masks every letter and digit except the last four, keeping separators. */
export function keepLast4(value: string): string {
  let toKeep = 4;
  const chars = value.split('');
  for (let i = chars.length - 1; i >= 0; i--) {
    if (!/[A-Za-z0-9]/.test(chars[i])) continue;
    if (toKeep > 0) toKeep--;
    else chars[i] = '*';
  }
  return chars.join('');
}

/**
 * The text with each finding replaced. Findings may come in any order; one starting inside an earlier one is
 * skipped (detect() never returns overlaps).
 */
export function redact(text: string, findings: readonly Finding[], mode: RedactionMode, ctx: RedactionContext): string {
  if (findings.length === 0) return text;
  const sorted = [...findings].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const f of sorted) {
    if (f.start < at) continue;
    out += text.slice(at, f.start) + ctx.replacement(f, mode);
    at = f.end;
  }
  return out + text.slice(at);
}
