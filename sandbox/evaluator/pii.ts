/**
 * Structured PII detectors. Each finds candidate spans with a regex and, where the `validator`
 * package has a checker for the entity, confirms the candidate with it (Luhn for cards, IBAN
 * checksums, IP/MAC/URL/e-mail syntax). Entities whose detection in Bedrock is ML-based and
 * context-dependent (NAME, ADDRESS, …) get narrow, cue-based heuristics or are not detected —
 * see docs/evaluator.md for the fidelity table.
 */
import validator from 'validator';

export interface Span {
  start: number;
  end: number;
  match: string;
}
export type PiiDetector = (text: string) => Span[];

/** How each PII type is detected — used by the docs fidelity table and by tests. */
export type PiiFidelity = 'validator' | 'exact-rule' | 'heuristic' | 'not-detected';

function scan(re: RegExp, text: string, accept: (m: RegExpExecArray) => boolean = () => true, group = 0): Span[] {
  const out: Span[] = [];
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    if (!accept(m)) continue;
    const g = m[group] ?? m[0];
    const start = m.index + (group === 0 ? 0 : m[0].indexOf(g));
    out.push({ start, end: start + g.length, match: g });
  }
  return out;
}

const digits = (s: string) => s.replace(/\D/g, '');
const trimTrailingPunct = (s: string) => s.replace(/[.,;:!?)\]}'"]+$/, '');

function luhn(num: string): boolean {
  let sum = 0;
  let dbl = false;
  for (let i = num.length - 1; i >= 0; i--) {
    let d = num.charCodeAt(i) - 48;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 === 0;
}

/** A regex for "<cue words> … <value>" where the value is capture group 1. */
function cued(cue: string, value: string): RegExp {
  return new RegExp(`\\b(?:${cue})\\b[^\\n\\w]{0,3}(?:\\w+[^\\n\\w]{1,3}){0,3}?(${value})`, 'gi');
}

const RE = {
  card: /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g,
  ipv4: /(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.]*\d)/g,
  ipv6: /(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Fa-f:])/g,
  mac: /(?<![0-9A-Fa-f:-])[0-9A-Fa-f]{2}(?:([:-])[0-9A-Fa-f]{2})(?:\1[0-9A-Fa-f]{2}){4}(?![0-9A-Fa-f:-])/g,
  url: /\b(?:https?:\/\/|www\.)[^\s<>"']+/gi,
  phone: /(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)|\d{2,4})[ .-]?\d{3,4}[ .-]?\d{3,4}(?![\w])/g,
  ssn: /(?<!\d)(\d{3})([- ]?)(\d{2})\2(\d{4})(?!\d)/g,
  awsAccessKey: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA|ABIA|ACCA)[A-Z0-9]{16}\b/g,
  awsSecretKey: /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/g,
  iban: /\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b/g,
  swift: /\b[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?\b/g,
  itin: /(?<!\d)9\d{2}[- ]?(?:5\d|6[0-5]|7\d|8[0-8]|9[0-24-9])[- ]?\d{4}(?!\d)/g,
  ukNino: /\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/g,
  nhs: /(?<!\d)\d{3}[ -]?\d{3}[ -]?\d{4}(?!\d)/g,
  sin: /(?<!\d)\d{3}[ -]?\d{3}[ -]?\d{3}(?!\d)/g,
  vin: /\b[A-HJ-NPR-Z0-9]{17}\b/g,
  age: /\b(\d{1,3})[ -]?(?:years?|yrs?)[ -]?old\b|\bage[d:]?\s*(?:is\s+)?(\d{1,3})\b/gi,
  password: /\b(?:password|passwd|pwd|passcode)\b\s*(?:is|:|=)\s*(\S{4,})/gi,
  username: /\b(?:username|user name|user id|userid|login)\b\s*(?:is|:|=)\s*([\w.@-]{3,})/gi,
  name: /\b(?:my name is|name:|i am called|this is)\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})/g,
  address:
    /\b\d{1,5}\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace)\b\.?/g,
  licensePlate: cued('license plate|licence plate|plate number|registration', '[A-Z0-9]{1,4}[- ]?[A-Z0-9]{2,5}'),
  driverId: cued("driver'?s? licen[cs]e(?: number)?|driving licen[cs]e(?: number)?|DL", '[A-Z0-9]{5,16}'),
  passport: cued('passport(?: number| no\\.?)?', '[A-Z]?\\d{8,9}'),
  bankAccount: cued('account(?: number| no\\.?| #)?|acct', '\\d{6,17}'),
  routing: cued('routing(?: number| no\\.?)?|ABA', '\\d{9}'),
  cvv: cued('cvv2?|cvc2?|security code|card verification', '\\d{3,4}'),
  expiry: cued('exp(?:iry|iration)?(?: date)?|valid thru|expires', '(?:0[1-9]|1[0-2])\\s?/\\s?(?:\\d{2}|\\d{4})'),
  pin: cued('pin(?: code| number)?', '\\d{4,8}'),
  utr: cued('UTR|unique taxpayer reference|tax reference', '\\d{5}\\s?\\d{5}'),
  caHealth: cued('health card|health number|OHIP|health insurance number', '\\d{4}[ -]?\\d{3}[ -]?\\d{3}(?:[ -]?[A-Z]{2})?'),
};

