import { test, expect, Page } from '@playwright/test';
import { messages } from './catalogue';
import { PNG } from './cases';

// The consumer's journeys in Tibetan (bo), with and without JavaScript: the language chosen from
// the switch, a complaint filed, the receipt, and the case tracked with its code. Every text is
// the catalogue's (`app/locales/bo.ftl`).

const bo = messages('bo');

async function ready(page: Page, js: boolean) {
  if (js) await expect(page.locator('html[data-hydrated="1"]')).toHaveCount(1);
}

function today() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

async function answer(page: Page, question: string, yes: boolean) {
  await page
    .getByRole('group', { name: question })
    .getByLabel(yes ? bo.file_yes : bo.file_no, { exact: true })
    .check();
}

/** A message with values, as a pattern matching it whatever the values. */
function pattern(message: string): RegExp {
  const parts = message.split(/\{ \$\w+ \}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.+')}$`);
}

async function next(page: Page) {
  await page.getByRole('button', { name: bo.file_next, exact: true }).click();
}

test.afterEach(async ({ page }) => {
  await page.context().clearCookies();
});

test('a consumer chooses Tibetan, files a complaint and tracks it', async ({ page, javaScriptEnabled: js }) => {
  await page.goto('/');
  await ready(page, js);
  await page.getByRole('link', { name: bo.lang_name }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'bo');
  await expect(page.getByRole('note').filter({ hasText: bo.lang_review_note })).toBeVisible();
  await ready(page, js);
  await page.getByRole('main').getByRole('link', { name: bo.card_file_title }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(bo.file_file_a_complaint_report);
  await ready(page, js);

  // Nothing chosen: the errors are in Tibetan.
  await next(page);
  await expect(page.locator('#kind-error')).toHaveText(bo.invalid_required);
  await page.getByLabel(bo.file_complaint_a_dispute_with).check();
  await next(page);
  await next(page);
  await expect(page.locator('#personal_use-error')).toHaveText(bo.invalid_required);
  await answer(page, bo.file__personal_use, true);
  await answer(page, bo.file__business_dispute, true);
  await answer(page, bo.file__other_body, false);
  await answer(page, bo.file__within_limitation, true);
  await next(page);

  await page.getByLabel(bo.file__business_name, { exact: true }).fill('西宁某某电器有限公司');
  await page.getByLabel(bo.file__business_address, { exact: true }).fill('西宁市城东区八一路1号');
  await page.getByLabel(bo.file__business_county).selectOption('630102');
  await next(page);
  await page.getByLabel(bo.file__category).selectOption('G05');
  await page.getByLabel(bo.file__incident_on).fill(today());
  await page.getByLabel(bo.file__demand).selectOption('refund');
  await page.getByLabel(bo.file__facts).fill('ཉོས་པའི་འཁྲུད་འཕྲུལ་ཉིན་གཉིས་པར་ལས་ཀ་མི་བྱེད།');
  await next(page);
  await page.getByLabel(bo.file__consumer_name, { exact: true }).fill('བཀྲ་ཤིས།');
  await page.getByLabel(bo.file__consumer_phone).fill('13812341234');
  await page.getByLabel(bo.file__consumer_address, { exact: true }).fill('西宁市城西区胜利路8号');
  await next(page);
  await page.getByLabel(bo.file__evidence).setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: PNG });
  if (!js) await page.getByRole('button', { name: bo.file_upload_the_chosen_files }).click();
  await expect(page.getByTestId('evidence-count')).toHaveText(bo.file_files_uploaded.replace('{ $count }', '1').replace('{ $max }', '5'));
  await next(page);
  await expect(page.getByRole('heading', { level: 2 })).toHaveText(bo.step__review);
  await page.getByRole('button', { name: bo.file_submit, exact: true }).click();

  await expect(page).toHaveURL(/\/file\/done\/QH-\d{4}-\d{6}$/);
  const caseNo = await page.getByTestId('case-no').innerText();
  const code = await page.getByTestId('query-code').innerText();
  expect(code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
  await expect(page.getByTestId('due')).toHaveText(pattern(bo.receipt_decides_by));

  await page.goto('/track');
  await ready(page, js);
  await page.getByLabel(bo.track__case_no, { exact: true }).fill(caseNo);
  await page.getByLabel(bo.track__code, { exact: true }).fill(code);
  await page.getByRole('button', { name: bo.track_look_up, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/track/${caseNo}$`));
  await expect(page.getByTestId('timeline')).toContainText(bo.action__receive);
  await expect(page.getByRole('heading', { name: bo.track_next_deadline })).toBeVisible();
});
