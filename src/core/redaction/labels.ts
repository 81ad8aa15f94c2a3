// How each type is named in placeholders ([EMAIL_1], EMAIL_3f9a2c1d04be) and how values are normalized before they
// are numbered or hashed, so "4111 1111 1111 1111" and "4111-1111-1111-1111" (or "Jane@Example.com" and
// "jane@example.com") get the same placeholder.
import type { EntityType } from './types';

const LABELS: Record<string, string> = {
  email: 'EMAIL',
  phone: 'PHONE',
  credit_card: 'CARD',
  iban: 'IBAN',
  ssn: 'SSN',
  ipv4: 'IPV4',
  ipv6: 'IPV6',
  mac: 'MAC',
  dob: 'DOB',
  aws_access_key: 'AWS_KEY',
  aws_secret_key: 'AWS_SECRET',
  openai_key: 'OPENAI_KEY',
  anthropic_key: 'ANTHROPIC_KEY',
  github_token: 'GITHUB_TOKEN',
  slack_token: 'SLACK_TOKEN',
  stripe_key: 'STRIPE_KEY',
  jwt: 'JWT',
  private_key: 'PRIVATE_KEY',
  secret: 'SECRET',
  person_name: 'NAME',
};

/** The placeholder label of a type: `EMAIL`, `CARD`; a custom pattern's name upper-cased (`custom:ticket` → `TICKET`). */
export function typeLabel(type: EntityType): string {
  const known = LABELS[type];
  if (known) return known;
  return type.replace(/^custom:/, '').toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

/** The value as compared for "the same value": digits only for numbers, lower case for addresses. */
export function normalizeValue(type: EntityType, value: string): string {
  switch (type) {
    case 'phone':
      return value.replace(/\(0\)/, '').replace(/[^\d+]/g, '');
    case 'credit_card':
    case 'ssn':
      return value.replace(/\D/g, '');
    case 'iban':
      return value.replace(/\s/g, '').toUpperCase();
    case 'email':
    case 'ipv6':
      return value.toLowerCase();
    case 'mac':
      return value.replace(/[^0-9A-Fa-f]/g, '').toLowerCase();
    case 'person_name':
      return value.replace(/\s+/g, ' ');
    default:
      return value;
  }
}
