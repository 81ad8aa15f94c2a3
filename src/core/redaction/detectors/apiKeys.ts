// API keys and tokens recognisable by their vendor prefix: AWS access key ids, OpenAI, Anthropic, GitHub, Slack and
// Stripe keys. Each pattern has a bounded length and requires a boundary on both sides, so a key glued into a
// longer identifier is not reported; the random part must mix letters and digits (rules out prose such as
// "sk-learn-style-naming-conventions").
import type { EntityType, Finding } from '../types';
import { finding, type TextDetector } from './context';

interface PrefixedKey {
  type: EntityType;
  re: RegExp;
  /** The confidence for a match, 0 to reject it. */
  confidence(value: string): number;
  validator: string;
}

function mixesLettersAndDigits(s: string): boolean {
  return /[0-9]/.test(s) && /[A-Za-z]/.test(s);
}

const KEYS: PrefixedKey[] = [
  {
    type: 'aws_access_key',
    re: /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ASCA)[A-Z0-9]{16}(?![A-Za-z0-9])/g,
    confidence: (v) => (/^(?:AKIA|ASIA)/.test(v) ? 0.97 : 0.9),
    validator: 'aws-key-id-prefix',
  },
  {
    type: 'anthropic_key',
    re: /(?<![A-Za-z0-9_-])sk-ant-[A-Za-z0-9_-]{20,300}(?![A-Za-z0-9_-])/g,
    confidence: (v) => (mixesLettersAndDigits(v.slice(7)) ? 0.98 : 0),
    validator: 'anthropic-prefix',
  },
  {
    type: 'openai_key',
    re: /(?<![A-Za-z0-9_-])sk-(?!ant-)[A-Za-z0-9_-]{20,300}(?![A-Za-z0-9_-])/g,
    confidence: (v) => {
      if (!mixesLettersAndDigits(v.slice(3))) return 0;
      if (v.includes('T3BlbkFJ')) return 0.98; // base64 of "OpenAI", embedded in OpenAI keys
      if (/^sk-(?:proj|svcacct|admin)-/.test(v)) return 0.95;
      if (/^sk-[A-Za-z0-9]{48}$/.test(v)) return 0.9;
      return 0.75; // other services use "sk-" too
    },
    validator: 'openai-prefix',
  },
  {
    type: 'github_token',
    re: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,255})(?![A-Za-z0-9_])/g,
    confidence: (v) => (mixesLettersAndDigits(v.slice(4)) ? 0.98 : 0),
    validator: 'github-prefix',
  },
  {
    type: 'slack_token',
    re: /(?<![A-Za-z0-9-])xox[abprs]-[A-Za-z0-9-]{10,250}(?![A-Za-z0-9-])/g,
    confidence: (v) => (/\d/.test(v.slice(5)) ? 0.95 : 0),
    validator: 'slack-prefix',
  },
  {
    type: 'stripe_key',
    re: /(?<![A-Za-z0-9_])(?:sk|rk|pk)_live_[A-Za-z0-9]{10,250}(?![A-Za-z0-9_])/g,
    confidence: (v) => (!mixesLettersAndDigits(v.slice(8)) ? 0 : v.startsWith('pk_') ? 0.85 : 0.97),
    validator: 'stripe-prefix',
  },
];

export const apiKeyDetector: TextDetector = {
  types: KEYS.map((k) => k.type),
  find(text: string, out: Finding[]): void {
    for (const key of KEYS) {
      key.re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = key.re.exec(text)) !== null) {
        const confidence = key.confidence(m[0]);
        if (confidence > 0) out.push(finding(text, key.type, m.index, m.index + m[0].length, confidence, key.validator));
      }
    }
  },
};
