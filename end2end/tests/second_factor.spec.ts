import { test, expect, Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { staffAccount } from './cases';
import { nextCode, rememberKey, totpCode } from './signin';

// A supervisor's second factor, with JavaScript and without: enrolment at the first sign-in
// (QR code and key), a malformed and a wrong code, the recovery codes shown once, a later
// sign-in with a recovery code (good once), and a reset from the shell.

const PASSWORD = 'a long staff password';

async function password(page: Page, user: string, js: boolean) {
  await page.goto('/staff/login');
  if (js) await expect(page.locator('html[data-hydrated="1"]')).toHaveCount(1);
  await page.getByLabel('用户名').fill(user);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/staff\/login\/code$/);
  if (js) await expect(page.locator('html[data-hydrated="1"]')).toHaveCount(1);
}

async function code(page: Page, value: string) {
  await page.getByLabel('验证码').fill(value);
  await page.getByRole('button', { name: '验证' }).click();
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: '退出登录' }).first().click();
  await expect(page).toHaveURL(/\/staff\/login$/);
}

test('a supervisor enrols a second factor at the first sign-in, then signs in with a code or a recovery code', async ({ page, javaScriptEnabled: js }) => {
  const user = `sup-2fa-${js ? 'js' : 'nojs'}`;
  staffAccount(user, 'supervisor', PASSWORD);
  await password(page, user, js);
  await expect(page.getByRole('img', { name: '添加到身份验证器应用的二维码' })).toBeVisible();
  const key = (await page.getByTestId('totp-secret').textContent())!;
  expect(key.replace(/\s/g, '')).toMatch(/^[A-Z2-7]{32}$/);
  rememberKey(user, key);

  await code(page, '12a');
  await expect(page.locator('#code-error')).toHaveText('请输入6位数字，或16位恢复码（如 ABCD-EFGH-JKMN-PQRS）。');
  const step = Math.floor(Date.now() / 30_000);
  const taken = [step - 1, step, step + 1].map((s) => totpCode(key, s));
  const wrong = ['000000', '111111', '222222', '333333'].find((c) => !taken.includes(c))!;
  await code(page, wrong);
  await expect(page.getByTestId('code-problem')).toHaveText('验证码不正确或已用过。');
  await expect(page.getByTestId('totp-secret')).toHaveText(key);

  await code(page, await nextCode(user));
  const codes = page.getByTestId('recovery-codes').locator('li');
  await expect(codes).toHaveCount(10);
  const recovery = (await codes.first().textContent())!;
  expect(recovery).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
  await page.getByRole('link', { name: '我已保存恢复码，进入工作台' }).click();
  await expect(page).toHaveURL(/\/staff$/);
  await signOut(page);

  // Later: the code field alone, and a recovery code instead of the app's code.
  await password(page, user, js);
  await expect(page.getByTestId('totp-secret')).toHaveCount(0);
  await code(page, recovery.toLowerCase());
  await expect(page).toHaveURL(/\/staff$/);
  await signOut(page);
  await password(page, user, js);
  await code(page, recovery);
  await expect(page.getByTestId('code-problem')).toHaveText('验证码不正确或已用过。');
  await code(page, await nextCode(user));
  await expect(page).toHaveURL(/\/staff$/);

  // A lost phone: an admin resets the second factor from the shell; the session ends and the
  // next sign-in enrols afresh.
  execFileSync(process.env.PORTAL_SERVER_BIN!, ['staff', 'totp-reset', user], { env: process.env, stdio: 'pipe' });
  await page.reload();
  await expect(page).toHaveURL(/\/staff\/login$/);
  await password(page, user, js);
  await expect(page.getByTestId('totp-secret')).not.toHaveText(key);
});
