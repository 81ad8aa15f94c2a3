// The vocabulary of the redaction engine: what a detector reports (a Finding), the options of a detection run,
// and the redaction modes. Documented in docs/redaction.md.

/** Every built-in entity type. Custom patterns report `custom:<name>`. */
export const BUILT_IN_TYPES = [
  'email',
  'phone',
  'credit_card',
  'iban',
  'ssn',
  'ipv4',
  'ipv6',
  'mac',
  'dob',
  'aws_access_key',
  'aws_secret_key',
  'openai_key',
  'anthropic_key',
  'github_token',
  'slack_token',
  'stripe_key',
  'jwt',
  'private_key',
  'secret',
  'person_name',
] as const;

export type BuiltInType = (typeof BUILT_IN_TYPES)[number];

/** A built-in type, or `custom:<name>` for a caller's pattern. */
export type EntityType = BuiltInType | `custom:${string}`;

/** Types that are off unless asked for: lower precision. */
export const OFF_BY_DEFAULT: readonly BuiltInType[] = ['person_name'];

export function isBuiltInType(value: string): value is BuiltInType {
  return (BUILT_IN_TYPES as readonly string[]).includes(value);
}

/** One detected value in a text. `start`/`end` are UTF-16 offsets (`text.slice(start, end) === value`). */
export interface Finding {
  type: EntityType;
  start: number;
  end: number;
  value: string;
  /** 0..1: how sure the detector is (validation passed, context keywords, known prefixes). */
  confidence: number;
  /** The check that confirmed it, e.g. `luhn`, `iban-mod97`, `jwt-header`. Absent for pattern-only matches. */
  validator?: string;
  /** True for heuristic detectors with known low precision (person names). */
  heuristic?: boolean;
}

/** A caller-defined pattern (from settings). `pattern` is a JavaScript regular expression source. */
export interface CustomPattern {
  name: string;
  pattern: string;
  /** Extra regex flags (`i`, `u`, `m`, `s`); `g` is always added. */
  flags?: string;
  /** 0..1, default 0.8. */
  confidence?: number;
}

/** Values never reported: exact strings, and regular expressions tested (unanchored) against the value. */
export interface Allowlist {
  values?: readonly string[];
  patterns?: readonly (string | RegExp)[];
}

export interface DetectOptions {
  /** The types to look for. Default: every built-in type except the ones in OFF_BY_DEFAULT, plus custom patterns. */
  types?: readonly string[];
  /** Findings under this confidence are dropped. Default 0.5. */
  minConfidence?: number;
  allowlist?: Allowlist;
  customPatterns?: readonly CustomPattern[];
}

export const DEFAULT_MIN_CONFIDENCE = 0.5;

export type RedactionMode = 'mask' | 'tag' | 'pseudonym' | 'partial';

export const REDACTION_MODES: readonly RedactionMode[] = ['mask', 'tag', 'pseudonym', 'partial'];

/** Which part of an AI interaction a string belongs to, derived from its JSON path. */
export type Scope = 'system' | 'prompt' | 'response' | 'tool' | 'retrieval' | 'metadata';

export const SCOPES: readonly Scope[] = ['system', 'prompt', 'response', 'tool', 'retrieval', 'metadata'];
