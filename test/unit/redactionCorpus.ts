// A labeled corpus for the redaction detectors, generated from sentence templates and value generators with a
// seeded PRNG (the same seed gives the same corpus). Every snippet carries the character spans and types of its true
// entities and of its hard negatives (values that look sensitive but are not: order numbers, timestamps, UUIDs,
// version strings, build numbers, ids that fail Luhn, IBANs with a bad checksum, IPs inside version strings, prices).
// `evaluate` scores a detector per type. A prediction matches a true entity of the same type when their overlap
// covers at least 50% of the longer of the two spans; each entity matches at most one prediction. The share of
// matches with the exact span is reported too.
// Caveat: the corpus is synthetic and written by the detectors' author; its figures measure the documented rules on
// realistic shapes, not accuracy on real logs.
import { ibanCheckDigits, luhnCheckDigit, luhnValid } from '../../src/core/redaction/checksums';
import { IBAN_LENGTHS } from '../../src/core/redaction/ibanCountries';
import type { Finding } from '../../src/core/redaction/types';
import { Random } from '../../src/core/sample/random';

export interface Span {
  type: string;
  start: number;
  end: number;
}

/** A hard negative: a value no detector should report. `kind` names what it imitates. */
export interface NegativeSpan {
  kind: string;
  start: number;
  end: number;
}

export interface Snippet {
  text: string;
  entities: Span[];
  negatives: NegativeSpan[];
}

/** Builds a snippet piece by piece, recording the spans. */
class SnippetBuilder {
  text = '';
  readonly entities: Span[] = [];
  readonly negatives: NegativeSpan[] = [];

  t(s: string): this {
    this.text += s;
    return this;
  }

  e(type: string, value: string): this {
    this.entities.push({ type, start: this.text.length, end: this.text.length + value.length });
    this.text += value;
    return this;
  }

  n(kind: string, value: string): this {
    this.negatives.push({ kind, start: this.text.length, end: this.text.length + value.length });
    this.text += value;
    return this;
  }

  done(): Snippet {
    return { text: this.text, entities: this.entities, negatives: this.negatives };
  }
}

const FIRST = ['jane', 'john', 'maria', 'li', 'ahmed', 'sophie', 'lukas', 'carlos', 'emma', 'noah', 'priya', 'olga', 'kenji', 'amara', 'finn'];
const LAST = ['doe', 'smith', 'garcia', 'chen', 'khan', 'martin', 'mueller', 'ruiz', 'brown', 'nguyen', 'rossi', 'dubois', 'kowalski', 'okafor', 'larsen'];
const DOMAINS = ['example.com', 'example.org', 'mail.example.net', 'corp.example.co.uk', 'gmx.de', 'web.de', 'orange.fr', 'acme-support.io', 'uni.example.edu', 'xn--bcher-kva.example'];
const CAP = (s: string) => s[0].toUpperCase() + s.slice(1);
/** Given names, half in the detector's embedded list and half not (recall for names is measured honestly). */
const GIVEN = ['Jane', 'John', 'Maria', 'Carlos', 'Sophie', 'Lukas', 'Emma', 'Priya', 'Olga', 'Kenji', 'Amara', 'Finn', 'Siobhan', 'Tariq', 'Ingeborg', 'Zoltan'];
const SURNAMES = ['Doe', 'Smith', 'Garcia', 'Chen', 'Khan', 'Martin', 'Müller', 'Ruiz', 'Brown', 'Nguyen', 'Rossi', 'Dubois', 'Kowalski', 'Okafor', 'Larsen'];
const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const B64 = B62 + '+/';
const HEX = '0123456789abcdef';

class Values {
  constructor(private readonly rng: Random) {}

