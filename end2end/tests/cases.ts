import { APIRequestContext, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Creates cases for the tracking tests the way a consumer does (the filing form, posted as a
// browser without JavaScript would), and moves them on as staff would, through the server's
// `case` command (the same service and state machine as the staff console).

function today() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

/** A 1×1 PNG, for evidence uploads. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

export interface Filed {
  caseNo: string;
  code: string;
}

/** The plain-form fields of a complaint about a washing machine, under a fresh idempotency key. */
export function complaintFields(phone = '13812341234', extra: Record<string, string> = {}): Record<string, string> {
  return {
    step: 'review',
    key: `e2e-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    personal_use: 'yes',
    business_dispute: 'yes',
    other_body: 'no',
    within_limitation: 'yes',
    kind: 'complaint',
    category: 'G05',
    business_name: '西宁某某电器有限公司',
    business_address: '西宁市城东区八一路1号',
    business_county: '630102',
    incident_on: today(),
    amount_paid: '2999',
    demand: 'refund',
    facts: '购买的洗衣机第二天就无法脱水，商家拒绝退货。',
    consumer_name: '张三',
    consumer_phone: phone,
    consumer_address: '西宁市城西区胜利路8号',
    go: 'submit',
    ...extra,
  };
}

export async function fileComplaint(
  request: APIRequestContext,
  phone = '13812341234',
  extra: Record<string, string> = {},
): Promise<Filed> {
  const form = complaintFields(phone, extra);
  const res = await request.post('/file', { form });
  expect(res.status()).toBe(200);
  const html = await res.text();
  const caseNo = /data-testid="case-no"[^>]*>([^<]+)</.exec(html)?.[1];
  const code = /data-testid="query-code"[^>]*>([^<]+)</.exec(html)?.[1];
  expect(caseNo, 'the receipt shows the case number').toBeTruthy();
  expect(code, 'the receipt shows the query code').toBeTruthy();
  return { caseNo: caseNo!, code: code! };
}

/** Takes staff steps on a case with `server case …`. */
export function staff(caseNo: string, ...steps: string[][]) {
  const bin = process.env.PORTAL_SERVER_BIN;
  expect(bin, 'PORTAL_SERVER_BIN names the server binary (scripts/test sets it)').toBeTruthy();
  for (const step of steps) {
    execFileSync(bin!, ['case', caseNo, ...step], { env: process.env, stdio: 'pipe' });
  }
}

export const CLOSED_BY_SETTLEMENT = [
  ['accept'],
  ['start_mediation', 'method=phone'],
  ['record_settlement', 'recovered=2999', 'agreement=商家同意退货退款2999元', 'note=内部备注：商家态度配合'],
  ['close'],
];

/** Creates (or resets) a staff account with `server staff set`. */
export function staffAccount(user: string, role: string, password: string, bureau?: string) {
  const bin = process.env.PORTAL_SERVER_BIN!;
  const args = ['staff', 'set', user, role, '--password-stdin'];
  if (bureau) args.push(`bureau=${bureau}`);
  execFileSync(bin, args, { env: process.env, input: `${password}\n`, stdio: 'pipe' });
}

/** Points the open-day screen's walk-through at a case with `server screen follow`. */
export function screenFollow(caseNo: string) {
  execFileSync(process.env.PORTAL_SERVER_BIN!, ['screen', 'follow', caseNo], { env: process.env, stdio: 'pipe' });
}

const CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** A fresh unified social credit code of a Xining business, with its check character (GB 32100). */
export function freshCreditCode(): string {
  const serial = Array.from({ length: 7 }, () => CODE_ALPHABET[Math.floor(Math.random() * 10)]).join('');
  const first17 = `91630102MA${serial}`;
  const sum = [...first17].reduce((s, c, i) => s + CODE_ALPHABET.indexOf(c) * CODE_WEIGHTS[i], 0);
  return first17 + CODE_ALPHABET[(31 - (sum % 31)) % 31];
}

/** Enters a business of Chengdong district in the register, as a member of the ODR lane, with
 * `server business import` (the bureau's CSV list), and gives it an account; the password. */
export function odrMember(code: string, name: string, user: string): string {
  const bin = process.env.PORTAL_SERVER_BIN!;
  const file = join(process.env.PORTAL_DATA_DIR!, `e2e-businesses-${code}.csv`);
  writeFileSync(
    file,
    `credit_code,name,address,county,email,odr\n${code},${name},西宁市城东区八一路1号,630102,odr-${code.slice(10)}@shop.example.cn,join\n`,
  );
  execFileSync(bin, ['business', 'import', file, 'bureau=630102'], { env: process.env, stdio: 'pipe' });
  const out = execFileSync(bin, ['business', 'account', user, code], { env: process.env, stdio: 'pipe' }).toString();
  const password = /\(shown once\): (\S+)/.exec(out)?.[1];
  expect(password, out).toBeTruthy();
  return password!;
}
