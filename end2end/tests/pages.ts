import { expect, Browser, Page, Locator } from '@playwright/test';
import { staffAccount } from './cases';
import { signIn } from './signin';

// Moves through the pages as a person does, shared by the specs.

/** With JavaScript, waits until the page has hydrated (without, the HTML is already all there is). */
export async function ready(page: Page, js: boolean) {
  if (js) await expect(page.locator('html[data-hydrated="1"]')).toHaveCount(1);
}

/** Looks a case up on /track with its number and query code. */
export async function lookUp(page: Page, js: boolean, caseNo: string, code: string) {
  await page.goto('/track');
  await ready(page, js);
  await page.getByLabel('案件编号').fill(caseNo);
  await page.getByLabel('查询码').fill(code);
  await page.getByRole('button', { name: '查询', exact: true }).click();
}

/** Opens the form of the staff step `name` on a case page, fills it, and takes the step. */
export async function takeStep(page: Page, name: string, fill?: (form: Locator) => Promise<void>) {
  const form = page
    .getByTestId('actions')
    .locator('details')
    .filter({ has: page.locator('summary', { hasText: new RegExp(`^${name}$`) }) });
  await form.locator('summary').click();
  if (fill) await fill(form);
  await form.getByRole('button', { name, exact: true }).click();
}

/** After a submission: reads the case number and query code off the receipt and looks the case up. */
export async function trackFromReceipt(page: Page, js: boolean) {
  await expect(page).toHaveURL(/\/file\/done\/QH-\d{4}-\d{6}$/);
  const caseNo = page.url().split('/').pop()!;
  const code = (await page.getByTestId('query-code').textContent())!.trim();
  await lookUp(page, js, caseNo, code);
  return { caseNo, code };
}

/** A browser context the size of a desk (1280×900), and a page in it. */
export async function deskWindow(browser: Browser, js: boolean) {
  const context = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 1280, height: 900 } });
  return { context, page: await context.newPage() };
}

/** A browser context the size of a phone (360×740), and a page in it. */
export async function phoneWindow(browser: Browser, js: boolean) {
  const context = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 360, height: 740 } });
  return { context, page: await context.newPage() };
}

/** A handler of `bureau`, signed in at a desk of their own (a desktop-sized browser context). */
export async function handlerDesk(browser: Browser, js: boolean, user: string, bureau: string) {
  const password = 'a long staff password';
  staffAccount(user, 'handler', password, bureau);
  const { context, page: desk } = await deskWindow(browser, js);
  await signIn(desk, user, password, js);
  return { context, desk };
}

/**
 * The page as the browser holds it, with the values of its resources decoded: they travel in
 * postcard, base64 in a script (app/src/wire.rs), where a text search of the HTML
 * alone would not see what they hold. Postcard keeps strings as UTF-8 bytes, so decoding the
 * base64 is enough to find them.
 */
export async function pageSource(page: Page) {
  const html = await page.content();
  const values = [...html.matchAll(/__RESOLVED_RESOURCES\[\d+\] = "([A-Za-z0-9+/_-]*)"/g)].map((m) =>
    Buffer.from(m[1].replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8'),
  );
  return { html, values, all: [html, ...values].join('\n') };
}
