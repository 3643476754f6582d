import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { fileComplaint, staff, staffAccount, CLOSED_BY_SETTLEMENT } from './cases';
import { nextCode, rememberKey } from './signin';

// axe-core runs inside the page, so this file runs in the JavaScript project only; it checks the
// same server-rendered HTML that a browser without JavaScript gets, before and after hydration.

async function expectNoAxeViolations(page: Page) {
  // Waiting for hydration (or a page sent without WebAssembly), not a speed check: the big
  // screen's modules take longer than the default five seconds to arrive while the other worker
  // loads the machine's two cores.
  await expect(page.locator('html[data-hydrated="1"], html[data-static="1"]')).toHaveCount(1, { timeout: 15_000 });
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
  await page.goto('/guide');
  await expectNoAxeViolations(page);
});

test('the guide is reached from the menu, reads at 360 px and has no axe-core violations', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto('/');
  await page.locator('header nav').getByRole('link', { name: '办事指南' }).click();
  await expect(page).toHaveURL(/\/guide$/);
  await expect(page.getByRole('heading', { name: '如何准备证据' })).toBeVisible();
  await expect(page.getByTestId('deadlines')).toContainText('七个工作日');
  await expect(page.getByTestId('grounds').locator('li')).toHaveCount(7);
  // Order 121's follow-up visit, as the rule data states it (optional, no deadline, unverified).
  await expect(page.getByTestId('follow-up-rule')).toContainText('回访不设期限');
  await expect(page.getByTestId('follow-up-rule')).toContainText('待核实');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(360);
  await expectNoAxeViolations(page);
});


test('every step of the filing form has no axe-core violations', async ({ page }) => {
  await page.goto('/file');
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: '下一步' }).click();
  await expectNoAxeViolations(page); // with errors shown
  await page.getByLabel('投诉：与经营者的消费纠纷，请求调解').check();
  await page.getByRole('button', { name: '下一步' }).click();
  await expectNoAxeViolations(page); // scope
  for (const [q, a] of [
    ['您是为生活消费购买商品或接受服务吗？', '是'],
    ['这是您与经营者（商家）之间的纠纷吗？', '是'],
    ['法院、仲裁机构、消费者协会或其他部门是否已经受理过这一纠纷？', '是'],
    ['您知道自己权益受损是在三年以内吗？', '是'],
  ]) {
    await page.getByRole('group', { name: q }).getByLabel(a, { exact: true }).check();
  }
  await page.getByRole('button', { name: '下一步' }).click();
  await expectNoAxeViolations(page); // business, with the scope notice
  await page.getByRole('button', { name: '上一步' }).click();
  await page.getByRole('button', { name: '上一步' }).click();
  await page.getByLabel('举报：反映经营者的违法行为，请求查处').check();
  await page.getByRole('button', { name: '下一步' }).click();
  await expectNoAxeViolations(page); // business
  await page.getByLabel('经营者名称').fill('某某店');
  await page.getByLabel('经营者地址').fill('西宁市城中区某路');
  await page.getByLabel('所在县（市、区）').selectOption('630103');
  await page.getByRole('button', { name: '下一步' }).click();
  await expectNoAxeViolations(page); // what happened
  await page.getByLabel('商品或服务类别').selectOption({ label: '价格违法' });
  await page.getByLabel('事实经过').fill('商品明码标价与结算价格不一致，多收费用。');
  await page.getByRole('button', { name: '下一步' }).click();
  await expectNoAxeViolations(page); // contact
  await page.getByLabel('姓名', { exact: true }).fill('王五');
  await page.getByLabel('手机号码').fill('13700001111');
  await page.getByLabel('联系地址').fill('西宁市城北区某路');
  await page.getByRole('button', { name: '下一步' }).click();
  await expectNoAxeViolations(page); // evidence
  await page.getByRole('button', { name: '下一步' }).click();
  await expectNoAxeViolations(page); // review
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page).toHaveURL(/\/file\/done\//);
  await expectNoAxeViolations(page); // receipt
});

test('the tracking pages have no axe-core violations', async ({ page, request, context, baseURL }) => {
  await page.goto('/track');
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: '查询', exact: true }).click();
  await expect(page.locator('#code-error')).toBeVisible();
  await expectNoAxeViolations(page);

  const open = await fileComplaint(request);
  await page.goto('/track');
  await page.getByLabel('案件编号').fill(open.caseNo);
  await page.getByLabel('查询码').fill(open.code);
  await page.getByRole('button', { name: '查询', exact: true }).click();
  await expect(page.getByTestId('timeline')).toBeVisible();
  await expectNoAxeViolations(page);
  await page.goto(`/track/${open.caseNo}?confirm=withdraw`);
  await expectNoAxeViolations(page);

  const closed = await fileComplaint(request);
  staff(closed.caseNo, ...CLOSED_BY_SETTLEMENT);
  await page.goto('/track');
  await page.getByLabel('案件编号').fill(closed.caseNo);
  await page.getByLabel('查询码').fill(closed.code);
  await page.getByRole('button', { name: '查询', exact: true }).click();
  await expect(page.getByTestId('rating')).toHaveCount(0);
  await expectNoAxeViolations(page);
  await context.addCookies([{ name: 'lang', value: 'en', url: baseURL! }, { name: 'text', value: 'large', url: baseURL! }]);
  await page.reload();
  await expect(page.getByTestId('timeline')).toBeVisible();
  await expectNoAxeViolations(page);
});

