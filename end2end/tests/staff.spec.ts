import { test, expect, Locator } from '@playwright/test';
import { deskWindow, phoneWindow, ready, takeStep } from './pages';
import { fileComplaint, staffAccount } from './cases';
import { signIn } from './signin';

const PASSWORD = 'a long staff password';

test('a handler signs in, sees their queue, filters it and signs out', async ({ page, request, javaScriptEnabled: js }) => {
  const user = `handler-${js ? 'js' : 'nojs'}`;
  staffAccount(user, 'handler', PASSWORD, '630102');
  const { caseNo } = await fileComplaint(request);

  await page.goto('/staff');
  await expect(page).toHaveURL(/\/staff\/login$/);
  await ready(page, js);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.locator('#username-error')).toHaveText('此项必填。');

  await page.getByLabel('用户名').fill(user);
  await page.getByLabel('密码').fill('not the password');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('alert')).toHaveText('用户名或密码不正确。');
  await expect(page.getByLabel('密码')).toHaveValue('');

  await page.getByLabel('用户名').fill(user);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/staff$/);
  await expect(page.getByTestId('signed-in')).toContainText(user);
  await expect(page.getByTestId('queue')).toContainText(caseNo);

  await expect(page.getByTestId('due-counts')).toContainText('已超期');
  await expect(page.getByTestId('state-counts').locator('[data-code="received"]')).toBeVisible();

  await page.getByLabel('状态', { exact: true }).selectOption({ label: '已办结' });
  await page.getByRole('button', { name: '筛选', exact: true }).click();
  await expect(page).toHaveURL(/state=closed/);
  await expect(page.getByTestId('queue')).not.toContainText(caseNo);

  // Most urgent first: the new complaint is due in 7 working days, not within 2.
  await page.getByLabel('状态', { exact: true }).selectOption({ label: '未办结' });
  await page.getByLabel('期限', { exact: true }).selectOption({ label: '2个工作日内到期' });
  await page.getByRole('button', { name: '筛选', exact: true }).click();
  await expect(page).toHaveURL(/due=soon/);
  await expect(page.getByTestId('queue')).not.toContainText(caseNo);
  await page.getByTestId('state-counts').locator('[data-code="received"]').click();
  await expect(page).toHaveURL(/state=received/);
  await expect(page.getByLabel('期限', { exact: true })).toHaveValue('soon');

  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/staff\/login$/);
  await page.goto('/staff');
  await expect(page).toHaveURL(/\/staff\/login$/);
});

test('a handler accepts, mediates and settles a complaint; the consumer follows each step and rates it', async ({
  browser,
  request,
  javaScriptEnabled: js,
}) => {
  const user = `mediator-${js ? 'js' : 'nojs'}`;
  staffAccount(user, 'handler', PASSWORD, '630102');
  const { caseNo, code } = await fileComplaint(request);
  const { context: staffContext, page: staff } = await deskWindow(browser, js);
  const { context: consumerContext, page: consumer } = await phoneWindow(browser, js);

  await consumer.goto('/track');
  await consumer.getByLabel('案件编号').fill(caseNo);
  await consumer.getByLabel('查询码').fill(code);
  await consumer.getByRole('button', { name: '查询', exact: true }).click();
  await expect(consumer.getByTestId('state')).toHaveText('已登记');

  await staff.goto('/staff/login');
  await staff.getByLabel('用户名').fill(user);
  await staff.getByLabel('密码').fill(PASSWORD);
  await staff.getByRole('button', { name: '登录' }).click();
  await staff.getByRole('link', { name: caseNo }).click();
  await expect(staff.getByTestId('state')).toHaveText('已登记');
  await expect(staff.getByText('13812341234')).toBeVisible();

  const step = async (name: string, fill?: (form: Locator) => Promise<void>) => {
    await takeStep(staff, name, fill);
    await expect(staff.getByRole('status')).toContainText(name);
  };
  await step('受理', async (form) => {
    await form.getByLabel('内部备注（消费者不可见，选填）').fill('内部：商家同意协商');
  });
  await expect(staff.getByTestId('state')).toHaveText('已受理');
  await consumer.reload();
  await expect(consumer.getByTestId('state')).toHaveText('已受理');
  await expect(consumer.getByText('内部：商家同意协商')).toHaveCount(0);

  await step('开始调解', async (form) => {
    await form.getByLabel('调解方式').selectOption({ label: '电话调解' });
  });
  await consumer.reload();
  await expect(consumer.getByTestId('timeline')).toContainText('电话调解');

  await step('达成调解协议', async (form) => {
    await form.getByLabel('为消费者挽回的金额（元）').fill('2999');
    await form.getByLabel('调解协议内容').fill('商家退货退款2999元');
  });
  await expect(staff.getByTestId('state')).toHaveText('调解成功');
  await step('办结');
  await consumer.reload();
  await expect(consumer.getByTestId('state')).toHaveText('已办结');
  await expect(consumer.getByTestId('timeline')).toContainText('商家退货退款2999元');
  await expect(consumer.getByText('¥2999.00')).toBeVisible();

  await consumer.getByRole('group', { name: '对办理过程的评价' }).getByLabel('5 很满意').check();
  await consumer.getByRole('group', { name: '问题解决了吗' }).getByLabel('已解决', { exact: true }).check();
  await consumer.getByRole('button', { name: '提交评价' }).click();
  await expect(consumer.getByTestId('rating')).toContainText('已解决');
  await staffContext.close();
  await consumerContext.close();
});

