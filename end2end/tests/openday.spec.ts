import { test, expect, Page } from '@playwright/test';
import { fileComplaint, staff, staffAccount, CLOSED_BY_SETTLEMENT } from './cases';
import { signIn } from './signin';

// The open day: public statistics on a phone and on a wall, typical cases published by a
// supervisor. Runs with JavaScript on and off.

async function noSidewaysScroll(page: Page, width: number) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(w).toBeLessThanOrEqual(width);
}

test('statistics are reached from the menu and read on a 360 px phone', async ({ page, request }) => {
  await fileComplaint(request);
  await page.goto('/');
  await page.locator('header nav').getByRole('link', { name: '数据公开' }).click();
  await expect(page).toHaveURL(/\/stats$/);
  await expect(page.getByTestId('period')).toHaveText(/^\d{4}年$/);
  const received = Number(await page.getByTestId('fig-received').textContent());
  expect(received).toBeGreaterThan(0);
  await expect(page.getByTestId('map').locator('g[data-code]')).toHaveCount(8);
  await expect(page.getByTestId('definitions')).toContainText('受理 ÷（受理 + 不予受理）');
  await noSidewaysScroll(page, 360);
  // The figure's definition shows on keyboard focus.
  await page.locator('[data-figure="acceptance"]').focus();
  await expect(page.locator('#def-acceptance')).toBeVisible();
  // The CSV of the same period.
  const csv = await request.get((await page.getByTestId('csv').getAttribute('href'))!);
  expect(csv.headers()['content-type']).toContain('text/csv');
  expect(await csv.text()).toContain('total,');
  // A period that is not one: the error, in place, with a 4xx.
  await page.getByLabel('统计期间（如 2026、2026-Q3、2026-07）').fill('2026-13');
  await page.getByRole('button', { name: '查看' }).click();
  await expect(page.getByTestId('period-error')).toContainText('统计期间格式不对');
  await page.getByLabel('统计期间（如 2026、2026-Q3、2026-07）').fill('2026-Q4');
  await page.getByRole('button', { name: '查看' }).click();
  await expect(page.getByTestId('period')).toHaveText('2026年第4季度');
});

test('statistics fill a 1920 × 1080 screen without sideways scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto('/stats');
  // The bureau's eight headline figures, the ODR lane's three and the consumers' verdicts (two).
  await expect(page.getByTestId('figures').locator('li')).toHaveCount(13);
  await noSidewaysScroll(page, 1920);
});

// The wall at 1920 × 1080 and 3840 × 2160: screen.spec.ts.

test('a supervisor publishes a redacted typical case and anyone finds it', async ({ page, request, javaScriptEnabled: js }) => {
  const phone = js ? '13911112222' : '13933334444';
  const { caseNo } = await fileComplaint(request, phone, { consent_publish: 'on' });
  staff(caseNo, ...CLOSED_BY_SETTLEMENT);
  const user = `publisher-${js ? 'js' : 'nojs'}`;
  staffAccount(user, 'supervisor', 'a long staff password');
  await signIn(page, user, 'a long staff password', js);
  await page.goto('/staff/publish');
  const draft = page.getByTestId('draft').filter({ hasText: caseNo });
  await expect(draft.locator('textarea')).toHaveValue(/洗衣机第二天就无法脱水/);
  await expect(draft).not.toContainText(phone);
  await expect(draft.locator('textarea')).not.toHaveValue(/张三/);
  await draft.getByRole('button', { name: '公开', exact: true }).click();
  await expect(page.getByTestId('done')).toHaveText('已公开。');

  await page.goto('/cases');
  await page.getByLabel('市州').selectOption({ label: '西宁市' });
  await page.getByLabel('类别').selectOption({ label: '家用电器' });
  await page.getByRole('button', { name: '查找' }).click();
  await expect(page).toHaveURL(/prefecture=630100/);
  await expect(page.getByTestId('typical-case').first()).toContainText('无法脱水');
  await expect(page.locator('main')).not.toContainText(phone);
  await expect(page.locator('main')).not.toContainText(caseNo);
  await noSidewaysScroll(page, 360);
});
