// The "integrity" section of a workspace's .auditlens.json (also the shape of a profile file for
// `audit-lens verify --profile FILE`). Every member is optional; what is left out is detected from the log.
//   {
//     "integrity": {
//       "profile": "jcs-sha256",                 // a profile name; the members below refine it
//       "canonicalization": "jcs",               // jcs | sorted | sorted-ascii
//       "algorithm": "sha256",                   // sha256 | sha384 | sha512
//       "encoding": "hex",                       // hex | base64
//       "genesis": "000…000",                    // prev-hash of the first record (null: it has none); setting
//                                                //   it makes records missing at the head a finding
//       "fields": { "prevHash": "prev_hash", "hash": "hash", "seq": "seq", "signature": "signature", "timestamp": "ts" },
//       "covered": ["ts", "type", "prev_hash"],  // only these top-level fields are hashed (default: all but hash/signature)
//       "hmac": true,                            // keyed chain; the key is kept in the editor's secret storage
//       "publicKey": "keys/audit-signing.pub.pem",  // or a list; relative to the workspace folder
//       "digest": "{file}.digest.json",          // the digest file; {file} is the log's own path
//       "checkpoints": { "type": "integrity.checkpoint", "required": true }
//     }
//   }
import { CANONICALIZATIONS, type Canonicalization } from './canonical';
import type { HashEncoding } from './encoding';
import { HASH_ALGORITHMS, parseProfileName, profileNames, type HashAlgorithm, type ProfileFields, type ProfileHints } from './profiles';

export interface IntegrityConfig {
  profile?: string;
  canonicalization?: Canonicalization;
  algorithm?: HashAlgorithm;
  encoding?: HashEncoding;
  genesis?: string | null;
  fields?: Partial<ProfileFields>;
  covered?: string[];
  hmac?: boolean;
  publicKey?: string | string[];
  digest?: string;
  checkpoints?: { type?: string; required?: boolean };
}

export type ConfigResult = { ok: true; config: IntegrityConfig } | { ok: false; errors: string[] };

const TOP = ['profile', 'canonicalization', 'algorithm', 'encoding', 'genesis', 'fields', 'covered', 'hmac', 'publicKey', 'digest', 'checkpoints'];
const FIELD_KEYS = ['prevHash', 'hash', 'seq', 'signature', 'timestamp'];
/** Fields that may be null (the log has no such field). */
const NULLABLE_FIELDS = ['prevHash', 'seq', 'signature', 'timestamp'];
const CHECKPOINT_KEYS = ['type', 'required'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function unknownKeys(obj: Record<string, unknown>, known: readonly string[], at: string, errors: string[]): void {
  for (const k of Object.keys(obj)) {
    if (!known.includes(k)) errors.push(`${at}: unknown member "${k}" (known: ${known.join(', ')})`);
  }
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], at: string, errors: string[]): T | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
  errors.push(`${at} must be one of ${allowed.map((a) => `"${a}"`).join(', ')} (got ${JSON.stringify(v)})`);
  return undefined;
}

function nonEmptyString(v: unknown, at: string, errors: string[]): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string' && v.trim() !== '') return v;
  errors.push(`${at} must be a non-empty string (got ${JSON.stringify(v)})`);
  return undefined;
}

