import { test, expect, Page } from '@playwright/test';

async function ready(page: Page, js: boolean) {
  if (js) {
    // The hydrate entry point marks the document once the page is interactive.
    await expect(page.locator('html[data-hydrated="1"]')).toHaveCount(1);
  }
}

test('the home page is rendered on the server and, with JavaScript, hydrated', async ({ page, javaScriptEnabled }) => {
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('消费者咨询、投诉、举报，一个入口');
  await ready(page, javaScriptEnabled);
  const input = page.getByRole('textbox', { name: '统一社会信用代码' });
  const verdict = page.locator('#code-verdict');
  if (javaScriptEnabled) {
    // Checked in the browser as it is typed, by the same domain code the server runs: no request, no navigation.
    await input.pressSequentially('91350100M000100Y4');
    await expect(verdict).toHaveText('应为18位，由数字和大写字母组成（不含I、O、Z、S、V）。');
    await input.press('4');
    await expect(verdict).toHaveText('校验码不符，请核对是否抄错。');
    expect(page.url()).not.toContain('code=');
    await input.fill('91350100M000100Y43');
    await expect(verdict).toHaveText('代码格式和校验码正确。');
  } else {
    await input.fill('91350100M000100Y44');
    await page.getByRole('button', { name: '核对' }).click();
    await expect(page).toHaveURL(/code=91350100M000100Y44/);
    await expect(verdict).toHaveText('校验码不符，请核对是否抄错。');
  }
  // The page fits a 360 px phone: nothing scrolls sideways.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('the language and large-text switches persist across pages', async ({ page, javaScriptEnabled }) => {
  await page.goto('/?code=91350100M000100Y43');
  await ready(page, javaScriptEnabled);
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Consultations, complaints and reports: one door');
  // Returned to the same page, query included.
  await expect(page).toHaveURL(/\/\?code=91350100M000100Y43$/);
  await ready(page, javaScriptEnabled);
  await page.getByRole('link', { name: 'Large text' }).click();
  await expect(page.locator('html')).toHaveClass(/large/);
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.locator('html')).toHaveClass(/large/);
  const size = await page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
  expect(size).toBe('20px');
  await ready(page, javaScriptEnabled);
  await page.getByRole('link', { name: '中文' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
});

test('the keyboard reaches the content first through the skip link', async ({ page }) => {
  await page.goto('/');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: '跳到正文' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);
});

test('an unknown address gets a translated 404 page', async ({ page }) => {
  const res = await page.goto('/no-such-page');
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('页面不存在');
});
