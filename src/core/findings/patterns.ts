// The curated patterns of the content rules: prompt injection and jailbreak attempts (in user input, and in
// retrieved documents and tool results: indirect injection), and secrets in responses. Each pattern is a bounded
// regular expression (no nested quantifiers) with an id, a category and a severity. Patterns aim at the wording
// attacks use, not at single words: "ignore" alone, "the instructions for returning a laptop", "developer mode on
// my phone" do not match (see the hard negatives in test/unit/findingsPatterns.test.ts).
import type { Severity } from './types';

export interface TextPattern {
  id: string;
  category: string;
  severity: Severity;
  description: string;
  re: RegExp;
}

export interface PatternHit {
  id: string;
  category: string;
  severity: Severity;
  /** The matched text, clipped to 80 characters. */
  excerpt: string;
}

const S = '[^.!?\\n]'; // a character within the same sentence

export const INJECTION_PATTERNS: readonly TextPattern[] = [
  {
    id: 'instruction-override',
    category: 'instruction override',
    severity: 'high',
    description: 'asks the model to ignore, forget or override its previous instructions or rules',
    re: new RegExp(
      `\\b(?:ignore|disregard|forget|override|bypass|skip|abandon)\\b${S}{0,40}?\\b(?:previous|prior|above|earlier|preceding|foregoing|initial|original|system|developer|safety|all|any|your)\\b${S}{0,20}?\\b(?:instructions?|prompts?|rules|directives?|guidelines|guardrails|constraints|programming|polic(?:y|ies))\\b|\\b(?:ignore|disregard|forget)\\s+(?:the|these|those)\\s+(?:instructions|rules|prompts?)\\s+(?:you\\s+(?:were|have\\s+been)\\s+given|(?:given\\s+)?(?:above|before|earlier))\\b`,
      'i',
    ),
  },
  {
    id: 'new-instructions',
    category: 'instruction override',
    severity: 'medium',
    description: 'announces new instructions or a new behaviour "from now on"',
    re: new RegExp(
      `\\b(?:new|updated|revised|real|actual)\\s+(?:system\\s+)?(?:instructions?|prompt|rules)\\s*:|\\bfrom\\s+now\\s+on,?\\s+you\\s+(?:(?:will|must|shall|are\\s+going\\s+to)\\s+(?:act|respond|answer|behave|reply|pretend|ignore|only|always|never)|are\\s+(?:now|no\\s+longer|free|DAN)\\b)`,
      'i',
    ),
  },
  {
    id: 'jailbreak-persona',
    category: 'jailbreak',
    severity: 'high',
    description: 'a known jailbreak persona (DAN, "do anything now", unrestricted mode)',
    // Case-sensitive persona names: "Dan from support" is not DAN.
    re: /\b(?:[Yy]ou(?:'re| are)(?: now)?|[Aa]ct as|[Pp]retend (?:to be|you are)|[Bb]ecome)\s+(?:an?\s+)?(?:DAN|STAN|DUDE|AIM|AntiGPT|BetterDAN)\b/,
  },
  {
    id: 'jailbreak-mode',
    category: 'jailbreak',
    severity: 'high',
    description: 'asks for an unrestricted mode or persona without rules',
    re: new RegExp(
      `\\bdo\\s+anything\\s+now\\b|\\b(?:DAN|jailbreak|jailbroken|god|evil|unfiltered|unrestricted)\\s+mode\\b|\\bdeveloper\\s+mode\\s+(?:enabled|activated|output|response)\\b|\\b(?:you\\s+are|you're)\\s+(?:now\\s+)?(?:an?\\s+)?(?:unrestricted|unfiltered|uncensored|jailbroken|unaligned)\\b|\\bno\\s+longer\\s+(?:bound|restricted|constrained)\\s+by\\b|\\b(?:without|free\\s+(?:from|of))\\s+(?:any\\s+)?(?:ethical|moral|content|safety)\\s+(?:guidelines|restrictions|filters|policies|constraints)\\b`,
      'i',
    ),
  },
  {
    id: 'system-prompt-request',
    category: 'system prompt extraction',
    severity: 'medium',
    description: 'asks the model to reveal its system prompt or hidden instructions',
    re: new RegExp(
      `\\b(?:print|reveal|show|display|output|repeat|tell|give|share|leak|dump|disclose|recite|what\\s+(?:is|are|were))\\b${S}{0,30}?\\b(?:your\\s+(?:(?:system|initial|original|hidden|secret|full|exact|real)\\s+)?(?:prompt|instructions|pre-?prompt)|the\\s+(?:system|initial|original|hidden|secret)\\s+(?:prompt|instructions|message))\\b|\\brepeat\\s+(?:the\\s+|all\\s+(?:of\\s+)?(?:the\\s+)?)?(?:words|text|everything)\\s+(?:above|before)\\b|\\b(?:output|print|repeat)\\s+everything\\s+(?:starting|beginning)\\s+with\\b`,
      'i',
    ),
  },
  {
    id: 'role-play-escape',
    category: 'role-play escape',
    severity: 'medium',
    description: 'a role-play or hypothetical framing meant to escape the rules',
    re: new RegExp(
      `\\b(?:pretend|imagine|role-?play|let'?s\\s+play\\s+a\\s+game|hypothetically|in\\s+a\\s+fictional\\s+world)\\b${S}{0,80}?\\b(?:no|without(?:\\s+any)?)\\s+(?:rules|restrictions|limits|limitations|filters|guidelines|censorship|policies|ethics)\\b|\\bstay\\s+in\\s+character\\b${S}{0,60}?\\b(?:no\\s+matter|whatever|even\\s+if|regardless)\\b|\\bgrand(?:ma|mother)\\b${S}{0,60}?\\bused\\s+to\\s+(?:tell|read|recite)\\b`,
      'i',
    ),
  },
  {
    id: 'role-marker',
    category: 'role marker injection',
    severity: 'high',
    description: 'chat-template tokens or a fake role header inside content',
    re: /<\|(?:im_start|im_end|system|user|assistant|endoftext|begin_of_text|start_header_id|end_header_id|eot_id)\|>|\[\/?INST\]|<<\/?SYS>>|(?:^|\n)\s*#{2,}\s*(?:system|new\s+instructions|instructions)\s*:?\s*(?:\n|$)|(?:^|\n)\s*(?:system|assistant)\s*:\s*(?:you\s+(?:are|must|will)|ignore|from\s+now\s+on|new\s+instructions)\b/i,
  },
  {
    id: 'markdown-image-exfiltration',
    category: 'exfiltration',
    severity: 'high',
    description: 'a markdown or HTML image whose URL carries a query string (data sent out when the image renders)',
    re: /!\[[^\]\n]{0,200}\]\(\s*<?(?:https?:)?\/\/[^)\s]{1,500}\?[^)\s]{0,500}=[^)\s]{0,500}\)|<img\b[^>]{0,300}\bsrc\s*=\s*["']?(?:https?:)?\/\/[^"'\s>]{1,500}\?[^"'\s>]{0,500}=/i,
  },
  {
    id: 'exfiltration-instruction',
    category: 'exfiltration',
    severity: 'medium',
    description: 'asks to send the conversation, the system prompt or credentials to an address',
    re: new RegExp(
      `\\b(?:send|post|forward|upload|exfiltrate|transmit|leak|email)\\b${S}{0,40}?\\b(?:conversation|chat\\s+history|transcript|previous\\s+messages|system\\s+prompt|credentials|api\\s+keys?|passwords?|secrets?|all\\s+(?:the\\s+)?(?:data|messages|emails|files))\\b${S}{0,40}?\\b(?:to|at)\\s+(?:https?:\\/\\/|[\\w.+-]+@[\\w-]+\\.|the\\s+(?:following|url|address|endpoint)|this\\s+(?:url|address|endpoint))`,
      'i',
    ),
  },
  {
    id: 'encoded-instruction',
    category: 'obfuscation',
    severity: 'medium',
    description: 'asks to decode a payload and follow it',
    re: new RegExp(`\\b(?:decode|base64)\\b${S}{0,40}?\\b(?:and|then)\\s+(?:follow|execute|run|obey|do)\\b`, 'i'),
  },
  {
    id: 'tool-call-injection',
    category: 'tool-call injection',
    severity: 'high',
    description: 'a forged tool or function call inside content',
    re: /<\/?(?:tool_call|tool_use|function_call|function_calls|tool_result)\b[^>]{0,200}>|"(?:tool_calls|function_call|tool_use)"\s*:\s*[[{]|\b(?:functions|tools)\.[A-Za-z_]\w{0,60}\s*\(|\b(?:call|invoke|execute|trigger)\s+(?:the\s+)?(?:tool|function|plugin|action)\s+[`"']?[A-Za-z_][\w.-]{0,60}[`"']?\s+(?:with|using)\b/i,
  },
  {
    id: 'script-injection',
    category: 'markup injection',
    severity: 'medium',
    description: 'HTML script, event handler or javascript: URL (targets whatever renders the answer)',
    re: /<script\b[^>]{0,200}>|(?<![\w-])javascript:[^\s]|<(?:img|svg|iframe|body|a|div|input|video|audio)\b[^>]{0,300}\bon(?:error|load|click|mouseover|focus)\s*=|<iframe\b/i,
  },
];

function clip(text: string, max = 80): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

const BASE64_RUN = /(?<![A-Za-z0-9+/=_-])(?:[A-Za-z0-9+/_-]{4}){6,}(?:[A-Za-z0-9+/_-]{2}==|[A-Za-z0-9+/_-]{3}=)?(?![A-Za-z0-9+/=_-])/g;

/** Text hidden in base64 runs (≥ 24 characters) that decode to mostly printable text. */
export function decodedBase64Texts(text: string, maxRuns = 20): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(BASE64_RUN)) {
    if (out.length >= maxRuns) break;
    const run = m[0];
    if (!/[0-9+/=_-]/.test(run) && !/[A-Z].*[a-z]|[a-z].*[A-Z]/.test(run)) continue; // a plain word, not base64
    const decoded = Buffer.from(run.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    if (decoded.length < 16) continue;
    const printable = [...decoded].filter((c) => /[\x20-\x7e\n\r\t\u00a0-\uffff]/.test(c) && c !== '\ufffd').length;
    if (printable / decoded.length >= 0.9) out.push(decoded);
  }
  return out;
}

/** The injection patterns a text matches, plus those matched by text hidden in base64 (as `encoded-payload`). */
export function scanInjection(text: string, patterns: readonly TextPattern[] = INJECTION_PATTERNS): PatternHit[] {
  const hits: PatternHit[] = [];
  for (const p of patterns) {
    const m = p.re.exec(text);
    if (m) hits.push({ id: p.id, category: p.category, severity: p.severity, excerpt: clip(m[0]) });
  }
  for (const decoded of decodedBase64Texts(text)) {
    const inner = patterns.filter((p) => p.re.test(decoded)).map((p) => p.id);
    if (inner.length) {
      hits.push({ id: 'encoded-payload', category: 'obfuscation', severity: 'high', excerpt: clip(`base64 of "${decoded}" (${inner.join(', ')})`) });
      break;
    }
  }
  return hits;
}

// ---------------------------------------------------------------- secrets

export interface SecretPattern {
  id: string;
  severity: Severity;
  description: string;
  re: RegExp;
  /** Extra check on the matched value (e.g. a real key mixes letters and digits). */
  accept?: (value: string) => boolean;
}

const mixes = (s: string) => /[0-9]/.test(s) && /[A-Za-z]/.test(s);
const notPlaceholder = (s: string) => mixes(s) && !/^(?:x+|\*+|<.*>|\$\{.*\}|your[-_]?\w*|example\w*|placeholder\w*|changeme\w*)$/i.test(s) && !/(.)\1{7,}/.test(s);

export const SECRET_PATTERNS: readonly SecretPattern[] = [
  { id: 'private-key', severity: 'critical', description: 'a PEM private key', re: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----/ },
  { id: 'aws-access-key', severity: 'high', description: 'an AWS access key id', re: /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/ },
  { id: 'aws-secret-key', severity: 'high', description: 'an AWS secret access key', re: /aws_secret_access_key\s*[:=]\s*["']?[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/i },
  { id: 'anthropic-key', severity: 'high', description: 'an Anthropic API key', re: /(?<![A-Za-z0-9_-])sk-ant-[A-Za-z0-9_-]{20,300}(?![A-Za-z0-9_-])/, accept: (v) => mixes(v.slice(7)) },
  { id: 'openai-key', severity: 'high', description: 'an OpenAI API key', re: /(?<![A-Za-z0-9_-])sk-(?!ant-)(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,300}(?![A-Za-z0-9_-])/, accept: (v) => mixes(v.slice(3)) },
  { id: 'github-token', severity: 'high', description: 'a GitHub token', re: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})(?![A-Za-z0-9_])/ },
  { id: 'slack-token', severity: 'high', description: 'a Slack token', re: /(?<![A-Za-z0-9-])xox[abprs]-[A-Za-z0-9-]{10,200}(?![A-Za-z0-9-])/, accept: (v) => mixes(v.slice(5)) },
  { id: 'google-api-key', severity: 'high', description: 'a Google API key', re: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/ },
  { id: 'stripe-key', severity: 'high', description: 'a Stripe secret key', re: /(?<![A-Za-z0-9_])(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,247}(?![A-Za-z0-9_])/ },
  { id: 'jwt', severity: 'medium', description: 'a JSON Web Token', re: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,2000}\.eyJ[A-Za-z0-9_-]{8,4000}\.[A-Za-z0-9_-]{8,2000}(?![A-Za-z0-9_-])/ },
  {
    id: 'assigned-secret',
    severity: 'medium',
    description: 'a value assigned to a key, token, secret or password name',
    re: /\b(?:api[_-]?key|secret[_-]?key|access[_-]?token|auth[_-]?token|client[_-]?secret|password|passwd)\b["']?\s*[:=]\s*["']?([^\s"'`,;]{12,200})/i,
    accept: (v) => notPlaceholder(v.replace(/^[^:=]*[:=]\s*["']?/, '')),
  },
];

export interface SecretHit {
  id: string;
  severity: Severity;
  /** A masked form: the first characters and the length, never the secret. */
  masked: string;
}

export function maskSecret(value: string): string {
  const keep = Math.min(6, Math.floor(value.length / 4));
  return `${value.slice(0, keep)}… (${value.length} characters)`;
}

export function scanSecrets(text: string): SecretHit[] {
  const hits: SecretHit[] = [];
  for (const p of SECRET_PATTERNS) {
    const re = new RegExp(p.re.source, p.re.flags.includes('g') ? p.re.flags : `${p.re.flags}g`);
    for (const m of text.matchAll(re)) {
      if (p.accept && !p.accept(m[0])) continue;
      hits.push({ id: p.id, severity: p.severity, masked: maskSecret(m[1] ?? m[0]) });
      break;
    }
  }
  return hits;
}