  digits(n: number, firstNonZero = false): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(i === 0 && firstNonZero ? this.rng.int(1, 9) : this.rng.int(0, 9));
    return s;
  }

  chars(alphabet: string, n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.rng.int(0, alphabet.length - 1)];
    return s;
  }

  /** Random characters guaranteed to mix letters and digits. */
  token(alphabet: string, n: number): string {
    for (;;) {
      const s = this.chars(alphabet, n);
      if (/\d/.test(s) && /[A-Za-z]/.test(s)) return s;
    }
  }

  email(): string {
    const f = this.rng.pick(FIRST);
    const l = this.rng.pick(LAST);
    const local = this.rng.pick([`${f}.${l}`, `${f[0]}${l}${this.rng.int(1, 99)}`, `${f}_${l}`, `${f}+support`, `${l}.${f}-${this.rng.int(1, 9)}`, f]);
    const domain = this.rng.pick(DOMAINS);
    return this.rng.chance(0.1) ? `${CAP(local)}@${domain.toUpperCase()}` : `${local}@${domain}`;
  }

  phone(): string {
    const r = this.rng;
    const area = `${r.int(2, 9)}${this.digits(2)}`;
    const ex = this.digits(3);
    const line = this.digits(4);
    switch (r.int(0, 3)) {
      case 0: // US
        return r.pick([`(${area}) ${ex}-${line}`, `${area}-${ex}-${line}`, `${area}.${ex}.${line}`, `+1 ${area} ${ex} ${line}`, `+1-${area}-${ex}-${line}`, `+1${area}${ex}${line}`, `1-${area}-${ex}-${line}`, `${area} ${ex} ${line}`]);
      case 1: // UK
        return r.pick([`020 7946 0${this.digits(3)}`, `07700 900${this.digits(3)}`, `+44 20 7946 0${this.digits(3)}`, `+44 7700 900${this.digits(3)}`, `0161 496 0${this.digits(3)}`, `+44 (0)20 7946 0${this.digits(3)}`, `0044 20 7946 0${this.digits(3)}`]);
      case 2: // DE
        return r.pick([`030 ${this.digits(8, true)}`, `+49 30 ${this.digits(8, true)}`, `0151 ${this.digits(8, true)}`, `089/${this.digits(7, true)}`, `+49 (0)89 ${this.digits(7, true)}`, `(030) ${this.digits(7, true)}`, `+49 151 ${this.digits(8, true)}`, `0171-${this.digits(7, true)}`]);
      default: {
        // FR
        const p = () => this.digits(2);
        const d = r.int(1, 9);
        return r.pick([`0${d} ${p()} ${p()} ${p()} ${p()}`, `0${d}.${p()}.${p()}.${p()}.${p()}`, `+33 ${d} ${p()} ${p()} ${p()} ${p()}`, `0${d}-${p()}-${p()}-${p()}-${p()}`, `+33${d}${p()}${p()}${p()}${p()}`]);
      }
    }
  }

  /** A Luhn-valid card number of a known issuer, grouped as printed. */
  card(): string {
    const r = this.rng;
    const issuer = r.pick([
      { prefix: '4', len: 16 },
      { prefix: '4', len: 13 },
      { prefix: String(r.int(51, 55)), len: 16 },
      { prefix: String(r.int(2221, 2720)), len: 16 },
      { prefix: r.pick(['34', '37']), len: 15 },
      { prefix: '6011', len: 16 },
      { prefix: '65', len: 16 },
      { prefix: String(r.int(3528, 3589)), len: 16 },
      { prefix: '62', len: 16 },
      { prefix: '36', len: 14 },
    ]);
    const body = issuer.prefix + this.digits(issuer.len - issuer.prefix.length - 1);
    const pan = body + luhnCheckDigit(body);
    return this.groupCard(pan);
  }

  groupCard(pan: string): string {
    const style = this.rng.int(0, 2);
    if (style === 0) return pan;
    const sep = style === 1 ? ' ' : '-';
    if (pan.length === 15) return [pan.slice(0, 4), pan.slice(4, 10), pan.slice(10)].join(sep);
    if (pan.length === 14) return [pan.slice(0, 4), pan.slice(4, 10), pan.slice(10)].join(sep);
    return pan.match(/.{1,4}/g)!.join(sep);
  }

  /** A card-shaped number with a known prefix that fails Luhn. */
  badCard(): string {
    const body = '4' + this.digits(14);
    const check = (luhnCheckDigit(body) + this.rng.int(1, 9)) % 10;
    const pan = body + check;
    return luhnValid(pan) ? this.badCard() : this.groupCard(pan);
  }

  iban(valid = true): string {
    const r = this.rng;
    const country = r.pick(['DE', 'GB', 'FR', 'NL', 'ES', 'IT', 'CH', 'AT', 'BE', 'PL']);
    const len = IBAN_LENGTHS[country];
    let bban: string;
    if (country === 'GB') bban = r.pick(['WEST', 'NWBK', 'BARC', 'MIDL']) + this.digits(14);
    else if (country === 'NL') bban = r.pick(['ABNA', 'INGB', 'RABO']) + this.digits(10);
    else if (country === 'IT') bban = r.pick(['X', 'A', 'K']) + this.digits(len - 5);
    else bban = this.digits(len - 4);
    let check = ibanCheckDigits(country, bban);
    if (!valid) check = String((Number(check) + r.int(1, 50)) % 97).padStart(2, '0');
    const compact = country + check + bban;
    return r.chance(0.7) ? compact.match(/.{1,4}/g)!.join(' ') : compact;
  }

  ssn(): string {
    let area = this.rng.int(1, 899);
    if (area === 666) area = 665;
    const a = String(area).padStart(3, '0');
    const g = String(this.rng.int(1, 99)).padStart(2, '0');
    const s = String(this.rng.int(1, 9999)).padStart(4, '0');
    return this.rng.chance(0.85) ? `${a}-${g}-${s}` : `${a} ${g} ${s}`;
  }

  badSsn(): string {
    const r = this.rng;
    return r.pick([`000-${this.digits(2, true)}-${this.digits(4, true)}`, `666-${this.digits(2, true)}-${this.digits(4, true)}`, `9${this.digits(2)}-${this.digits(2, true)}-${this.digits(4, true)}`, `${r.int(100, 599)}-00-${this.digits(4, true)}`, `${r.int(100, 599)}-${this.digits(2, true)}-0000`]);
  }

  ipv4(): string {
    const r = this.rng;
    return r.pick([`10.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`, `192.168.${r.int(0, 255)}.${r.int(1, 254)}`, `${r.int(11, 223)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`]);
  }

  ipv6(): string {
    const g = () => this.chars(HEX, this.rng.int(1, 4)).replace(/^0+(?=.)/, '');
    const full = () => Array.from({ length: 8 }, g).join(':');
    return this.rng.pick([full(), `fe80::${g()}:${g()}:${g()}:${this.chars(HEX, 4)}`, `2001:db8:${g()}::${g()}`, `2001:0db8:85a3:0000:0000:8a2e:0370:${this.chars(HEX, 4)}`, `::ffff:192.168.${this.rng.int(0, 255)}.${this.rng.int(1, 254)}`]);
  }

  mac(): string {
    const pairs = Array.from({ length: 6 }, () => this.chars('0123456789ABCDEF', 2));
    if (!pairs.some((p) => /[A-F]/.test(p))) pairs[5] = 'AF';
    const style = this.rng.int(0, 2);
    if (style === 0) return pairs.join(':');
    if (style === 1) return pairs.join('-').toLowerCase();
    const hex = pairs.join('').toLowerCase();
    return `${hex.slice(0, 4)}.${hex.slice(4, 8)}.${hex.slice(8)}`;
  }

  dob(): string {
    const r = this.rng;
    const y = r.int(1935, 2008);
    const m = r.int(1, 12);
    const d = r.int(1, 28);
    const pad = (n: number) => String(n).padStart(2, '0');
    const en = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'][m - 1];
    return r.pick([`${y}-${pad(m)}-${pad(d)}`, `${pad(m)}/${pad(d)}/${y}`, `${pad(d)}.${pad(m)}.${y}`, `${d} ${en} ${y}`, `${en} ${d}, ${y}`, `${en.slice(0, 3)} ${d}, ${y}`]);
  }

  jwt(): string {
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const header = enc({ alg: this.rng.pick(['HS256', 'RS256', 'ES256']), typ: 'JWT' });
    const payload = enc({ sub: this.digits(10), name: 'user', iat: 1700000000 + this.rng.int(0, 9e7), scope: 'read' });
    return `${header}.${payload}.${this.chars(B62 + '-_', 43)}`;
  }

  pem(): string {
    const kind = this.rng.pick(['RSA ', 'EC ', 'OPENSSH ', '']);
    const lines = Array.from({ length: this.rng.int(3, 8) }, () => this.chars(B64, 64));
    return `-----BEGIN ${kind}PRIVATE KEY-----\n${lines.join('\n')}\n-----END ${kind}PRIVATE KEY-----`;
  }

  personName(): string {
    return `${this.rng.pick(GIVEN)} ${this.rng.pick(SURNAMES)}`;
  }
}

