import { test, expect, Page, Locator } from '@playwright/test';
import { fileComplaint, staff } from './cases';
import { handlerDesk, lookUp as lookUpCase, phoneWindow, takeStep as takeStaffStep } from './pages';

// The statutory clock as people see it: a paused mediation, a withdrawal after acceptance, and
// what the consumer filed.

async function lookUp(page: Page, js: boolean, caseNo: string, code: string) {
  await lookUpCase(page, js, caseNo, code);
  await expect(page).toHaveURL(new RegExp(`/track/${caseNo}$`));
}

async function takeStep(page: Page, name: string, fill?: (form: Locator) => Promise<void>) {
  await takeStaffStep(page, name, fill);
  await expect(page.getByRole('status')).toContainText(name);
}

test('a handler pauses a mediation for appraisal and resumes it; the consumer and the queue follow the clock', async ({
  browser,
  request,
  javaScriptEnabled: js,
}) => {
  const { caseNo, code } = await fileComplaint(request);
  const { context: staffContext, desk } = await handlerDesk(browser, js, `appraiser-${js ? 'js' : 'nojs'}`, '630102');
  const { context: consumerContext, page: consumer } = await phoneWindow(browser, js);
  await desk.goto(`/staff/cases/${caseNo}`);
  await takeStep(desk, '受理');
  await takeStep(desk, '开始调解', async (form) => {
    await form.getByLabel('调解方式').selectOption({ label: '电话调解' });
  });
  await lookUp(consumer, js, caseNo, code);
  const running = (await consumer.getByTestId('deadline-date').textContent())!.trim();
  expect(running).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  await expect(consumer.getByTestId('deadline-explain')).toContainText('受理之日起60日');

  await takeStep(desk, '检测鉴定，期间暂停计算', async (form) => {
    await form.getByLabel('内部备注（消费者不可见，选填）').fill('送检：洗衣机电机');
  });
  await expect(desk.getByTestId('staff-deadline')).toContainText('起暂停计时');
  await consumer.reload();
  await expect(consumer.getByTestId('deadline-date')).toHaveText('计时暂停');
  await expect(consumer.getByTestId('countdown')).toHaveCount(0);
  await expect(consumer.getByTestId('deadline-explain')).toContainText('恢复后还有60日');
  await expect(consumer.getByText('送检：洗衣机电机')).toHaveCount(0);
  // The queue says why the case has no date (newest first: undated cases sort last by urgency).
  await desk.goto('/staff?sort=newest');
  await expect(desk.getByRole('row').filter({ hasText: caseNo })).toContainText('计时暂停');
  await desk.goto(`/staff/cases/${caseNo}`);

  await takeStep(desk, '检测鉴定结束，恢复计算期间');
  await consumer.reload();
  // Paused and resumed on the same day: no day was left out, so the date is the same one.
  await expect(consumer.getByTestId('deadline-date')).toHaveText(running);
  await expect(consumer.getByTestId('countdown')).toBeVisible();
  await expect(desk.getByTestId('staff-deadline')).toContainText(running);
  await desk.goto('/staff');
  await expect(desk.getByRole('row').filter({ hasText: caseNo })).toContainText(running);
  await staffContext.close();
  await consumerContext.close();
});

test('a consumer withdraws an accepted complaint; the staff see the termination notice due', async ({
  page,
  browser,
  request,
  javaScriptEnabled: js,
}) => {
  const { caseNo, code } = await fileComplaint(request);
  staff(caseNo, ['accept']);
  await lookUp(page, js, caseNo, code);
  await page.getByRole('link', { name: '撤回投诉/咨询…' }).click();
  await expect(page.getByText('调解将以“投诉人撤回投诉”为由终止')).toBeVisible();
  await page.getByLabel('是的，我要撤回').check();
  await page.getByRole('button', { name: '确认撤回' }).click();
  await expect(page.getByTestId('state')).toHaveText('终止调解');
  await expect(page.getByTestId('timeline')).toContainText('投诉人撤回投诉');
  await expect(page.getByTestId('deadline-explain')).toContainText('撤回投诉之日起7个工作日');

  const { context: ctx, desk } = await handlerDesk(browser, js, `terminator-${js ? 'js' : 'nojs'}`, '630102');
  await desk.goto(`/staff/cases/${caseNo}`);
  await expect(desk.getByTestId('state')).toHaveText('终止调解');
  await expect(desk.getByTestId('staff-deadline')).toContainText('撤回投诉之日起7个工作日');
  await expect(desk.getByTestId('staff-deadline')).toContainText('告知双方');
  await takeStep(desk, '办结');
  await expect(desk.getByTestId('state')).toHaveText('已办结');
  await ctx.close();
});

test('a consumer sees what they filed, and never a staff note', async ({ page, request, javaScriptEnabled: js }) => {
  const { caseNo, code } = await fileComplaint(request, '13812341234', { order_no: 'NO-20261202-7', demand_text: '退货并退款' });
  staff(caseNo, ['accept', 'note=内部：商家是老客户']);
  await lookUp(page, js, caseNo, code);
  const filed = page.getByTestId('filed');
  await expect(filed).toContainText('购买的洗衣机第二天就无法脱水，商家拒绝退货。');
  await expect(filed).toContainText('退款：退货并退款');
  await expect(filed).toContainText('西宁市城东区八一路1号');
  await expect(filed).toContainText('2999.00');
  await expect(filed).toContainText('NO-20261202-7');
  await expect(page.getByText('内部：商家是老客户')).toHaveCount(0);
});

test('a complaint about a business in another province is sent there and stays trackable here', async ({
  browser,
  page,
  request,
  javaScriptEnabled: js,
}) => {
  const { caseNo, code } = await fileComplaint(request);
  const { context, desk } = await handlerDesk(browser, js, `interprovincial-${js ? 'js' : 'nojs'}`, '630102');
  await desk.goto(`/staff/cases/${caseNo}`);
  await takeStep(desk, '移送外省市场监管部门', async (form) => {
    // Where the rule sits: the platform's registration place for a merchant who cannot be reached.
    await expect(form.getByTestId('jurisdiction-rule')).toContainText('平台经营者住所地');
    await form.getByLabel('移送至（省、自治区、直辖市）').selectOption({ label: '浙江省' });
  });
  await expect(desk.getByTestId('state')).toHaveText('已移送外省');
  await expect(desk.getByTestId('actions').locator('details')).toHaveCount(0);
  await context.close();

  await lookUp(page, js, caseNo, code);
  await expect(page.getByTestId('state')).toHaveText('已移送外省');
  await expect(page.getByTestId('transferred-out')).toContainText('本件已移送浙江省市场监督管理部门处理');
  await expect(page.getByTestId('timeline')).toContainText('浙江省');
  await expect(page.getByTestId('deadline-date')).toHaveCount(0);
  await expect(page.getByRole('link', { name: '撤回投诉/咨询…' })).toHaveCount(0);
});
