// Network identifiers: IPv4 and IPv6 addresses, MAC addresses.
// IPv4: four dot-separated octets 0-255 without leading zeros. Not reported when it is part of a longer dotted run
// (OIDs, 1.2.3.4.5), glued to a letter ("v1.2.3.4"), or right after a version word ("version 10.0.1.2",
// "build 1.2.3.4", "Chrome/120.0.6099.109"): a four-part version string is more likely than an address there.
// IPv6: a colon-separated run that node's net.isIPv6 accepts, with at least three groups or one full 4-digit group
// (so "a::b" and "::1" are left alone).
// MAC: six hex pairs separated by ":" or "-" (one kind), or Cisco's 0000.0000.0000.
import { isIPv6 } from 'node:net';
import type { Finding } from '../types';
import { finding, keywordBefore, textBefore, type TextDetector, type TextHints } from './context';

const IPV4 = /(?<![\w.\-])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?!\.?\d|\w|-\w)/g;
const VERSION_WORDS = /\b(?:v|ver|version|release|build|firmware|fw|sdk|app|os|chrome|firefox|safari|edge|ios|android|windows|macos|kernel|rev|revision|patch|update|upgrade)\.?\s*[:=#/]?\s*$/i;
/** "::ffff:" and the like: the IPv4 is the tail of an IPv6 address (reported as IPv6). */
const IPV6_PREFIX = /:[0-9A-Fa-f]{0,4}:$/;
const IP_WORDS = /(?:\bip\b|ip address|ipv4|address|addr|host|client|server|remote|origin|source|src|dst|from|via|x-forwarded-for)/i;

const IPV6_CANDIDATE = /(?<![\w:.])[0-9A-Fa-f:.]{2,45}(?![\w:])/g;

const MAC = /(?<![\w:.-])[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}(?!\w|[:-][0-9A-Fa-f])/g;
const MAC_DOTTED = /(?<![\w.])[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}(?!\w|\.\w)/g;
const MAC_WORDS = /(?:\bmac\b|hardware|ether|bssid|wifi|wi-fi|device|nic\b|adapter)/i;

function octet(s: string): boolean {
  return (s.length === 1 || s[0] !== '0') && Number(s) <= 255;
}

export const ipv4Detector: TextDetector = {
  types: ['ipv4'],
  find(text: string, out: Finding[], hints?: TextHints): void {
    IPV4.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = IPV4.exec(text)) !== null) {
      if (!octet(m[1]) || !octet(m[2]) || !octet(m[3]) || !octet(m[4])) continue;
      if (keywordBefore(text, m.index, VERSION_WORDS, 24) || IPV6_PREFIX.test(textBefore(text, m.index, 8))) continue;
      const confidence = keywordBefore(text, m.index, IP_WORDS, 32, hints) ? 0.95 : 0.85;
      out.push(finding(text, 'ipv4', m.index, m.index + m[0].length, confidence, 'ipv4-octets'));
    }
  },
};

export const ipv6Detector: TextDetector = {
  types: ['ipv6'],
  find(text: string, out: Finding[]): void {
    if (text.indexOf(':') === -1) return;
    IPV6_CANDIDATE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = IPV6_CANDIDATE.exec(text)) !== null) {
      let value = m[0];
      while (value.endsWith('.')) value = value.slice(0, -1); // sentence end
      if (value.split(':').length < 3 || !isIPv6(value)) continue;
      const groups = value.split(/:+/).filter((g) => g !== '' && !g.includes('.'));
      if (groups.length < 3 && !groups.some((g) => g.length === 4)) continue;
      out.push(finding(text, 'ipv6', m.index, m.index + value.length, 0.85, 'ipv6-syntax'));
    }
  },
};

export const macDetector: TextDetector = {
  types: ['mac'],
  find(text: string, out: Finding[], hints?: TextHints): void {
    for (const re of [MAC, MAC_DOTTED]) {
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(text)) !== null) {
        const hexLetters = /[A-Fa-f]/.test(m[0]);
        let confidence = hexLetters ? 0.85 : 0.6;
        if (keywordBefore(text, m.index, MAC_WORDS, 32, hints)) confidence += 0.1;
        out.push(finding(text, 'mac', m.index, m.index + m[0].length, confidence, 'mac-syntax'));
      }
    }
  },
};
