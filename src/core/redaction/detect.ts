// The detection engine: runs the enabled detectors over a text, drops findings under the minimum confidence,
// resolves overlaps, then drops allowlisted values. A Detector compiles its options once (custom patterns,
// allowlist expressions) and caches the findings of recently seen long strings, because chat logs repeat the same
// system prompt and conversation history in every record.
import { apiKeyDetector } from './detectors/apiKeys';
import type { TextDetector, TextHints } from './detectors/context';
import { customPatternDetector, InvalidPatternError } from './detectors/customPatterns';
import { dateOfBirthDetector } from './detectors/dateOfBirth';
import { emailDetector } from './detectors/email';
import { ibanDetector } from './detectors/iban';
import { awsSecretDetector, highEntropySecretDetector } from './detectors/keywordSecrets';
import { ipv4Detector, ipv6Detector, macDetector } from './detectors/network';
import { paymentCardDetector } from './detectors/paymentCard';
import { personNameDetector } from './detectors/personName';
import { phoneDetector } from './detectors/phone';
import { ssnDetector } from './detectors/ssn';
import { jwtDetector, privateKeyDetector } from './detectors/structuredSecrets';
import { resolveOverlaps } from './overlaps';
import { BUILT_IN_TYPES, DEFAULT_MIN_CONFIDENCE, OFF_BY_DEFAULT, isBuiltInType, type DetectOptions, type Finding } from './types';

export { InvalidPatternError };
export type { TextHints };

const BUILT_IN_DETECTORS: readonly TextDetector[] = [
  emailDetector,
  phoneDetector,
  paymentCardDetector,
  ibanDetector,
  ssnDetector,
  ipv4Detector,
  ipv6Detector,
  macDetector,
  dateOfBirthDetector,
  apiKeyDetector,
  awsSecretDetector,
  jwtDetector,
  privateKeyDetector,
  highEntropySecretDetector,
  personNameDetector,
];

/** Strings at least this long are cached (shorter ones are cheaper to scan than to look up). */
const CACHE_MIN_LENGTH = 48;
const CACHE_MAX_ENTRIES = 4096;
const CACHE_MAX_CHARS = 16 * 1024 * 1024;

/** Checks a `types` list: built-in names, `custom` (every custom pattern) or `custom:<name>`. Throws for others. */
export function checkTypeNames(types: readonly string[]): void {
  for (const t of types) {
    if (!isBuiltInType(t) && t !== 'custom' && !/^custom:.+/.test(t)) {
      throw new Error(`unknown type "${t}"; known: ${BUILT_IN_TYPES.join(', ')}, custom, custom:<name>`);
    }
  }
}

export class Detector {
  /** The enabled types (built-in names and `custom:<name>`). */
  readonly enabledTypes: ReadonlySet<string>;
  private readonly detectors: TextDetector[];
  private readonly minConfidence: number;
  private readonly allowValues: ReadonlySet<string>;
  private readonly allowPatterns: RegExp[];
  private readonly cache = new Map<string, Finding[]>();
  private cacheChars = 0;
  /** Shorter texts cannot hold a built-in finding (the shortest, an IPv4 or email, has 6-7 characters). */
  private readonly minLength: number;

  constructor(options: DetectOptions = {}) {
    if (options.types) checkTypeNames(options.types);
    const custom = customPatternDetector(options.customPatterns ?? []);
    const wanted = (type: string) =>
      options.types
        ? options.types.includes(type) || (type.startsWith('custom:') && options.types.includes('custom'))
        : !(OFF_BY_DEFAULT as readonly string[]).includes(type);
    const enabled = [...BUILT_IN_TYPES, ...custom.types].filter(wanted);
    this.enabledTypes = new Set(enabled);
    this.detectors = [...BUILT_IN_DETECTORS, custom].filter((d) => d.types.some((t) => this.enabledTypes.has(t)));
    this.minConfidence = options.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
    this.minLength = custom.types.some((t) => this.enabledTypes.has(t)) ? 1 : 6;
    this.allowValues = new Set(options.allowlist?.values ?? []);
    this.allowPatterns = (options.allowlist?.patterns ?? []).map((p) => {
      try {
        return typeof p === 'string' ? new RegExp(p) : new RegExp(p.source, p.flags.replace(/[gy]/g, ''));
      } catch (err) {
        throw new InvalidPatternError(`allowlist pattern "${String(p)}": ${(err as Error).message}`);
      }
    });
  }

  /** The findings in `text`, sorted by start, not overlapping. `hints.key` is the JSON key the text is the value of. */
  detect(text: string, hints?: TextHints): Finding[] {
    if (text.length < this.minLength) return [];
    const cacheKey = text.length >= CACHE_MIN_LENGTH ? `${hints?.key ?? ''}\u0000${text}` : null;
    if (cacheKey !== null) {
      const hit = this.cache.get(cacheKey);
      if (hit) {
        this.cache.delete(cacheKey); // move to the most recent end
        this.cache.set(cacheKey, hit);
        return hit.slice();
      }
    }
    const raw: Finding[] = [];
    for (const d of this.detectors) d.find(text, raw, hints);
    const confident = raw.filter((f) => f.confidence >= this.minConfidence && this.enabledTypes.has(f.type));
    const result = resolveOverlaps(confident).filter((f) => !this.allowed(f.value));
    if (cacheKey !== null) this.remember(cacheKey, result);
    return result.slice();
  }

  private allowed(value: string): boolean {
    return this.allowValues.has(value) || this.allowPatterns.some((re) => re.test(value));
  }

  private remember(key: string, findings: Finding[]): void {
    if (key.length > CACHE_MAX_CHARS / 8) return;
    this.cache.set(key, findings);
    this.cacheChars += key.length;
    while (this.cache.size > CACHE_MAX_ENTRIES || this.cacheChars > CACHE_MAX_CHARS) {
      const oldest = this.cache.keys().next().value as string;
      this.cache.delete(oldest);
      this.cacheChars -= oldest.length;
    }
  }
}

const detectors = new WeakMap<DetectOptions, Detector>();
const DEFAULT_OPTIONS: DetectOptions = {};

/**
 * The findings in `text` (sorted by start, not overlapping). Reuses one compiled Detector per options object, so
 * pass the same object for repeated calls (or build a Detector).
 */
export function detect(text: string, options: DetectOptions = DEFAULT_OPTIONS, hints?: TextHints): Finding[] {
  let detector = detectors.get(options);
  if (!detector) {
    detector = new Detector(options);
    detectors.set(options, detector);
  }
  return detector.detect(text, hints);
}