function ssnOk(m: RegExpExecArray): boolean {
  const area = Number(m[1]);
  const group = Number(m[3]);
  const serial = Number(m[4]);
  // SSA rules: area 000, 666 and 900–999 are never issued; group 00 and serial 0000 neither.
  return area !== 0 && area !== 666 && area < 900 && group !== 0 && serial !== 0;
}

function nhsOk(m: RegExpExecArray): boolean {
  const d = digits(m[0]);
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (d.charCodeAt(i) - 48) * (10 - i);
  let check = 11 - (sum % 11);
  if (check === 11) check = 0;
  return check !== 10 && check === d.charCodeAt(9) - 48;
}

const VIN_VALUES: Record<string, number> = Object.fromEntries(
  [...'ABCDEFGHJKLMNPRSTUVWXYZ'].map((c, i) => [c, [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9][i]]),
);
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
function vinOk(m: RegExpExecArray): boolean {
  const v = m[0];
  if (!/\d/.test(v) || !/[A-Z]/.test(v)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const c = v[i];
    const val = c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : VIN_VALUES[c];
    sum += val * VIN_WEIGHTS[i];
  }
  const r = sum % 11;
  return v[8] === (r === 10 ? 'X' : String(r));
}

function abaOk(d: string): boolean {
  const n = [...d].map(Number);
  return (3 * (n[0] + n[3] + n[6]) + 7 * (n[1] + n[4] + n[7]) + (n[2] + n[5] + n[8])) % 10 === 0;
}

const SECRET_CUE = /secret/i;

const LOCAL_CHAR = /[A-Za-z0-9._%+-]/;
const DOMAIN_CHAR = /[A-Za-z0-9.-]/;
const EMAIL_SHAPE = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;
/** Candidates are grown outwards from each '@' (much cheaper than a regex scan of the whole text). */
function emails(t: string): Span[] {
  const out: Span[] = [];
  for (let at = t.indexOf('@'); at >= 0; at = t.indexOf('@', at + 1)) {
    let s = at;
    while (s > 0 && LOCAL_CHAR.test(t[s - 1])) s--;
    let e = at + 1;
    while (e < t.length && DOMAIN_CHAR.test(t[e])) e++;
    while (e > at + 1 && (t[e - 1] === '.' || t[e - 1] === '-')) e--;
    const c = t.slice(s, e);
    if (EMAIL_SHAPE.test(c) && validator.isEmail(c)) out.push({ start: s, end: e, match: c });
  }
  return out;
}
// Cheap necessary conditions checked before the full candidate scans.
const HAS_IPV4 = /\d\.\d{1,3}\.\d/;
const HAS_IPV6 = /[0-9A-Fa-f]:[0-9A-Fa-f]*:|::/;
const HAS_URL = /https?:\/\/|www\./i;