test('the staff sign-in and the work queue have no axe-core violations', async ({ page }) => {
  staffAccount('axe-supervisor', 'supervisor', 'a long staff password');
  await page.goto('/staff/login');
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: '登录' }).click();
  await expectNoAxeViolations(page);
  await page.getByLabel('用户名').fill('axe-supervisor');
  await page.getByLabel('密码').fill('a long staff password');
  await page.getByRole('button', { name: '登录' }).click();
  // The second factor: enrolment (QR code and key), a wrong code, the recovery codes.
  await expect(page.getByTestId('totp-secret')).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByLabel('验证码').fill('12');
  await page.getByRole('button', { name: '验证' }).click();
  await expect(page.locator('#code-error')).toBeVisible();
  await expectNoAxeViolations(page);
  rememberKey('axe-supervisor', (await page.getByTestId('totp-secret').textContent())!);
  await page.getByLabel('验证码').fill(await nextCode('axe-supervisor'));
  await page.getByRole('button', { name: '验证' }).click();
  await expect(page.getByTestId('recovery-codes')).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole('link', { name: '我已保存恢复码，进入工作台' }).click();
  await expect(page.getByTestId('queue')).toBeVisible();
  await expectNoAxeViolations(page);
  const { caseNo } = await fileComplaint(page.request);
  await page.goto(`/staff/cases/${caseNo}`);
  await expect(page.getByTestId('actions')).toBeVisible();
  const refuse = page.getByTestId('actions').locator('details').filter({ has: page.locator('summary', { hasText: /^不予受理$/ }) });
  await refuse.locator('summary').click();
  await refuse.getByRole('button', { name: '不予受理', exact: true }).click();
  await expect(page.locator('#refuse-ground-error')).toBeVisible();
  await expectNoAxeViolations(page);
  await page.goto('/staff/audit');
  await expect(page.getByTestId('audit')).toContainText('sign_in');
  await expectNoAxeViolations(page);
  // The messages to consumers: the receipt of the complaint just filed, its recipient masked;
  // this server sends text messages and e-mail (to the recording gateway and the test mail server).
  await page.goto('/staff/outbox');
  await expect(page.getByTestId('outbox')).toContainText(caseNo);
  await expect(page.getByTestId('no-channel')).toHaveCount(0);
  await expect(page.getByTestId('no-mail')).toHaveCount(0);
  await expect(page.getByTestId('outbox')).not.toContainText(/1[3-9]\d{9}/);
  await expectNoAxeViolations(page);
  await page.goto('/staff/objections');
  await expect(page.getByTestId('obj-none')).toBeVisible();
  await page.getByRole('button', { name: '提出异议' }).click();
  await expect(page.locator('#obj-item-error')).toBeVisible();
  await expectNoAxeViolations(page);
  await page.goto('/staff/intake');
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: '登记', exact: true }).click();
  await expect(page.locator('#channel-error')).toBeVisible();
  await expectNoAxeViolations(page);
});

test('the open-day pages have no axe-core violations on a phone', async ({ page }) => {
  for (const path of ['/stats', '/stats?period=2026-Q4', '/cases', '/cases?category=bad', '/businesses', '/alerts?target=c:630102', '/api']) {
    await page.goto(path);
    await expectNoAxeViolations(page);
  }
});

test('the open-day pages have no axe-core violations on a 1920 × 1080 screen', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto('/stats');
  await expectNoAxeViolations(page);
  await page.goto('/stats/screen');
  await expectNoAxeViolations(page);
});

test('the Tibetan consumer pages read at 360 px and have no axe-core violations', async ({ page, context, baseURL }) => {
  // A page in another language does not download the Tibetan font (only the language switch's
  // 2 KB subset for its own name).
  await page.goto('/');
  await expect(page.locator('html[data-hydrated="1"]')).toHaveCount(1);
  const loaded = () => page.evaluate(() => performance.getEntriesByType('resource').map((r) => r.name));
  expect((await loaded()).filter((u) => u.includes('noto-serif-tibetan-400'))).toEqual([]);
  await context.addCookies([{ name: 'lang', value: 'bo', url: baseURL! }]);
  for (const path of ['/', '/file', '/track', '/guide']) {
    await page.goto(path);
    // The guide is sent without WebAssembly (a reading page); the others hydrate.
    await expect(page.locator(path === '/guide' ? 'html[data-static="1"]' : 'html[data-hydrated="1"]')).toHaveCount(1);
    await expect(page.locator('html')).toHaveAttribute('lang', 'bo');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, path).toBeLessThanOrEqual(360);
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${path} ${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
  }
  // The Tibetan font is the page's own, from this site.
  const fonts = await page.evaluate(async () => {
    await document.fonts.ready;
    return [...document.fonts].filter((f) => f.status === 'loaded').map((f) => f.family.replace(/"/g, ''));
  });
  expect(fonts).toContain('Noto Serif Tibetan');
});
