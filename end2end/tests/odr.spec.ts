import { test, expect, Browser, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { freshCreditCode, odrMember, staffAccount } from './cases';
import { complaintInScope, incident, openFiling, next, today } from './filing';
import { deskWindow, trackFromReceipt } from './pages';
import { signIn } from './signin';

// The ODR lane as its three parties live it: a consumer on a phone sends a complaint about a
// member business to the business first; the business signs in (password and second factor) and
// answers with an offer; the consumer says yes (settled by the business) or no (on to the bureau).

async function axeClean(page: Page, js: boolean) {
  if (!js) return; // axe-core runs inside the page
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
}

/** A member of the lane with an account; its credit code, name, user and password. */
function member(js: boolean) {
  const code = freshCreditCode();
  const name = `西宁诚信商贸有限公司${code.slice(10, 17)}`;
  const user = `shop-${code.slice(10, 17).toLowerCase()}-${js ? 'on' : 'off'}`;
  return { code, name, user, password: odrMember(code, name, user) };
}

/** Names the member by typing part of its name and picking it from the register's entries
 * (without JavaScript after "find"): its code, address and county are filled in. */
async function pickFromRegister(page: Page, js: boolean, code: string, name: string) {
  await page.getByLabel('所在县（市、区）').selectOption('630102');
  await page.getByLabel('经营者名称').fill(name.slice(-9));
  if (!js) await page.getByRole('button', { name: '在经营者名录中查找' }).click();
  const entry = page.getByRole('button', { name, exact: true });
  await expect(entry).toBeVisible();
  await expect(page.getByTestId('register-lookup')).toContainText('已加入ODR');
  await axeClean(page, js);
  await entry.click();
  await expect(page.getByLabel('统一社会信用代码（选填）')).toHaveValue(code);
  await expect(page.getByLabel('经营者名称')).toHaveValue(name);
  await expect(page.getByLabel('经营者地址')).toHaveValue('西宁市城东区八一路1号');
  await expect(page.getByLabel('所在县（市、区）')).toHaveValue('630102');
}

/** Files, on a 360 px phone, a complaint about the member `code`, sent to the business first;
 * the business named by its code, or picked from the register by its name. */
async function fileToBusiness(browser: Browser, js: boolean, code: string, name: string, pick = false) {
  const context = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await openFiling(page, js);
  await complaintInScope(page);
  if (pick) {
    await pickFromRegister(page, js, code, name);
  } else {
    await page.getByLabel('经营者名称').fill(name);
    await page.getByLabel('经营者地址').fill('西宁市城东区八一路1号');
    await page.getByLabel('所在县（市、区）').selectOption('630102');
    await page.getByLabel('统一社会信用代码（选填）').fill(code);
  }
  await next(page);
  await incident(page, '食品', today(), '退款', '买到的奶粉已过期，商家不同意退货。');
  await page.getByLabel('姓名', { exact: true }).fill('王五');
  await page.getByLabel('手机号码').fill('13912345678');
  await page.getByLabel('联系地址').fill('西宁市城西区胜利路8号');
  await next(page);
  await next(page); // no evidence
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('核对并提交');
  // The question, with the business's name and the 10 working days, in the consumer's language.
  const question = page.getByTestId('odr-question');
  await expect(question).toContainText(name);
  await expect(question).toContainText('10 个工作日');
  await expect(question).toContainText('未经核对官方文本');
  await axeClean(page, js);
  await page.getByLabel('是，先交企业协商').check();
  await page.getByRole('button', { name: '提交' }).click();
  const { caseNo } = await trackFromReceipt(page, js);
  await expect(page.getByTestId('state')).toContainText('企业协商中');
  return { context, page, caseNo };
}

/** The business signs in, finds the complaint in its queue and offers a refund of 299.50 yuan. */
async function businessOffers(browser: Browser, js: boolean, who: ReturnType<typeof member>, caseNo: string) {
  const { context, page } = await deskWindow(browser, js);
  await signIn(page, who.user, who.password, js, /\/staff\/business$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('待协商的投诉');
  await axeClean(page, js);
  await page.getByRole('link', { name: caseNo }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(caseNo);
  // While the negotiation is open the business may call the consumer: the number in full.
  await expect(page.getByText('13912345678')).toBeVisible();
  await axeClean(page, js);
  const form = page.getByTestId('biz-answer');
  await form.getByLabel('提出和解方案').check();
  await form.getByLabel('方案', { exact: true }).selectOption({ label: '退款' });
  await form.getByLabel('金额（元）').fill('299.50');
  await form.getByLabel('说明').fill('同意退货退款，三日内原路退回。');
  await form.getByRole('button', { name: '提交答复' }).click();
  await expect(page.getByTestId('biz-done')).toBeVisible();
  await expect(page.getByTestId('biz-state')).toContainText('企业已提出和解方案');
  await context.close();
}

test('a complaint sent to an ODR business first is settled there when the consumer says yes', async ({ browser, javaScriptEnabled: js }) => {
  const who = member(js);
  const consumer = await fileToBusiness(browser, js, who.code, who.name);
  await businessOffers(browser, js, who, consumer.caseNo);
  const page = consumer.page;
  await page.reload();
  const offer = page.getByTestId('offer');
  await expect(offer).toContainText('退款');
  await expect(offer).toContainText('299.50');
  await expect(offer).toContainText('同意退货退款，三日内原路退回。');
  await axeClean(page, js);
  await page.getByTestId('offer-accept').click();
  await expect(page.getByTestId('state')).toContainText('已办结');
  await expect(page.getByTestId('timeline')).toContainText('您接受了企业的和解方案');
  // The offer on the timeline reads as words, not as the event log keeps it.
  await expect(page.getByTestId('timeline')).toContainText('退款 · 金额：299.50 元：同意退货退款，三日内原路退回。');
  await expect(page.getByTestId('offer')).toHaveCount(0);
  // The public statistics count it: the early-settlement rate and the share settled by businesses.
  // The figures may be up to 10 s old while another request reads them afresh (single flight).
  await expect(async () => {
    await page.goto('/stats');
    await expect(page.getByTestId('fig-odr-settlement')).toHaveText(/^\d+(\.\d)?%$/, { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByTestId('fig-business-share')).toHaveText(/^\d+(\.\d)?%$/);
  await consumer.context.close();
});

test('a consumer who says no to the offer sends the complaint on to the bureau', async ({ browser, javaScriptEnabled: js }) => {
  const who = member(js);
  const consumer = await fileToBusiness(browser, js, who.code, who.name, true);
  await businessOffers(browser, js, who, consumer.caseNo);
  const page = consumer.page;
  await page.reload();
  await page.getByLabel('不接受的原因（选填）').fill('只退一半，不能接受。');
  await page.getByTestId('offer-reject').click();
  await expect(page.getByTestId('state')).toContainText('已登记');
  await expect(page.getByTestId('offer')).toHaveCount(0);
  // The business's console no longer offers an answer, and the number is masked.
  const { context, page: desk } = await deskWindow(browser, js);
  await signIn(desk, who.user, who.password, js, /\/staff\/business$/);
  await desk.goto(`/staff/business/cases/${consumer.caseNo}`);
  await expect(desk.getByTestId('biz-answer')).toHaveCount(0);
  await expect(desk.getByText('13912345678')).toHaveCount(0);
  await context.close();
  await consumer.context.close();
});

test("a county's handler adds a business to the register as an ODR member and suspends it", async ({ browser, javaScriptEnabled: js }) => {
  const user = `reg-handler-${js ? 'on' : 'off'}`;
  staffAccount(user, 'handler', 'a long register password', '630102');
  const { context, page } = await deskWindow(browser, js);
  await signIn(page, user, 'a long register password', js);
  await page.getByRole('link', { name: '经营者名录与在线消费纠纷解决（ODR）' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('经营者名录与在线消费纠纷解决（ODR）');
  const code = freshCreditCode();
  const form = page.getByTestId('reg-add');
  // A wrong check character is a field error of the form, and nothing is stored.
  await form.getByLabel('统一社会信用代码').fill(code.slice(0, 17) + (code.endsWith('1') ? '2' : '1'));
  await form.getByLabel('名称').fill('西宁放心超市有限公司');
  await form.getByLabel('地址').fill('西宁市城东区东关大街5号');
  await form.getByLabel('所在县（市、区）').selectOption('630102');
  await form.getByRole('button', { name: '保存' }).click();
  await expect(page.getByTestId('reg-add').locator('.field-error')).toContainText('校验码不符');
  await page.getByTestId('reg-add').getByLabel('统一社会信用代码').fill(code);
  await page.getByTestId('reg-add').getByLabel('先行赔付').check();
  await page.getByTestId('reg-add').getByLabel('加入在线消费纠纷解决（ODR）').check();
  await page.getByTestId('reg-add').getByRole('button', { name: '保存' }).click();
  await expect(page.getByTestId('reg-done')).toHaveText('已保存。');
  const row = page.locator(`tr[data-code="${code}"]`);
  await expect(row.getByTestId('reg-odr')).toHaveText('已加入');
  await expect(row).toContainText('先行赔付');
  await expect(row).toContainText('投诉 0 件');
  await axeClean(page, js);
  await row.getByRole('button', { name: '暂停' }).click();
  await expect(page.getByTestId('reg-done')).toHaveText('已暂停ODR资格。');
  await expect(page.locator(`tr[data-code="${code}"]`).getByTestId('reg-odr')).toHaveText('已暂停');
  await context.close();
});
