import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

// axe-core runs inside the page, so this file runs in the JavaScript project only; it checks the
// same server-rendered HTML that a browser without JavaScript gets, before and after hydration.

async function expectNoAxeViolations(page: Page) {
  await expect(page.locator('html[data-hydrated="1"]')).toHaveCount(1);
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
}

test('pages have no axe-core violations, in both languages and in large-text mode', async ({ page, context, baseURL }) => {
  await page.goto('/');
  await expectNoAxeViolations(page);
  await context.addCookies([
    { name: 'lang', value: 'en', url: baseURL! },
    { name: 'text', value: 'large', url: baseURL! },
  ]);
  await page.goto('/?code=123');
  await expectNoAxeViolations(page);
  await page.goto('/no-such-page');
  await expectNoAxeViolations(page);
});

