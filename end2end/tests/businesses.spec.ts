import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { fileComplaint, freshCreditCode, staff, CLOSED_BY_SETTLEMENT } from './cases';
import { pageSource, phoneWindow, ready } from './pages';
import { mailsTo, header } from './mail';

// Before buying: a consumer on a 360 px phone looks a business up by name, opens its record and
// reads its figures and its closed complaints as disclosed — with and without JavaScript, and
// with no personal data on the page.

test('a business is looked up by name and its closed complaints read without personal data', async ({ browser, request, browserName }, info) => {
  const js = info.project.name === 'js-on';
  const code = freshCreditCode();
  const name = `西宁公示测试电器有限公司${code.slice(10, 17)}`;
  const extra = {
    business_credit_code: code,
    business_name: name,
    consent_publish: 'on',
    facts: '我叫张三，电话13812341234，洗衣机买回第二天就无法脱水，商家拒绝退货。',
  };
  const { caseNo } = await fileComplaint(request, '13812341234', extra);
  staff(caseNo, ...CLOSED_BY_SETTLEMENT);
  const open = await fileComplaint(request, '13812341234', extra);
  // The servers' sweep discloses a closed complaint a moment after it closed (scripts/test: 1 s
  // after, every 2 s).
  await expect
    .poll(async () => (await (await request.get(`/businesses/${code}`)).text()).includes('data-testid="disclosed"'), {
      timeout: 20_000,
    })
    .toBe(true);

  const { context, page } = await phoneWindow(browser, js);
  await page.goto('/businesses');
  await page.getByLabel('经营者名称或统一社会信用代码').fill(`公示测试电器有限公司 ${code.slice(10, 17)}`);
  await page.getByRole('button', { name: '查找' }).click();
  await expect(page).toHaveURL(/\/businesses\?q=/);
  await page.getByRole('link', { name }).click();
  await expect(page.getByTestId('business-name')).toHaveText(name);
  await expect(page.getByTestId('fig-complaints')).toHaveText('2');
  await expect(page.getByTestId('fig-settled')).toHaveText('1');
  const item = page.getByTestId('disclosed');
  await expect(item).toHaveCount(1);
  await expect(item.getByTestId('complainant')).toHaveText('张**');
  await expect(item.getByTestId('issue')).toContainText('洗衣机买回第二天就无法脱水');
  await expect(item.getByTestId('handling')).toContainText('经调解达成协议 · 2999.00 元');
  // Nothing personal in the page, nor in the values its resources carry to the browser (which
  // do hold the record: the complaint's text is found there).
  const source = await pageSource(page);
  expect(source.values.join('\n')).toContain('洗衣机买回第二天就无法脱水');
  for (const secret of ['张三', '13812341234', '胜利路8号', caseNo, open.caseNo]) {
    expect(source.all, secret).not.toContain(secret);
  }
  await expect(page.getByTestId('unverified')).toBeAttached();
  // Its feed carries the same complaint.
  const feed = await request.get((await page.getByTestId('feed').getAttribute('href'))!);
  expect(feed.headers()['content-type']).toContain('application/atom+xml');
  const atom = await feed.text();
  expect(atom).toContain('<entry>');
  expect(atom).toContain('洗衣机买回第二天就无法脱水');
  expect(atom).not.toContain('13812341234');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  if (js) {
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
    await page.goto('/businesses?county=999999');
    await expect(page.locator('#county-error')).toBeVisible();
    const bad = await new AxeBuilder({ page }).analyze();
    expect(bad.violations.map((v) => v.id)).toEqual([]);
  }
  // The home page's credit-code check leads to the same record.
  await page.goto('/');
  // The check runs as the code is typed once the page has hydrated; typed before, it is not seen.
  await ready(page, js);
  await page.getByLabel('统一社会信用代码', { exact: true }).fill(code);
  if (!js) await page.getByRole('button', { name: '核对' }).click();
  await page.getByTestId('code-record').click();
  await expect(page.getByTestId('business-name')).toHaveText(name);
  await context.close();
  void browserName;
});

// Alerts: the consumer subscribes to a business's newly disclosed complaints on its page,
// confirms from the e-mail the test mail server received, and unsubscribes: in one click as a
// mail client does it (RFC 8058, no cookie), or with the page's button without JavaScript.
test('a business is followed by e-mail: subscribed, confirmed from the mail, unsubscribed in one click', async ({ browser, request }, info) => {
  const js = info.project.name === 'js-on';
  const code = freshCreditCode();
  const name = `西宁提醒测试商贸有限公司${code.slice(10, 17)}`;
  const { caseNo } = await fileComplaint(request, '13812341234', { business_credit_code: code, business_name: name });
  staff(caseNo, ...CLOSED_BY_SETTLEMENT);
  await expect
    .poll(async () => (await request.get(`/businesses/${code}`)).status(), { timeout: 20_000 })
    .toBe(200);

  const { context, page } = await phoneWindow(browser, js);
  await page.goto(`/businesses/${code}`);
  await page.getByText('用电子邮件订阅新公开的投诉').click();
  const to = `alerts-${code.slice(10, 17).toLowerCase()}-${js ? 'js' : 'plain'}@example.cn`;
  await page.getByLabel('电子邮箱', { exact: true }).fill('not-an-address');
  await page.getByRole('button', { name: '订阅' }).click();
  await expect(page.locator('#alert-email-error')).toBeVisible();
  await page.getByLabel('电子邮箱', { exact: true }).fill(to);
  await page.getByRole('button', { name: '订阅' }).click();
  await expect(page.getByTestId('alerts-sent')).toBeVisible();
  if (js) {
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => v.id)).toEqual([]);
  }

  // The confirmation arrives through the outbox; its link asks for a button press.
  await expect.poll(() => mailsTo(to).length, { timeout: 20_000 }).toBe(1);
  const mail = mailsTo(to)[0];
  expect(header(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
  const unsubscribe = header(mail, 'List-Unsubscribe')!.replace(/^<|>$/g, '');
  const confirm = mail.body.match(/https?:\/\/\S+\/alerts\/confirm\?\S+/)![0];
  expect(mail.body).toContain(name);
  await page.goto(confirm);
  await page.getByTestId('alerts-confirm').click();
  await expect(page.getByTestId('alerts-confirmed')).toBeVisible();
  await expect(page.getByRole('link', { name })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  if (js) {
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => v.id)).toEqual([]);
    // The mail client's one click: a POST of the RFC 8058 body, no cookie.
    const res = await request.post(unsubscribe, { form: { 'List-Unsubscribe': 'One-Click' } });
    expect(res.status()).toBe(200);
    expect(await res.text()).toContain('data-testid="alerts-unsubscribed"');
  } else {
    await page.goto(unsubscribe);
    await page.getByTestId('alerts-unsubscribe').click();
    await expect(page.getByTestId('alerts-unsubscribed')).toBeVisible();
  }
  // Gone: the confirmation link no longer holds.
  const again = await page.goto(confirm);
  expect(again!.status()).toBe(404);
  await expect(page.getByTestId('alerts-invalid')).toBeVisible();
  await context.close();
});
