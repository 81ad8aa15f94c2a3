// Secrets recognisable only by what stands before them:
//   - AWS secret access keys: 40 base64 characters after "aws_secret_access_key", "secret access key",
//     "AWS credentials", …;
//   - high-entropy strings: 20-512 characters of [A-Za-z0-9+/_-] (then base64 padding) mixing letters and digits, with a Shannon entropy
//     of at least 3.3 bits per character, right after key / secret / token / password / api_key / credential /
//     bearer / auth (the word, then optionally ":", "=", "is", quotes); UUIDs and this engine's own pseudonyms
//     (AWS_SECRET_3f9a2c1d04be) are not reported;
//   - passwords: 8-64 non-blank characters using at least two character classes right after "password" / "passwd"
//     / "pwd" / "passphrase" / "Passwort" / "mot de passe" and ":", "=" or "is".
// All three are type "secret" except the AWS key ("aws_secret_key").
import { charClasses, shannonEntropy } from '../checksums';
import type { Finding } from '../types';
import { finding, keywordBefore, type TextDetector, type TextHints } from './context';

const AWS_SECRET = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
const AWS_WORDS = /(?:aws_?secret|secret_?access_?key|secret access key|secretaccesskey|aws.{0,20}(?:secret|credentials?))[^A-Za-z0-9/+]{0,12}$/i;

const TOKEN = /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{20,512}={0,2}(?![A-Za-z0-9+/=_-])/g;
const SECRET_WORDS = /(?:api[_ -]?key|apikey|secret|token|passw(?:or)?d|pwd|passphrase|credential|auth(?:orization)?|bearer|access[_ -]?key|private[_ -]?key|client[_ -]?secret|signing[_ -]?key)[\w.-]{0,24}["']?\s*(?:[:=]|=>|\bis\b)?\s*(?:bearer\s+|basic\s+)?["'`]?$/i;
const ANY_SECRET_WORD = /api[_ -]?key|apikey|secret|token|passw|pwd|passphrase|credential|auth|bearer|access[_ -]?key|private[_ -]?key|signing/i;
/** A pseudonym this engine wrote (EMAIL_3f9a2c1d04be, AWS_SECRET_…): never reported again. */
const PSEUDONYM = /^[A-Z][A-Z0-9_]*_[0-9a-f]{12}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const PASSWORD = /(?:passw(?:or)?d|pwd|passphrase|passwort|kennwort|mot de passe)["']?\s*(?:[:=]|\bis\b|\bist\b|est\b)\s*["'`]?(\S{8,64})/gi;
const PASSWORD_KEY = /^(?:password|passwd|pwd|passphrase|passwort|kennwort|secret|client_secret)$/i;
const TRAILING_PUNCT = /["'`,;.)\]}>]+$/;

function highEntropy(value: string): boolean {
  if (UUID.test(value) || PSEUDONYM.test(value) || !/[0-9]/.test(value) || !/[A-Za-z]/.test(value)) return false;
  return shannonEntropy(value) >= 3.3;
}

export const awsSecretDetector: TextDetector = {
  types: ['aws_secret_key'],
  find(text: string, out: Finding[], hints?: TextHints): void {
    if (!/secret|credential/i.test(text) && !(hints?.key && /secret/i.test(hints.key))) return;
    AWS_SECRET.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = AWS_SECRET.exec(text)) !== null) {
      if (!keywordBefore(text, m.index, AWS_WORDS, 64, hints) || !highEntropy(m[0])) continue;
      out.push(finding(text, 'aws_secret_key', m.index, m.index + 40, 0.95, 'aws-secret-context'));
    }
  },
};

export const highEntropySecretDetector: TextDetector = {
  types: ['secret'],
  find(text: string, out: Finding[], hints?: TextHints): void {
    const keyHint = hints?.key !== undefined && ANY_SECRET_WORD.test(hints.key);
    if (!keyHint && !ANY_SECRET_WORD.test(text)) return;
    TOKEN.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = TOKEN.exec(text)) !== null) {
      if (!highEntropy(m[0]) || !keywordBefore(text, m.index, SECRET_WORDS, 64, hints)) continue;
      const confidence = shannonEntropy(m[0]) >= 4 ? 0.85 : 0.8;
      out.push(finding(text, 'secret', m.index, m.index + m[0].length, confidence, 'entropy-context'));
    }
    // A password field's whole value.
    if (hints?.key !== undefined && PASSWORD_KEY.test(hints.key)) {
      const value = text.trim();
      if (value.length >= 8 && value.length <= 128 && !/\s/.test(value) && charClasses(value) >= 2) {
        const start = text.indexOf(value);
        out.push(finding(text, 'secret', start, start + value.length, 0.75, 'password-context'));
      }
    }
    PASSWORD.lastIndex = 0;
    while ((m = PASSWORD.exec(text)) !== null) {
      const value = m[1].replace(TRAILING_PUNCT, '');
      if (value.length < 8 || charClasses(value) < 2) continue;
      const start = m.index + m[0].length - m[1].length;
      out.push(finding(text, 'secret', start, start + value.length, 0.7, 'password-context'));
    }
  },
};