type Template = (v: Values, b: SnippetBuilder, r: Random) => void;

/** Sentence templates with true entities. Each is weighted equally within its type. */
const POSITIVE: Record<string, Template[]> = {
  email: [
    (v, b) => b.t('Please update my email to ').e('email', v.email()).t(' today.'),
    (v, b) => b.t('Contact: ').e('email', v.email()),
    (v, b) => b.t('cc ').e('email', v.email()).t(', ').e('email', v.email()).t(' on the refund thread'),
    (v, b) => b.t('<').e('email', v.email()).t('> wrote: where is my parcel?'),
    (v, b) => b.t('{"to":"').e('email', v.email()).t('","subject":"Order update"}'),
    (v, b) => b.t('mailto:').e('email', v.email()).t('?subject=help'),
  ],
  phone: [
    (v, b) => b.t('Call me at ').e('phone', v.phone()).t(' after 5pm.'),
    (v, b) => b.t('My phone number is ').e('phone', v.phone()),
    (v, b) => b.t('tel: ').e('phone', v.phone()).t(' (mobile)'),
    (v, b) => b.t('You can reach the customer on ').e('phone', v.phone()).t(' or by email.'),
    (v, b) => b.t('Telefon: ').e('phone', v.phone()),
    (v, b) => b.t('Rappelez-moi au ').e('phone', v.phone()).t(' svp'),
    (v, b) => b.t('Delivery contact ').e('phone', v.phone()).t(', gate code 4711'),
  ],
  credit_card: [
    (v, b) => b.t('I paid with card ').e('credit_card', v.card()).t(' but was charged twice.'),
    (v, b) => b.t('Card number: ').e('credit_card', v.card()).t(' exp 09/27'),
    (v, b) => b.t('please refund ').e('credit_card', v.card()),
    (v, b) => b.t('{"payment":{"pan":"').e('credit_card', v.card()).t('"}}'),
    (v, b) => b.t('Visa ').e('credit_card', v.card()).t(' was declined'),
  ],
  iban: [
    (v, b) => b.t('Send the refund to IBAN ').e('iban', v.iban()).t(' please.'),
    (v, b) => b.t('Bankverbindung: ').e('iban', v.iban()).t(', BIC COBADEFFXXX'),
    (v, b) => b.t('account ').e('iban', v.iban()),
    (v, b) => b.t('Merci de virer sur ').e('iban', v.iban()).t('.'),
  ],
  ssn: [
    (v, b) => b.t('My SSN is ').e('ssn', v.ssn()).t(', do you need it?'),
    (v, b) => b.t('social security number ').e('ssn', v.ssn()),
    (v, b) => b.t('Applicant ').e('ssn', v.ssn()).t(' verified'),
    (v, b) => b.t('ssn: ').e('ssn', v.ssn()),
  ],
  ipv4: [
    (v, b) => b.t('Request from IP ').e('ipv4', v.ipv4()).t(' blocked'),
    (v, b) => b.t('client_ip=').e('ipv4', v.ipv4()).t(' status=403'),
    (v, b) => b.t('connect to ').e('ipv4', v.ipv4()).t(':5432 failed'),
    (v, b) => b.t('X-Forwarded-For: ').e('ipv4', v.ipv4()).t(', ').e('ipv4', v.ipv4()),
    (v, b) => b.t('see http://').e('ipv4', v.ipv4()).t('/admin'),
  ],
  ipv6: [
    (v, b) => b.t('login from ').e('ipv6', v.ipv6()).t(' at night'),
    (v, b) => b.t('remote_addr ').e('ipv6', v.ipv6()),
    (v, b) => b.t('Peer address is ').e('ipv6', v.ipv6()).t('.'),
  ],
  mac: [
    (v, b) => b.t('device MAC ').e('mac', v.mac()).t(' registered'),
    (v, b) => b.t('bssid=').e('mac', v.mac()),
    (v, b) => b.t('The router at ').e('mac', v.mac()).t(' rebooted'),
  ],
  dob: [
    (v, b) => b.t('I was born on ').e('dob', v.dob()).t(' in Lyon.'),
    (v, b) => b.t('DOB: ').e('dob', v.dob()),
    (v, b) => b.t('date of birth ').e('dob', v.dob()).t(', verified by the agent'),
    (v, b) => b.t('Geburtsdatum: ').e('dob', v.dob()),
    (v, b) => b.t('patient (birthday ').e('dob', v.dob()).t(') called'),
  ],
  aws_access_key: [
    (v, b) => b.t('AWS_ACCESS_KEY_ID=').e('aws_access_key', `${b.text.length % 2 ? 'AKIA' : 'ASIA'}${v.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`),
    (v, b) => b.t('use key ').e('aws_access_key', `AKIA${v.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`).t(' for the bucket'),
  ],
  aws_secret_key: [
    (v, b) => b.t('aws_secret_access_key = ').e('aws_secret_key', v.token(B64, 40)),
    (v, b) => b.t('"SecretAccessKey": "').e('aws_secret_key', v.token(B64, 40)).t('"'),
  ],
  openai_key: [
    (v, b) => b.t('OPENAI_API_KEY=').e('openai_key', `sk-proj-${v.token(B62 + '-_', 80)}T3BlbkFJ${v.token(B62, 40)}`),
    (v, b) => b.t('my key is ').e('openai_key', `sk-${v.token(B62, 48)}`).t(' can you check it'),
    (v, b) => b.t('Authorization uses ').e('openai_key', `sk-svcacct-${v.token(B62, 60)}`),
  ],
  anthropic_key: [
    (v, b) => b.t('ANTHROPIC_API_KEY=').e('anthropic_key', `sk-ant-api03-${v.token(B62 + '-_', 93)}AA`),
    (v, b) => b.t('x-api-key: ').e('anthropic_key', `sk-ant-admin01-${v.token(B62, 80)}`),
  ],
  github_token: [
    (v, b) => b.t('git clone https://').e('github_token', `ghp_${v.token(B62, 36)}`).t('@github.com/acme/app.git'),
    (v, b) => b.t('GITHUB_TOKEN: ').e('github_token', `${v.chars('pousr', 1).replace(/^/, 'gh')}_${v.token(B62, 36)}`),
    (v, b) => b.t('token ').e('github_token', `github_pat_${v.token(B62, 22)}_${v.token(B62, 59)}`),
  ],
  slack_token: [
    (v, b) => b.t('SLACK_BOT_TOKEN=').e('slack_token', `xoxb-${v.digits(12, true)}-${v.digits(13, true)}-${v.token(B62, 24)}`),
    (v, b) => b.t('webhook uses ').e('slack_token', `xoxp-${v.digits(11, true)}-${v.digits(11, true)}-${v.token(B62, 32)}`),
  ],
  stripe_key: [
    (v, b) => b.t('STRIPE_SECRET=').e('stripe_key', `sk_live_${v.token(B62, 24)}`),
    (v, b) => b.t('publishable ').e('stripe_key', `pk_live_${v.token(B62, 24)}`).t(' restricted ').e('stripe_key', `rk_live_${v.token(B62, 24)}`),
  ],
  jwt: [
    (v, b) => b.t('Authorization: Bearer ').e('jwt', v.jwt()),
    (v, b) => b.t('the session cookie was ').e('jwt', v.jwt()).t('; it expired'),
  ],
  private_key: [
    (v, b) => b.t('Here is the deploy key:\n').e('private_key', v.pem()).t('\nthanks'),
    (v, b) => b.t('"key": "').e('private_key', v.pem()).t('"'),
  ],
  secret: [
    (v, b) => b.t('api_key=').e('secret', v.token(B62, v.digits(1) < '5' ? 24 : 32)).t('&format=json'),
    (v, b) => b.t('my password is ').e('secret', `${v.token(B62, 10)}!`).t(' please reset it'),
    (v, b) => b.t('client_secret: "').e('secret', v.token(B62 + '-_', 40)).t('"'),
    (v, b) => b.t('Authorization: Bearer ').e('secret', v.token(B62, 32)),
    (v, b) => b.t('the access token is ').e('secret', v.token(HEX, 40)),
  ],
  person_name: [
    (v, b) => b.t('Hi, my name is ').e('person_name', v.personName()).t(' and I need help.'),
    (_v, b, r) => b.t(r.pick(['Mr. ', 'Ms. ', 'Dr. ', 'Frau ', 'Herr '])).e('person_name', r.pick(SURNAMES)).t(' called about the invoice.'),
    (v, b) => b.t('Regards,\n').e('person_name', v.personName()),
    (v, b) => b.t('Customer ').e('person_name', v.personName()).t(' asked for a refund.'),
    (_v, b, r) => b.t("Hello, I'm ").e('person_name', r.pick(GIVEN)).t(' from accounting.'),
  ],
};

