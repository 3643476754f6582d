import { test, expect } from '@playwright/test';
import { lookUp, ready } from './pages';
import { fileComplaint, staff, CLOSED_BY_SETTLEMENT, PNG } from './cases';

test('a consumer looks a case up, sees its timeline and deadline, and adds a photo', async ({
  page,
  request,
  javaScriptEnabled: js,
}) => {
  const { caseNo, code } = await fileComplaint(request);
  // Nothing typed: the form says what is missing, next to each field.
  await page.goto('/track');
  await ready(page, js);
  await page.getByRole('button', { name: '查询', exact: true }).click();
  await expect(page.locator('#case_no-error')).toBeVisible();
  await expect(page.locator('#code-error')).toHaveText('此项必填。');

  await lookUp(page, js, caseNo, code.toLowerCase());
  await expect(page).toHaveURL(new RegExp(`/track/${caseNo}$`));
  await expect(page.getByTestId('case-no')).toHaveText(caseNo);
  await expect(page.getByTestId('timeline')).toContainText('收到');
  await expect(page.getByTestId('deadline-date')).toHaveText(/^\d{4}-\d{2}-\d{2}$/);
  await expect(page.getByTestId('countdown')).toContainText(/个工作日|今天到期/);
  await expect(page.getByText('张* 138****1234')).toBeVisible();
  await expect(page.getByText('13812341234')).toHaveCount(0);

  // The page can be reloaded without typing the code again.
  await page.reload();
  await expect(page.getByTestId('timeline')).toBeVisible();

  // Staff accept it; the timeline shows the step.
  staff(caseNo, ['accept', 'note=内部：已电话联系商家']);
  await page.reload();
  await expect(page.getByTestId('state')).toHaveText('已受理');
  await expect(page.getByText('内部：已电话联系商家')).toHaveCount(0);
  await expect(page.getByTestId('deadline-date')).toBeVisible();

  await page.getByLabel('补充说明').fill('商家客服电话一直无人接听。');
  await page.getByLabel('证据文件').setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: PNG });
  await page.getByRole('button', { name: '提交补充材料' }).click();
  await expect(page.getByRole('status')).toHaveText('已收到您补充的材料。');
  await expect(page.getByTestId('timeline')).toContainText('商家客服电话一直无人接听。');
  await expect(page.getByTestId('evidence-list')).toContainText('PNG');
});

test('a consumer rates a closed case; "not resolved" offers the next routes', async ({
  page,
  request,
  javaScriptEnabled: js,
}) => {
  const { caseNo, code } = await fileComplaint(request);
  staff(caseNo, ...CLOSED_BY_SETTLEMENT);
  await lookUp(page, js, caseNo, code);
  await expect(page.getByTestId('state')).toHaveText('已办结');
  await expect(page.getByTestId('timeline')).toContainText('达成调解协议');
  await expect(page.getByText('¥2999.00')).toBeVisible();
  await expect(page.getByText('内部备注')).toHaveCount(0);

  // Nothing chosen: both questions say so.
  await page.getByRole('button', { name: '提交评价' }).click();
  await expect(page.locator('#process-error')).toHaveText('此项必填。');
  await expect(page.locator('#outcome-error')).toHaveText('此项必填。');

  await page.getByRole('group', { name: '对办理过程的评价' }).getByLabel('2 不满意').check();
  await page.getByRole('group', { name: '问题解决了吗' }).getByLabel('未解决').check();
  await page.getByLabel('意见（选填）').fill('退款至今没有到账。');
  await page.getByRole('button', { name: '提交评价' }).click();
  await expect(page.getByRole('status')).toHaveText('感谢您的评价。');
  await expect(page.getByTestId('rating')).toContainText('未解决');
  await expect(page.getByTestId('next-routes')).toContainText('人民法院');

  // It may be changed for seven days.
  await page.getByRole('group', { name: '问题解决了吗' }).getByLabel('部分解决').check();
  await page.getByRole('button', { name: '修改评价' }).click();
  await expect(page.getByTestId('rating')).toContainText('部分解决');
  await expect(page.getByTestId('next-routes')).toHaveCount(0);
});

test('a consumer withdraws a case after confirming', async ({ page, request, javaScriptEnabled: js }) => {
  const { caseNo, code } = await fileComplaint(request);
  await lookUp(page, js, caseNo, code);
  await page.getByRole('link', { name: '撤回投诉/咨询…' }).click();
  await page.getByRole('button', { name: '确认撤回' }).click();
  await expect(page.locator('#confirm-error')).toHaveText('此项必填。');
  await page.getByLabel('是的，我要撤回').check();
  await page.getByRole('button', { name: '确认撤回' }).click();
  await expect(page.getByTestId('state')).toHaveText('已撤回');
  await expect(page.getByRole('button', { name: '提交补充材料' })).toHaveCount(0);
});

test('after five wrong codes, that browser must wait before it tries again', async ({ page, request, javaScriptEnabled: js }) => {
  // The server under test takes the client's address from `x-real-ip` (as behind a proxy): this
  // test's failures count against an address of its own, not against every other test's.
  await page.setExtraHTTPHeaders({ 'x-real-ip': `192.0.2.${Math.floor(Math.random() * 250) + 1}` });
  const { caseNo, code } = await fileComplaint(request);
  const wrong = code === 'ABCD-EFGH' ? 'ABCD-EFGJ' : 'ABCD-EFGH';
  for (let i = 1; i <= 4; i++) {
    await lookUp(page, js, caseNo, wrong);
    await expect(page.getByRole('alert')).toContainText('与查询码不匹配');
  }
  await lookUp(page, js, caseNo, wrong);
  await expect(page.getByRole('alert')).toContainText('尝试次数过多');
  await expect(page.getByRole('alert')).toContainText('北京时间');
  // Even the right code waits now.
  await lookUp(page, js, caseNo, code);
  await expect(page.getByRole('alert')).toContainText('尝试次数过多');
  await expect(page).toHaveURL(/\/track$/);
});