test('two staff acting on one case: the second is told it changed', async ({ browser, javaScriptEnabled: js, request }) => {
  const a = `first-${js ? 'js' : 'nojs'}`;
  const b = `second-${js ? 'js' : 'nojs'}`;
  staffAccount(a, 'handler', PASSWORD, '630102');
  staffAccount(b, 'supervisor', PASSWORD);
  const { caseNo } = await fileComplaint(request);
  const pages = [];
  for (const user of [a, b]) {
    const { page } = await deskWindow(browser, js);
    await signIn(page, user, PASSWORD, js);
    await page.goto(`/staff/cases/${caseNo}`);
    pages.push(page);
  }
  const [first, second] = pages;
  await takeStep(first, '受理');
  await expect(first.getByTestId('state')).toHaveText('已受理');
  await takeStep(second, '不予受理', async (form) => {
    await form.getByLabel('理由（依据条款）').selectOption('1');
    await form.getByLabel('理由（必填，消费者不可见）').fill('承办局未接电话，督办代为处理');
  });
  await expect(second.getByTestId('problem')).toContainText('刚被其他人处理过');
  await expect(second.getByTestId('state')).toHaveText('已受理');
});

test('an intake operator registers a phone complaint; the consumer tracks it with the code', async ({
  browser,
  javaScriptEnabled: js,
}) => {
  const user = `operator-${js ? 'js' : 'nojs'}`;
  staffAccount(user, 'intake_operator', PASSWORD);
  const { context, page } = await deskWindow(browser, js);
  await signIn(page, user, PASSWORD, js);
  await page.getByRole('link', { name: '登记电话、信件、留言、窗口来访' }).click();
  await ready(page, js);
  // Nothing filled: every missing field says so, on the server's check.
  await page.getByRole('button', { name: '登记', exact: true }).click();
  await expect(page.locator('#channel-error')).toHaveText('此项必填。');
  await expect(page.locator('#consumer_phone-error')).toBeVisible();

  await page.getByLabel('来源渠道').selectOption({ label: '电话' });
  await page.getByLabel('办理类型').selectOption({ label: '投诉' });
  await page.getByLabel('商品或服务类别').selectOption({ label: '家用电器' });
  await page.getByLabel('姓名', { exact: true }).fill('李四');
  await page.getByLabel('手机号码').fill('13912345678');
  await page.getByLabel('联系地址').fill('西宁市城中区南大街2号');
  await page.getByLabel('经营者名称').fill('西宁某某电器有限公司');
  await page.getByLabel('经营者地址').fill('西宁市城东区八一路1号');
  await page.getByLabel('所在县（市、区）').selectOption('630102');
  await page.getByLabel('您知道问题的日期').fill(new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10));
  await page.getByLabel('您的具体诉求').selectOption({ label: '修理' });
  await page.getByLabel('事实经过').fill('电话反映：新买的冰箱不制冷，商家不予维修。');
  await page.getByRole('button', { name: '登记', exact: true }).click();
  const caseNo = (await page.getByTestId('case-no').textContent())!;
  const code = (await page.getByTestId('query-code').textContent())!;
  expect(caseNo).toMatch(/^QH-\d{4}-\d{6}$/);

  const { page: consumer } = await phoneWindow(browser, js);
  await consumer.goto('/track');
  await consumer.getByLabel('案件编号').fill(caseNo);
  await consumer.getByLabel('查询码').fill(code);
  await consumer.getByRole('button', { name: '查询', exact: true }).click();
  await expect(consumer.getByTestId('state')).toHaveText('已登记');
  await expect(consumer.getByText('李* 139****5678')).toBeVisible();
  await consumer.context().close();
  await context.close();
});