/**
 * Hard positives: real entities written in ways the detectors are known to miss (documented limits), picked for about
* 4% of the snippets of their type (every 25th), so recall is measured against more than the shapes the detectors were built for.
 */
const HARD_POSITIVE: Record<string, Template[]> = {
  email: [
    (v, b) => b.t('Kontakt: ').e('email', `josé.${v.email()}`).t(' bitte'), // accented local part: found in part
    (_v, b, r) => b.t('write to ').e('email', `${r.pick(FIRST)} at example dot com`).t(' (spam-safe)'),
  ],
  phone: [
    (v, b) => b.t('call ').e('phone', `${v.digits(3)}-${v.digits(4)}`).t(' (local extension)'), // 7-digit local number
    (v, b) => b.t('phone ').e('phone', `${v.digits(1, true)}${v.digits(2)} ${v.digits(4)} ${v.digits(3)}`).t(' (odd grouping)'),
  ],
  credit_card: [
    (v, b) => b.t('card ').e('credit_card', v.card().replace(/[ -]/g, '').replace(/^(\d{8})/, '$1\n')).t(' (wrapped)'),
    (v, b) => b.t('card ').e('credit_card', v.card().replace(/[ -]/g, '').match(/.{1,4}/g)!.join('.')),
  ],
  iban: [(v, b) => b.t('iban ').e('iban', v.iban().toLowerCase())],
  ssn: [(v, b) => b.t('Applicant ').e('ssn', v.ssn().replace(/\D/g, '')).t(' verified')],
  dob: [(v, b) => b.t('Patient, ').e('dob', v.dob()).t(', presents with a cough.')],
  secret: [(v, b) => b.t('password: ').e('secret', v.token(B62, 7))],
  aws_secret_key: [(v, b) => b.t('AWS credentials: ').e('aws_secret_key', v.token(B64, 40)), (v, b) => b.t('creds ').e('aws_secret_key', v.token(B64, 40))],
  person_name: [(_v, b, r) => b.t('my name is ').e('person_name', `${r.pick(FIRST)} ${r.pick(LAST)}`).t(', thanks')],
};

