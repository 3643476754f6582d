import { test, expect, Page } from '@playwright/test';
import { fileComplaint, staffAccount } from './cases';

async function ready(page: Page, js: boolean) {
  if (js) await expect(page.locator('html[data-hydrated="1"]')).toHaveCount(1);
}

const PASSWORD = 'a long staff password';

test('a handler signs in, sees their queue, filters it and signs out', async ({ page, request, javaScriptEnabled: js }) => {
  const user = `handler-${js ? 'js' : 'nojs'}`;
  staffAccount(user, 'handler', PASSWORD, '630102');
  const { caseNo } = await fileComplaint(request);

  await page.goto('/staff');
  await expect(page).toHaveURL(/\/staff\/login$/);
  await ready(page, js);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.locator('#username-error')).toHaveText('此项必填。');

  await page.getByLabel('用户名').fill(user);
  await page.getByLabel('密码').fill('not the password');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('alert')).toHaveText('用户名或密码不正确。');
  await expect(page.getByLabel('密码')).toHaveValue('');

  await page.getByLabel('用户名').fill(user);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/staff$/);
  await expect(page.getByTestId('signed-in')).toContainText(user);
  await expect(page.getByTestId('queue')).toContainText(caseNo);

  await page.getByLabel('状态').selectOption({ label: '已办结' });
  await page.getByRole('button', { name: '筛选' }).click();
  await expect(page).toHaveURL(/state=closed/);
  await expect(page.getByTestId('queue')).not.toContainText(caseNo);

  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/staff\/login$/);
  await page.goto('/staff');
  await expect(page).toHaveURL(/\/staff\/login$/);
});