/** Validates the section; every problem is listed with where it is, e.g. `integrity.fields.hash must be …`. */
export function parseIntegrityConfig(section: unknown, at = 'integrity'): ConfigResult {
  const errors: string[] = [];
  if (!isObject(section)) return { ok: false, errors: [`${at} must be an object (got ${section === null ? 'null' : Array.isArray(section) ? 'an array' : typeof section})`] };
  unknownKeys(section, TOP, at, errors);
  const config: IntegrityConfig = {};

  if (section.profile !== undefined) {
    if (typeof section.profile === 'string' && parseProfileName(section.profile)) config.profile = section.profile;
    else errors.push(`${at}.profile must be a profile name such as jcs-sha256 or sorted-hmac-sha384 (got ${JSON.stringify(section.profile)}; names: ${profileNames().join(', ')})`);
  }
  config.canonicalization = oneOf(section.canonicalization, CANONICALIZATIONS, `${at}.canonicalization`, errors);
  config.algorithm = oneOf(section.algorithm, HASH_ALGORITHMS, `${at}.algorithm`, errors);
  config.encoding = oneOf(section.encoding, ['hex', 'base64'] as const, `${at}.encoding`, errors);
  if (section.genesis !== undefined) {
    if (section.genesis === null || typeof section.genesis === 'string') config.genesis = section.genesis;
    else errors.push(`${at}.genesis must be a string, or null when the first record has no prev-hash (got ${JSON.stringify(section.genesis)})`);
  }
  if (section.fields !== undefined) {
    if (!isObject(section.fields)) errors.push(`${at}.fields must be an object mapping ${FIELD_KEYS.join(', ')} to field names`);
    else {
      unknownKeys(section.fields, FIELD_KEYS, `${at}.fields`, errors);
      const fields: Partial<ProfileFields> = {};
      for (const k of FIELD_KEYS) {
        const v = section.fields[k];
        if (v === undefined) continue;
        if (v === null && NULLABLE_FIELDS.includes(k)) (fields as Record<string, unknown>)[k] = null;
        else {
          const name = nonEmptyString(v, `${at}.fields.${k}`, errors);
          if (name !== undefined) (fields as Record<string, unknown>)[k] = name;
        }
      }
      config.fields = fields;
    }
  }
  if (section.covered !== undefined) {
    if (Array.isArray(section.covered) && section.covered.length > 0 && section.covered.every((c) => typeof c === 'string' && c !== '')) {
      config.covered = section.covered as string[];
    } else errors.push(`${at}.covered must be a non-empty list of field names`);
  }
  if (section.hmac !== undefined) {
    if (typeof section.hmac === 'boolean') config.hmac = section.hmac;
    else errors.push(`${at}.hmac must be true or false (the key itself never goes in this file)`);
  }
  if (section.publicKey !== undefined) {
    const list = Array.isArray(section.publicKey) ? section.publicKey : [section.publicKey];
    if (list.length > 0 && list.every((p) => typeof p === 'string' && p.trim() !== '')) {
      if (list.some((p) => (p as string).includes('PRIVATE KEY'))) errors.push(`${at}.publicKey holds a private key: give the path of the public key instead`);
      else config.publicKey = section.publicKey as string | string[];
    } else errors.push(`${at}.publicKey must be the path of a PEM public key, or a list of paths`);
  }
  config.digest = nonEmptyString(section.digest, `${at}.digest`, errors);
  if (section.checkpoints !== undefined) {
    if (!isObject(section.checkpoints)) errors.push(`${at}.checkpoints must be an object ({ "type": …, "required": … })`);
    else {
      unknownKeys(section.checkpoints, CHECKPOINT_KEYS, `${at}.checkpoints`, errors);
      const type = nonEmptyString(section.checkpoints.type, `${at}.checkpoints.type`, errors);
      const required = section.checkpoints.required;
      if (required !== undefined && typeof required !== 'boolean') errors.push(`${at}.checkpoints.required must be true or false`);
      config.checkpoints = { ...(type ? { type } : {}), ...(typeof required === 'boolean' ? { required } : {}) };
    }
  }
  if (config.profile) {
    const named = parseProfileName(config.profile) as ProfileHints;
    const clash = (k: 'canonicalization' | 'algorithm') => config[k] !== undefined && config[k] !== named[k];
    if (clash('canonicalization') || clash('algorithm')) errors.push(`${at}.profile "${config.profile}" disagrees with ${at}.canonicalization/algorithm`);
    if (config.hmac !== undefined && config.hmac !== named.keyed) errors.push(`${at}.profile "${config.profile}" disagrees with ${at}.hmac`);
  }
  for (const k of Object.keys(config) as (keyof IntegrityConfig)[]) if (config[k] === undefined) delete config[k];
  return errors.length > 0 ? { ok: false, errors } : { ok: true, config };
}

/** Reads the "integrity" section of a parsed .auditlens.json; a file without one gives an empty configuration. */
export function parseAuditLensFile(json: unknown): ConfigResult {
  if (!isObject(json)) return { ok: false, errors: ['.auditlens.json must hold a JSON object'] };
  if (json.integrity === undefined) return { ok: true, config: {} };
  return parseIntegrityConfig(json.integrity);
}

/** The profile hints a configuration gives (what it leaves out is detected). */
export function hintsFromConfig(config: IntegrityConfig): ProfileHints {
  const named = config.profile ? (parseProfileName(config.profile) ?? {}) : {};
  const hints: ProfileHints = { ...named };
  if (config.canonicalization) hints.canonicalization = config.canonicalization;
  if (config.algorithm) hints.algorithm = config.algorithm;
  if (config.encoding) hints.encoding = config.encoding;
  if (config.hmac !== undefined) hints.keyed = config.hmac;
  if (config.genesis !== undefined) hints.genesis = config.genesis;
  if (config.fields) hints.fields = { ...config.fields };
  if (config.covered) hints.covered = [...config.covered];
  return hints;
}

/** The digest path a configuration names for a log: "{file}" is replaced by the log's path. */
export function digestPathFor(config: IntegrityConfig, logPath: string): string | undefined {
  return config.digest?.split('{file}').join(logPath);
}
