import { test, expect, Page } from '@playwright/test';
import { fileComplaint, staffAccount } from './cases';

// The browser bundle is split: the filing form lives in the main module and every other page in a
// module of its own, fetched when the page is first shown. These tests watch the network.
// Runs in the JavaScript project only.

const splitModule = /\/pkg\/split___([a-z_]+?)_route_view_/;

function routeModules(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (r) => {
    const m = splitModule.exec(r.url());
    if (m) seen.push(m[1]);
  });
  return seen;
}

test('the filing form loads no other page’s code; the guide’s is fetched when it is opened', async ({ page }) => {
  const seen = routeModules(page);
  await page.goto('/file');
  await expect(page.locator('html[data-hydrated="1"]')).toHaveCount(1);
  expect(seen).toEqual([]);

  // Client-side navigation to a lazily loaded page fetches its module and shows it.
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '办事指南' }).click();
  await expect(page).toHaveURL(/\/guide$/);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(seen).toEqual(['guide']);
});

test('a page opened directly fetches its own module and no other page’s', async ({ page }) => {
  const seen = routeModules(page);
  await page.goto('/stats');
  await expect(page.locator('html[data-hydrated="1"]')).toHaveCount(1);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect([...new Set(seen)]).toEqual(['stats']);
});

// A phone on a slow line: the person types before the page's module has arrived. Hydration must
// keep what they typed (in the signals the page's own checks read, not just on screen).
async function holdModules(page: Page) {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  await page.route(splitModule, async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

test('what a consumer types while the tracking page is loading is kept', async ({ page, request }) => {
  const { caseNo, code } = await fileComplaint(request);
  const release = await holdModules(page);
  await page.goto('/track');
  await page.getByLabel('案件编号').fill(caseNo);
  await page.getByLabel('查询码').fill(code);
  await expect(page.locator('html[data-hydrated="1"]')).toHaveCount(0);
  release();
  await expect(page.locator('html[data-hydrated="1"]')).toHaveCount(1);
  await expect(page.getByLabel('案件编号')).toHaveValue(caseNo);
  await page.getByRole('button', { name: '查询', exact: true }).click();
  await expect(page.getByTestId('state')).toHaveText('已登记');
});

test('a staff member’s name and password typed while the sign-in page is loading are kept', async ({ page }) => {
  staffAccount('early-typist', 'handler', 'a long staff password', '630102');
  const release = await holdModules(page);
  await page.goto('/staff/login');
  await page.getByLabel('用户名').fill('early-typist');
  await page.getByLabel('密码').fill('a long staff password');
  await expect(page.locator('html[data-hydrated="1"]')).toHaveCount(0);
  release();
  await expect(page.locator('html[data-hydrated="1"]')).toHaveCount(1);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/staff$/);
});