/** Hard negatives: values that look sensitive and are not. */
const NEGATIVE: Template[] = [
  (_v, b, r) => b.t('Your order ').n('order-number', `ORD-${r.int(100000, 999999)}`).t(' has shipped.'),
  (_v, b, r) => b.t('Re: order ').n('order-number', `#${r.int(1000, 9999)}-${r.int(1000, 9999)}`).t(' is delayed'),
  (v, b) => b.t('Order number ').n('order-number', `${v.digits(4, true)} ${v.digits(4)} ${v.digits(4)}`).t(' confirmed'),
  (v, b) => b.t('Invoice ').n('order-number', `INV-2024-${v.digits(6)}`).t(' paid'),
  (v, b) => b.t('Ticket ').n('phone-like-id', v.digits(10, true)).t(' was closed.'),
  (v, b) => b.t('tracking ').n('tracking-number', `1Z${v.chars('0123456789ABCDEFGHJKLMNPRSTUVWXYZ', 16)}`),
  (_v, b, r) => b.t('created at ').n('timestamp', `2026-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}T${String(r.int(0, 23)).padStart(2, '0')}:${String(r.int(0, 59)).padStart(2, '0')}:07.213Z`),
  (_v, b, r) => b.t('ts=').n('timestamp', `2026-11-02 ${String(r.int(10, 23))}:${String(r.int(10, 59))}:${String(r.int(10, 59))}`).t(' level=info'),
  (v, b) => b.t('epoch ').n('timestamp', `17${v.digits(11)}`).t(' ms'),
  (_v, b, r) => b.t('Delivery expected on ').n('date', `${String(r.int(1, 28)).padStart(2, '0')}/${String(r.int(1, 12)).padStart(2, '0')}/2026`).t('.'),
  (_v, b, r) => b.t('valid until ').n('date', `2027-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`),
  (v, b) => b.t('request id ').n('uuid', `${v.chars(HEX, 8)}-${v.chars(HEX, 4)}-4${v.chars(HEX, 3)}-a${v.chars(HEX, 3)}-${v.chars(HEX, 12)}`),
  (v, b) => b.t('token_id: ').n('uuid', `${v.chars(HEX, 8)}-${v.chars(HEX, 4)}-4${v.chars(HEX, 3)}-8${v.chars(HEX, 3)}-${v.chars(HEX, 12)}`),
  (_v, b, r) => b.t('upgraded to ').n('semver', `${r.int(0, 20)}.${r.int(0, 30)}.${r.int(0, 99)}`).t(' yesterday'),
  (_v, b, r) => b.t('running ').n('version-ip', `v${r.int(1, 9)}.${r.int(0, 9)}.${r.int(0, 9)}.${r.int(0, 9)}`),
  (_v, b, r) => b.t('Windows version ').n('version-ip', `10.0.${r.int(10000, 22631)}.${r.int(100, 4000)}`),
  (_v, b, r) => b.t('User agent Chrome/').n('version-ip', `${r.int(100, 131)}.0.${r.int(1000, 6999)}.${r.int(10, 200)}`).t(' Safari'),
  (v, b, r) => b.t('build ').n('build-number', `${r.int(2020, 2026)}${v.digits(4)}.${r.int(1, 9)}`).t(' passed'),
  (v, b) => b.t('Build #').n('build-number', v.digits(9, true)),
  (v, b) => b.t('reference ').n('bad-luhn-card', v.badCard()).t(' on file'),
  (v, b) => b.t('card ').n('bad-luhn-card', v.badCard()).t(' was rejected (invalid number)'),
  (v, b) => b.t('IBAN ').n('bad-iban', v.iban(false)).t(' looks wrong'),
  (v, b) => b.t('account ').n('bad-iban', v.iban(false)),
  (v, b) => b.t('SSN ').n('invalid-ssn', v.badSsn()).t(' is not a valid number'),
  (v, b, r) => b.t('Total ').n('price', `$${r.int(1, 9)},${v.digits(3)}.${v.digits(2)}`).t(' incl. tax'),
  (v, b, r) => b.t('Preis ').n('price', `${r.int(1, 9)}.${v.digits(3)},${v.digits(2)} €`),
  (v, b, r) => b.t('USD ').n('price', `${r.int(1000, 9999)}.${v.digits(2)}`),
  (v, b) => b.t('commit ').n('git-sha', v.chars(HEX, 40)).t(' reverted'),
  (v, b) => b.t('sha256: ').n('hash', v.chars(HEX, 64)),
  (_v, b, r) => b.t('used ').n('count', String(r.int(1000, 99999))).t(' tokens at ').n('time', `${r.int(10, 23)}:${r.int(10, 59)}:${r.int(10, 59)}`),
  (v, b) => b.t('account ').n('account-number', v.digits(9, true)).t(' updated'),
  (v, b) => b.t('ID ').n('unknown-iin', (() => { const s = '9' + v.digits(14); return s + luhnCheckDigit(s); })()).t(' archived'),
  (_v, b, r) => b.t('OID ').n('oid', `1.3.6.1.4.1.${r.int(1000, 60000)}`),
  (_v, b, r) => b.t('schedule for ').n('time', `${String(r.int(10, 23))}:${String(r.int(10, 59))}`).t(' on ').n('date', `2026-0${r.int(1, 9)}-1${r.int(0, 9)}`),
  (_v, b) => b.t('The ').n('not-a-name', 'Acme Support').t(' team in ').n('not-a-name', 'New York').t(' replied.'),
  (_v, b) => b.t('A ').n('not-a-name', 'Grace Period').t(' of 14 days applies.'),
  (_v, b, r) => b.t('We met at ').n('not-a-name', r.pick(['Victoria Station', 'Rose Garden', 'Paul Street', 'Jean Jacket', 'Frank Discussion', 'Mark Down'])).t(' yesterday.'),
  (v, b) => b.t('ISBN ').n('isbn', `978-${v.digits(1, true)}-${v.digits(2)}-${v.digits(6)}-${v.digits(1)}`),
  (v, b) => b.t('ZIP ').n('postal-code', `${v.digits(5, true)}-${v.digits(4)}`).t(', USA'),
  (v, b, r) => b.t('Case ').n('case-number', `${r.int(2019, 2026)}-${v.digits(6)}`).t(' opened'),
  (v, b) => b.t('cost ').n('price', `0.00${v.digits(4, true)}`).t(' USD for ').n('count', v.digits(4, true)).t(' input tokens'),
  (_v, b, r) => b.t('see section ').n('section', `${r.int(1, 9)}.${r.int(1, 9)}.${r.int(1, 9)}`).t(' of the policy'),
  (v, b) => b.t('password reset required for ').n('user-id', `u_${v.chars('abcdefghij', 6)}`),
];

