import { test, expect } from '@playwright/test';
import { fileComplaint } from './cases';
import { business, next, openFiling } from './filing';
import { handlerDesk, lookUp, trackFromReceipt } from './pages';

// Reports may be anonymous: nobody's name or contact is asked for or kept, and the reporter
// follows the case with its number and query code.

test('an anonymous report is filed, tracked by its code, and shown to staff without a reporter', async ({
  page,
  browser,
  javaScriptEnabled: js,
}) => {
  await openFiling(page, js);
  await page.getByLabel('举报：反映经营者的违法行为，请求查处').check();
  await next(page);
  // A report is not the reporter's own dispute: the complaint's four scope questions are not asked.
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('经营者信息');
  await expect(page.getByText('第 2 步，共 6 步')).toBeVisible();
  await expect(page.getByRole('group', { name: '这是您与经营者（商家）之间的纠纷吗？' })).toHaveCount(0);
  await business(page, '西宁某某超市', '西宁市城东区八一路9号', '630102');
  await page.getByLabel('商品或服务类别').selectOption({ index: 1 });
  await page.getByLabel('事实经过').fill('该超市销售过期食品，货架上的酸奶已过保质期三天。');
  await next(page);

  await expect(page.getByRole('heading', { level: 2 })).toHaveText('您的联系方式');
  // Without the box ticked, a report names its reporter like anything else.
  await next(page);
  await expect(page.locator('#consumer_name-error')).toHaveText('此项必填。');
  await page.getByLabel('匿名举报（不留姓名和联系方式）').check();
  if (js) await expect(page.getByLabel('姓名', { exact: true })).toBeHidden();
  await next(page);
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('证据材料（选填）');
  await next(page);
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('核对并提交');
  await expect(page.getByText('匿名举报（不留姓名和联系方式）')).toBeVisible();
  await page.getByRole('button', { name: '提交' }).click();

  const { caseNo } = await trackFromReceipt(page, js);
  await expect(page).toHaveURL(new RegExp(`/track/${caseNo}$`));
  await expect(page.getByTestId('state')).toHaveText('已登记');
  await expect(page.getByText('匿名', { exact: true })).toBeVisible();
  await expect(page.getByTestId('filed')).toContainText('过期食品');
  // A report is information for the bureau: there is nothing to withdraw.
  await expect(page.getByRole('link', { name: '撤回投诉/咨询…' })).toHaveCount(0);

  const { context, desk } = await handlerDesk(browser, js, `verifier-${js ? 'js' : 'nojs'}`, '630102');
  await desk.goto(`/staff/cases/${caseNo}`);
  await expect(desk.getByTestId('staff-consumer')).toHaveText('匿名举报');
  await context.close();
});

test('a named reporter cannot withdraw a report but may stop being told of it', async ({
  page,
  request,
  javaScriptEnabled: js,
}) => {
  const { caseNo, code } = await fileComplaint(request, '13812345678', {
    kind: 'report',
    category: 'R01',
    demand: '',
    facts: '该超市销售过期食品，货架上的酸奶已过保质期三天。',
  });
  await lookUp(page, js, caseNo, code);
  await expect(page).toHaveURL(new RegExp(`/track/${caseNo}$`));
  await expect(page.getByRole('link', { name: '撤回投诉/咨询…' })).toHaveCount(0);
  await expect(page.getByText('举报是提供给监管部门的违法线索，不能撤回')).toBeVisible();
  await page.getByRole('button', { name: '不再告知我' }).click();
  await expect(page.locator('.flash')).toHaveText('已记录：办理部门不再向您告知本举报的处理情况。');
  await expect(page.getByTestId('timeline')).toContainText('举报人选择不再接收告知');
  // Asked once: the form is gone.
  await expect(page.getByRole('button', { name: '不再告知我' })).toHaveCount(0);
  // The bureau's own period runs on.
  await expect(page.getByTestId('deadline-explain')).toContainText('15个工作日');
});
