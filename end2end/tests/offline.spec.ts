import { test, expect } from '@playwright/test';
import { fillToReview, ready } from './filing';

// After one visit, the home page, the filing form, the tracking form and the guide open without a
// connection (a service worker keeps them); a filing submitted offline is kept, the page says it
// will be sent, and it is sent once when the connection returns (or, when the server cannot be
// reached on a line the browser thinks is up, after a pause). The receipt is never kept.
// JavaScript only (a service worker is JavaScript).

test('after one visit the main pages open offline; the receipt is never kept', async ({ page, context }) => {
  await page.goto('/');
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await context.setOffline(true);
  for (const [path, heading] of [
    ['/', '消费者咨询、投诉、举报，一个入口'],
    ['/file', '在线投诉、举报、咨询'],
    ['/track', '查询办理进度'],
    ['/guide', '办事指南'],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
    // The modules of the consumer's pages were kept too: offline they work as online.
    await expect(page.locator(path === '/guide' ? 'html[data-static="1"]' : 'html[data-hydrated="1"]')).toHaveCount(1);
  }
  // A receipt (with its query code) or a tracking page is never kept: offline, it does not open.
  await expect(page.goto('/file/done/QH-2026-000001')).rejects.toThrow();
  await expect(page.goto('/track/QH-2026-000001')).rejects.toThrow();
  await context.setOffline(false);
});

test('a filing submitted offline is kept, said to be waiting, and filed once when back online', async ({ page, context }) => {
  await page.goto('/file');
  await ready(page, true);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await fillToReview(page);
  let answered = 0;
  page.on('response', (r) => {
    if (r.request().method() === 'POST' && r.url().includes('/api/')) answered++;
  });
  await context.setOffline(true);
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page.getByTestId('filing-waiting')).toContainText('网络恢复后会自动提交');
  // Kept across a reload, offline: the form comes back from the service worker with the draft,
  // still waiting.
  await page.reload();
  await ready(page, true);
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('核对并提交');
  await expect(page.getByTestId('filing-waiting')).toContainText('网络恢复后会自动提交');
  await context.setOffline(false);
  await expect(page).toHaveURL(/\/file\/done\/QH-\d{4}-\d{6}$/);
  await expect(page.getByTestId('query-code')).toBeVisible();
  expect(answered, 'the filing reached the server once').toBe(1);
  // The draft is gone: a new filing starts afresh.
  await page.goto('/file');
  await ready(page, true);
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('您要办理什么');
});

test.describe('without the service worker (so that every post can be watched and cut)', () => {
  test.use({ serviceWorkers: 'block' });

  test('a filing the server cannot be reached for, though the browser is online, is retried and filed once', async ({ page }) => {
    await page.goto('/file');
    await ready(page, true);
    await fillToReview(page);
    // A weak line: the first two posts never reach the server (the browser still says it is online).
    let cut = 0;
    let answered = 0;
    await page.route(/\/api\//, (route) => {
      if (route.request().method() === 'POST' && cut < 2) {
        cut++;
        return route.abort('internetdisconnected');
      }
      return route.continue();
    });
    page.on('response', (r) => {
      if (r.request().method() === 'POST' && r.url().includes('/api/')) answered++;
    });
    await page.getByRole('button', { name: '提交' }).click();
    await expect(page.getByTestId('filing-waiting')).toContainText('会自动重试提交');
    expect(await page.evaluate(() => navigator.onLine)).toBe(true);
    // Sent again after 3 s, then 6 s, with the same key.
    await expect(page).toHaveURL(/\/file\/done\/QH-\d{4}-\d{6}$/, { timeout: 20_000 });
    await expect(page.getByTestId('query-code')).toBeVisible();
    expect(cut, 'two posts were cut off').toBe(2);
    expect(answered, 'the filing reached the server once').toBe(1);
  });
});