/** Filler sentences (no entities) mixed around the templates. */
const FILLER = ['', '', 'Thanks! ', 'Hello, ', 'Update: ', '[user] ', 'assistant: Sure. ', 'Note - '];

/**
 * `count` snippets: about 70% with true entities (spread evenly over the types; every 25th snippet of a type with hard
 * positives is one), 30% hard negatives only; a third of the positive snippets also hold a hard negative.
 */
export function generateCorpus(seed = 20261122, count = 3000): Snippet[] {
  const r = new Random(seed);
  const v = new Values(r);
  const types = Object.keys(POSITIVE);
  const out: Snippet[] = [];
  let positives = 0;
  const seen = new Map<string, number>(); // positive snippets per type: every 25th is a hard positive
  for (let i = 0; i < count; i++) {
    const b = new SnippetBuilder().t(r.pick(FILLER));
    if (i % 10 < 7) {
      const type = types[positives++ % types.length];
      const hard = HARD_POSITIVE[type];
      const nth = (seen.get(type) ?? 0) + 1;
      seen.set(type, nth);
      r.pick(hard && nth % 25 === 0 ? hard : POSITIVE[type])(v, b, r);
      if (r.chance(0.35)) r.pick(NEGATIVE)(v, b.t(' — '), r); // a distractor in the same text
    } else {
      r.pick(NEGATIVE)(v, b, r);
      if (r.chance(0.3)) r.pick(NEGATIVE)(v, b.t('; '), r);
    }
    out.push(b.done());
  }
  return out;
}