export const PII_DETECTORS: Record<string, { fidelity: PiiFidelity; detect: PiiDetector; note: string }> = {
  EMAIL: { fidelity: 'validator', note: 'candidates grown around each "@", confirmed with validator.isEmail', detect: emails },
  CREDIT_DEBIT_CARD_NUMBER: {
    fidelity: 'validator',
    note: '13–19 digits (spaces/dashes allowed), validator.isCreditCard (issuer prefix + Luhn)',
    detect: (t) =>
      scan(RE.card, t, (m) => {
        const d = digits(m[0]);
        return validator.isCreditCard(d) || (d.length >= 13 && d.length <= 19 && /^[2-6]/.test(d) && luhn(d) && d.length === 16);
      }),
  },
  IP_ADDRESS: {
    fidelity: 'validator',
    note: 'IPv4/IPv6 candidates confirmed with validator.isIP',
    detect: (t) => [
      ...(HAS_IPV4.test(t) ? scan(RE.ipv4, t, (m) => validator.isIP(m[0], 4)) : []),
      ...(!HAS_IPV6.test(t)
        ? []
        : scan(RE.ipv6, t, (m) =>
            m[0].includes('::') || (m[0].match(/:/g) ?? []).length >= 7 ? validator.isIP(m[0], 6) && /[0-9a-f]{2}/i.test(m[0]) : false,
          )),
    ],
  },
  MAC_ADDRESS: {
    fidelity: 'validator',
    note: 'validator.isMACAddress on colon/dash-separated candidates',
    detect: (t) => scan(RE.mac, t, (m) => validator.isMACAddress(m[0])),
  },
  URL: {
    fidelity: 'validator',
    note: 'http(s):// or www. candidates confirmed with validator.isURL',
    detect: (t) =>
      (!HAS_URL.test(t) ? [] : scan(RE.url, t))
        .map((s) => ({ ...s, match: trimTrailingPunct(s.match), end: s.start + trimTrailingPunct(s.match).length }))
        .filter((s) => validator.isURL(s.match)),
  },
  PHONE: {
    fidelity: 'validator',
    note: 'digit-group candidates (10–13 digits) confirmed with validator.isMobilePhone(any locale) or the NANP pattern',
    detect: (t) =>
      scan(RE.phone, t, (m) => {
        const d = digits(m[0]);
        if (d.length < 10 || d.length > 13) return false;
        const compact = m[0].replace(/[\s().-]/g, '');
        return validator.isMobilePhone(compact, 'any') || /^(?:\+?1)?[2-9]\d{2}[2-9]\d{6}$/.test(compact);
      }),
  },
  US_SOCIAL_SECURITY_NUMBER: {
    fidelity: 'exact-rule',
    note: 'AAA-GG-SSSS with SSA issuance rules (no 000/666/9xx area, 00 group, 0000 serial)',
    detect: (t) => scan(RE.ssn, t, ssnOk),
  },
  AWS_ACCESS_KEY: {
    fidelity: 'exact-rule',
    note: 'AKIA/ASIA/… prefix + 16 upper-case alphanumerics',
    detect: (t) => scan(RE.awsAccessKey, t),
  },
  AWS_SECRET_KEY: {
    fidelity: 'heuristic',
    note: '40-char base64 token with mixed case and a digit, with "secret" within 100 chars before it',
    detect: (t) =>
      !SECRET_CUE.test(t)
        ? []
        : scan(
            RE.awsSecretKey,
            t,
            (m) =>
              /[a-z]/.test(m[0]) && /[A-Z]/.test(m[0]) && /\d/.test(m[0]) && SECRET_CUE.test(t.slice(Math.max(0, m.index - 100), m.index)),
          ),
  },
  INTERNATIONAL_BANK_ACCOUNT_NUMBER: {
    fidelity: 'validator',
    note: 'validator.isIBAN (country format + mod-97 checksum)',
    detect: (t) => scan(RE.iban, t, (m) => validator.isIBAN(m[0].replace(/ /g, ''))),
  },
  SWIFT_CODE: {
    fidelity: 'heuristic',
    note: 'validator.isBIC on 8/11-char codes when "swift" or "bic" appears in the text',
    detect: (t) => (/\b(?:swift|bic)\b/i.test(t) ? scan(RE.swift, t, (m) => validator.isBIC(m[0])) : []),
  },
  US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER: {
    fidelity: 'exact-rule',
    note: '9XX-[50–65|70–88|90–92|94–99]-XXXX',
    detect: (t) => scan(RE.itin, t),
  },
  UK_NATIONAL_INSURANCE_NUMBER: {
    fidelity: 'exact-rule',
    note: 'HMRC prefix rules + 6 digits + A–D suffix',
    detect: (t) => scan(RE.ukNino, t),
  },
  UK_NATIONAL_HEALTH_SERVICE_NUMBER: {
    fidelity: 'heuristic',
    note: '10 digits (3-3-4) with the NHS mod-11 check digit, when "NHS" appears in the text',
    detect: (t) => (/\bNHS\b/i.test(t) ? scan(RE.nhs, t, nhsOk) : []),
  },
  CA_SOCIAL_INSURANCE_NUMBER: {
    fidelity: 'heuristic',
    note: '9 digits (3-3-3) passing Luhn, when "SIN" or "social insurance" appears',
    detect: (t) => (/\bSIN\b|social insurance/i.test(t) ? scan(RE.sin, t, (m) => luhn(digits(m[0])) && digits(m[0])[0] !== '0') : []),
  },
  VEHICLE_IDENTIFICATION_NUMBER: {
    fidelity: 'exact-rule',
    note: '17 chars without I/O/Q and a valid ISO 3779 check digit',
    detect: (t) => scan(RE.vin, t, vinOk),
  },
  US_BANK_ROUTING_NUMBER: {
    fidelity: 'heuristic',
    note: '9 digits after "routing"/"ABA" passing the ABA checksum',
    detect: (t) => scan(RE.routing, t, (m) => abaOk(m[1]), 1),
  },
  US_BANK_ACCOUNT_NUMBER: {
    fidelity: 'heuristic',
    note: '6–17 digits after "account number"/"acct"',
    detect: (t) => scan(RE.bankAccount, t, () => true, 1),
  },
  US_PASSPORT_NUMBER: {
    fidelity: 'heuristic',
    note: '9 digits (or letter + 8) after "passport"',
    detect: (t) => scan(RE.passport, t, () => true, 1),
  },
  DRIVER_ID: {
    fidelity: 'heuristic',
    note: '5–16 alphanumerics after "driver\'s license"',
    detect: (t) => scan(RE.driverId, t, (m) => /\d/.test(m[1]), 1),
  },
  LICENSE_PLATE: {
    fidelity: 'heuristic',
    note: 'short alphanumeric after "license plate"/"registration"',
    detect: (t) => scan(RE.licensePlate, t, (m) => /\d/.test(m[1]), 1),
  },
  CREDIT_DEBIT_CARD_CVV: {
    fidelity: 'heuristic',
    note: '3–4 digits after "CVV"/"CVC"/"security code"',
    detect: (t) => scan(RE.cvv, t, () => true, 1),
  },
  CREDIT_DEBIT_CARD_EXPIRY: {
    fidelity: 'heuristic',
    note: 'MM/YY or MM/YYYY after "exp"/"expiry"/"valid thru"',
    detect: (t) => scan(RE.expiry, t, () => true, 1),
  },
  PIN: { fidelity: 'heuristic', note: '4–8 digits after "PIN"', detect: (t) => scan(RE.pin, t, () => true, 1) },
  UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER: {
    fidelity: 'heuristic',
    note: '10 digits after "UTR"/"tax reference"',
    detect: (t) => scan(RE.utr, t, () => true, 1),
  },
  CA_HEALTH_NUMBER: {
    fidelity: 'heuristic',
    note: '10 digits (4-3-3, optional version code) after "health card"/"OHIP"',
    detect: (t) => scan(RE.caHealth, t, () => true, 1),
  },
  PASSWORD: { fidelity: 'heuristic', note: 'value after "password is"/"password:"', detect: (t) => scan(RE.password, t, () => true, 1) },
  USERNAME: { fidelity: 'heuristic', note: 'value after "username is"/"login:"', detect: (t) => scan(RE.username, t, () => true, 1) },
  AGE: {
    fidelity: 'heuristic',
    note: '"N years old" / "age: N"',
    detect: (t) => {
      const out: Span[] = [];
      RE.age.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = RE.age.exec(t)) !== null) {
        const g = m[1] ?? m[2];
        const start = m.index + m[0].indexOf(g);
        out.push({ start, end: start + g.length, match: g });
      }
      return out;
    },
  },
  NAME: {
    fidelity: 'heuristic',
    note: 'capitalised words after "my name is"/"name:"/"this is" only; names elsewhere are NOT detected (Bedrock uses an ML model)',
    detect: (t) => scan(RE.name, t, () => true, 1),
  },
  ADDRESS: {
    fidelity: 'heuristic',
    note: 'US street lines "<number> <Name> Street|Ave|Rd…" only; other address formats are NOT detected',
    detect: (t) => scan(RE.address, t),
  },
};

export function piiDetector(type: string): PiiDetector {
  return PII_DETECTORS[type]?.detect ?? (() => []);
}
