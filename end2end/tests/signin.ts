import { Page, expect } from '@playwright/test';
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Staff sign-in as a person does it: the password, then (for an account that needs a second
// factor) the code an authenticator app shows. At an account's first sign-in the key is read from
// the page, as someone typing it into an app would, and kept in the server's data folder so that
// every test worker can make its codes.

/** Decodes RFC 4648 base32 (spaces ignored). */
function base32(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) {
    const v = alphabet.indexOf(c);
    if (v < 0) throw new Error(`not base32: ${c}`);
    bits += v.toString(2).padStart(5, '0');
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** The TOTP code (RFC 6238: HMAC-SHA-1, 6 digits, 30 s steps) of `secret` for time step `step`. */
export function totpCode(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return value.toString().padStart(6, '0');
}

function keyFile(user: string) {
  const dir = process.env.PORTAL_DATA_DIR;
  expect(dir, 'PORTAL_DATA_DIR names the server data folder (scripts/test sets it)').toBeTruthy();
  return join(dir!, `e2e-totp-${user}.json`);
}

/** Keeps the key of `user` (read from the enrolment page). */
export function rememberKey(user: string, secret: string) {
  writeFileSync(keyFile(user), JSON.stringify({ secret: secret.replace(/\s/g, ''), lastStep: 0 }));
}

export function knowsKey(user: string) {
  return existsSync(keyFile(user));
}

/** The next code of `user` not used yet: a code is good once, so two sign-ins within one 30 s
 * step use the next step's code (the server takes the step after its own), or wait for it. */
export async function nextCode(user: string): Promise<string> {
  const kept = JSON.parse(readFileSync(keyFile(user), 'utf8'));
  let now = Math.floor(Date.now() / 1000 / 30);
  const step = Math.max(now, kept.lastStep + 1);
  while (step > now + 1) {
    await new Promise((r) => setTimeout(r, 1000));
    now = Math.floor(Date.now() / 1000 / 30);
  }
  writeFileSync(keyFile(user), JSON.stringify({ ...kept, lastStep: step }));
  return totpCode(kept.secret, step);
}

/** On the second-factor page: enrols (first time) or gives the code, and ends in the console. */
export async function passSecondFactor(page: Page, user: string, landing: RegExp = /\/staff$/) {
  await expect(page.getByRole('heading', { name: '两步验证' })).toBeVisible();
  const enrolling = (await page.getByTestId('totp-secret').count()) > 0;
  if (enrolling) rememberKey(user, (await page.getByTestId('totp-secret').textContent())!);
  await page.getByLabel('验证码').fill(await nextCode(user));
  await page.getByRole('button', { name: '验证' }).click();
  if (enrolling) {
    await expect(page.getByTestId('recovery-codes').locator('li')).toHaveCount(10);
    await page.getByRole('link', { name: '我已保存恢复码，进入工作台' }).click();
  }
  await expect(page).toHaveURL(landing);
}

/** Signs `user` in from the sign-in page, with the second factor when the account needs one. */
export async function signIn(page: Page, user: string, password: string, js = true, landing: RegExp = /\/staff$/) {
  await page.goto('/staff/login');
  if (js) await expect(page.locator('html[data-hydrated="1"]')).toHaveCount(1);
  await page.getByLabel('用户名').fill(user);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(/\/staff(\/login\/code|\/business)?$/);
  if (page.url().endsWith('/staff/login/code')) await passSecondFactor(page, user, landing);
}