export interface TypeScore {
  type: string;
  truth: number;
  predicted: number;
  truePositives: number;
  precision: number;
  recall: number;
  /** Share of true positives whose span is exact. */
  exact: number;
}

function overlapShare(a: { start: number; end: number }, b: { start: number; end: number }): number {
  const overlap = Math.min(a.end, b.end) - Math.max(a.start, b.start);
  return overlap <= 0 ? 0 : overlap / Math.max(a.end - a.start, b.end - b.start);
}

/** Scores per type (see the header comment for the matching rule). Types with neither truth nor predictions are left out. */
export function evaluate(corpus: readonly Snippet[], detectFn: (text: string) => Finding[]): TypeScore[] {
  const stats = new Map<string, { truth: number; predicted: number; tp: number; exact: number }>();
  const stat = (type: string) => {
    let s = stats.get(type);
    if (!s) stats.set(type, (s = { truth: 0, predicted: 0, tp: 0, exact: 0 }));
    return s;
  };
  for (const snippet of corpus) {
    const predicted = detectFn(snippet.text);
    const used = new Set<number>();
    for (const p of predicted) stat(p.type).predicted++;
    for (const t of snippet.entities) {
      const s = stat(t.type);
      s.truth++;
      const match = predicted.findIndex((p, i) => !used.has(i) && p.type === t.type && overlapShare(p, t) >= 0.5);
      if (match === -1) continue;
      used.add(match);
      s.tp++;
      if (predicted[match].start === t.start && predicted[match].end === t.end) s.exact++;
    }
  }
  return [...stats]
    .map(([type, s]) => ({
      type,
      truth: s.truth,
      predicted: s.predicted,
      truePositives: s.tp,
      precision: s.predicted === 0 ? 1 : s.tp / s.predicted,
      recall: s.truth === 0 ? 1 : s.tp / s.truth,
      exact: s.tp === 0 ? 1 : s.exact / s.tp,
    }))
    .sort((a, b) => (a.type < b.type ? -1 : 1));
}

/** Findings that overlap a hard negative, by the negative's kind. */
export function hardNegativeHits(corpus: readonly Snippet[], detectFn: (text: string) => Finding[]): Map<string, { total: number; hit: number; examples: string[] }> {
  const out = new Map<string, { total: number; hit: number; examples: string[] }>();
  for (const snippet of corpus) {
    const predicted = detectFn(snippet.text);
    for (const n of snippet.negatives) {
      let s = out.get(n.kind);
      if (!s) out.set(n.kind, (s = { total: 0, hit: 0, examples: [] }));
      s.total++;
      const hit = predicted.find((p) => p.start < n.end && p.end > n.start);
      if (hit) {
        s.hit++;
        if (s.examples.length < 3) s.examples.push(`${hit.type} "${hit.value}" in "${snippet.text}"`);
      }
    }
  }
  return out;
}

/** The per-type table as text. */
export function scoreTable(scores: readonly TypeScore[]): string {
  const rows = scores.map((s) => `${s.type.padEnd(16)} ${String(s.truth).padStart(5)} ${String(s.predicted).padStart(5)} ${String(s.truePositives).padStart(5)}   ${s.precision.toFixed(3)}   ${s.recall.toFixed(3)}   ${s.exact.toFixed(3)}`);
  return [`${'type'.padEnd(16)} truth  pred    tp   precision recall exact-span`, ...rows].join('\n');
}
