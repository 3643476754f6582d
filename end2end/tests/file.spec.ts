import { test, expect, Page } from '@playwright/test';
import { handlerDesk, trackFromReceipt } from './pages';
import {
  answer,
  business,
  complaintInScope,
  contact,
  fillToReview,
  incident,
  next,
  openFiling,
  ready,
  scopeOk,
  today,
  uploadPng,
} from './filing';

test('a consumer files a complaint on a phone and gets a receipt', async ({ page, javaScriptEnabled }) => {
  await openFiling(page, javaScriptEnabled);
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('您要办理什么');
  await expect(page.getByText('第 1 步，共 7 步')).toBeVisible();
  // Nothing chosen: the step says what is missing.
  await next(page);
  await expect(page.getByRole('alert').filter({ hasText: '请修改以下内容' })).toBeVisible();
  await expect(page.locator('#kind-error')).toHaveText('此项必填。');
  await page.getByLabel('投诉：与经营者的消费纠纷，请求调解').check();
  await next(page);

  // A complaint is asked the four scope questions next.
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('先确认能否受理');
  await next(page);
  await expect(page.locator('#personal_use-error')).toHaveText('此项必填。');
  await scopeOk(page);

  await expect(page.getByRole('heading', { level: 2 })).toHaveText('经营者信息');
  await page.getByLabel('经营者名称').fill('西宁某某电器有限公司');
  await page.getByLabel('统一社会信用代码（选填）').fill('91350100M000100Y44');
  await page.getByLabel('经营者地址').fill('西宁市城东区八一路1号');
  await page.getByLabel('所在县（市、区）').selectOption('630102');
  if (javaScriptEnabled) await expect(page.getByText('城东区市场监督管理局')).toBeVisible();
  await next(page);
  // The wrong check character is caught (in the browser with JavaScript, on the server without).
  await expect(page.locator('#business_credit_code-error')).toHaveText('校验码不符，请核对是否抄错。');
  await page.getByLabel('统一社会信用代码（选填）').fill('91350100M000100Y43');
  if (javaScriptEnabled) await expect(page.locator('#business_credit_code-error')).toHaveCount(0);
  await next(page);

  await expect(page.getByRole('heading', { level: 2 })).toHaveText('发生了什么');
  await page.getByLabel('商品或服务类别').selectOption({ label: '家用电器' });
  await page.getByLabel('您知道问题的日期').fill(today());
  await page.getByLabel('支付金额（元，选填）').fill('2999.00');
  await page.getByLabel('您的具体诉求').selectOption({ label: '退款' });
  await page.getByLabel('事实经过').fill('购买的洗衣机第二天就无法脱水，商家拒绝退货。<b>不是标记</b>');
  await next(page);

  await expect(page.getByRole('heading', { level: 2 })).toHaveText('您的联系方式');
  await page.getByLabel('姓名', { exact: true }).fill('张三');
  await page.getByLabel('手机号码').fill('13812341234');
  await page.getByLabel('联系地址').fill('西宁市城西区胜利路8号');
  await next(page);

  await expect(page.getByRole('heading', { level: 2 })).toHaveText('证据材料（选填）');
  await uploadPng(page, javaScriptEnabled, 'receipt.png');

  await expect(page.getByRole('heading', { level: 2 })).toHaveText('核对并提交');
  await expect(page.getByText('138****1234')).toBeVisible();
  await expect(page.getByText('13812341234')).toHaveCount(0);
  await expect(page.getByText('<b>不是标记</b>', { exact: false })).toBeVisible();
  await page.getByRole('button', { name: '提交' }).click();

  await expect(page).toHaveURL(/\/file\/done\/QH-\d{4}-\d{6}$/);
  const caseNo = page.url().split('/').pop()!;
  await expect(page.getByTestId('case-no')).toHaveText(caseNo);
  await expect(page.getByTestId('query-code')).toHaveText(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
  await expect(page.getByTestId('due')).toContainText('作出是否受理的决定');
  await expect(page.locator('.qr svg')).toHaveCount(1);
  // Shown once: a reload no longer shows the code.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('回执只显示一次');
  await expect(page.getByTestId('query-code')).toHaveCount(0);
});

test('an answer that points to a refusal says what it means, before anything is typed, and the complaint may still be filed', async ({ page, javaScriptEnabled }) => {
  await openFiling(page, javaScriptEnabled);
  await page.getByLabel('投诉：与经营者的消费纠纷，请求调解').check();
  await next(page);
  await answer(page, '您是为生活消费购买商品或接受服务吗？', '是');
  await answer(page, '这是您与经营者（商家）之间的纠纷吗？', '是');
  await answer(page, '法院、仲裁机构、消费者协会或其他部门是否已经受理过这一纠纷？', '是');
  await answer(page, '您知道自己权益受损是在三年以内吗？', '否');
  await next(page);
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('经营者信息');
  const note = page.locator('#scope-stop');
  await expect(note).toContainText('很可能依法不予受理');
  await expect(note).toContainText('已经受理或者处理过同一争议');
  await expect(note).toContainText('请在该机构继续办理');
  await expect(note).toContainText('您仍然可以提交投诉');
  await business(page, '海东某某超市', '海东市乐都区某路2号', '630202');
  // More than three years ago: said plainly, and not an error.
  await incident(page, '食品', '2021-06-01', '赔偿', '买到过期食品，要求按法律规定赔偿。', true);
  if (javaScriptEnabled) await expect(page.locator('#limitation-note')).toContainText('已超过3年');
  await next(page);
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('您的联系方式');
  await contact(page, '李四', '0971-6123456', '海东市平安区某路3号');
  await next(page); // no evidence
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('核对并提交');
  await expect(page.locator('#limitation-note')).toContainText('投诉很可能不予受理');
  await expect(page.getByText('0971-***3456')).toBeVisible();
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page).toHaveURL(/\/file\/done\/QH-\d{4}-\d{6}$/);
});

test('a double tap on submit files one case', async ({ page, javaScriptEnabled }) => {
  await openFiling(page, javaScriptEnabled);
  await fillToReview(page);
  const locations: string[] = [];
  const keys: string[] = [];
  let functionCalls = 0;
  page.on('response', (r) => {
    if (r.request().method() !== 'POST') return;
    if (r.url().includes('/api/')) {
      functionCalls++;
      keys.push(JSON.parse(r.request().postData() ?? '{}').form?.key ?? '');
    }
    if (r.url().endsWith('/file') && r.headers()['location']) locations.push(r.headers()['location']);
  });
  await page.getByRole('button', { name: '提交' }).dblclick();
  await expect(page).toHaveURL(/\/file\/done\/QH-\d{4}-\d{6}$/);
  await expect(page.getByTestId('query-code')).toBeVisible();
  if (javaScriptEnabled) {
    expect(functionCalls).toBe(1);
    // The draft's key: 128 random bits from crypto.getRandomValues (or the server's own, when the
    // page was first rendered by it), never a guessable one.
    expect(keys[0]).toMatch(/^[wn]-[0-9a-f]{32}$/);
  } else {
    // Every post of the same draft is answered with the same case.
    expect(locations.length).toBeGreaterThanOrEqual(1);
    expect(new Set(locations).size).toBe(1);
  }
});

test('with JavaScript the draft survives a reload', async ({ page, javaScriptEnabled }) => {
  await openFiling(page, javaScriptEnabled);
  await page.getByLabel('举报：反映经营者的违法行为，请求查处').check();
  await next(page);
  await page.getByLabel('经营者名称').fill('某某药店');
  if (javaScriptEnabled) {
    await page.reload();
    await ready(page, true);
    await expect(page.getByRole('heading', { level: 2 })).toHaveText('经营者信息');
    await expect(page.getByLabel('经营者名称')).toHaveValue('某某药店');
  } else {
    // Without JavaScript nothing is kept anywhere before submission: a reload starts again.
    await page.goto('/file');
    await expect(page.getByRole('heading', { level: 2 })).toHaveText('您要办理什么');
  }
});

test('an oversized or wrongly typed upload is refused with a message', async ({ page, javaScriptEnabled }) => {
  await openFiling(page, javaScriptEnabled);
  await fillToReview(page);
  await page.getByRole('button', { name: '上一步' }).click();
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('证据材料（选填）');
  const input = page.getByLabel('选择照片或PDF文件');
  const upload = async () => {
    if (!javaScriptEnabled) await page.getByRole('button', { name: '上传所选文件' }).click();
  };
  // A script renamed to .jpg: refused by its content.
  await input.setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('<script>alert(1)</script>') });
  await upload();
  await expect(page.locator('#evidence-error')).toHaveText('只能上传照片（JPEG、PNG、WebP、HEIC）或PDF文件。');
  // Just over 10 MB.
  const big = Buffer.alloc(10 * 1024 * 1024 + 1);
  big[0] = 0xff; big[1] = 0xd8; big[2] = 0xff;
  await input.setInputFiles({ name: 'big.jpg', mimeType: 'image/jpeg', buffer: big });
  await upload();
  await expect(page.locator('#evidence-error')).toHaveText('文件超过10MB，请压缩或拍得小一些后再上传。');
  await expect(page.getByTestId('evidence-count')).toContainText('已上传 0 个文件');
});

test('the filing form speaks English when asked, and starts from the home page', async ({ page, javaScriptEnabled }) => {
  await page.goto('/');
  await ready(page, javaScriptEnabled);
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await ready(page, javaScriptEnabled);
  await page.getByRole('main').getByRole('link', { name: 'File a complaint or report' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('File a complaint, report or question');
  await ready(page, javaScriptEnabled);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.locator('#kind-error')).toHaveText('This field is required.');
  await page.context().clearCookies();
});

test('an agent files a complaint for a consumer under a power of attorney, and staff can reach the agent', async ({
  page,
  browser,
  javaScriptEnabled: js,
}) => {
  await openFiling(page, js);
  await complaintInScope(page);
  await business(page, '西宁某某家具城', '西宁市城中区南大街3号', '630103');
  await incident(page, '家具用品', today(), '退款', '为母亲购买的沙发送货后发现开裂，商家拒绝更换。');

  await expect(page.getByRole('heading', { level: 2 })).toHaveText('您的联系方式');
  await expect(page.getByLabel('为我本人投诉')).toBeChecked();
  await page.getByLabel('受消费者委托代为投诉（持有签名的授权委托书）').check();
  await expect(page.locator('#agent-rule')).toContainText('授权委托书');
  await page.getByLabel('姓名', { exact: true }).fill('赵老太');
  await page.getByLabel('手机号码').fill('0971-6123456');
  await page.getByLabel('联系地址').fill('西宁市城中区南关街8号');
  await next(page);
  // The agent's own name and phone are asked for (shown at once with JavaScript, after the post without).
  await expect(page.locator('#agent_name-error')).toHaveText('此项必填。');
  await page.getByLabel('代理人（您）的姓名').fill('赵小明');
  await page.getByLabel('代理人（您）的电话').fill('13900001234');
  await next(page);

  await expect(page.getByRole('heading', { level: 2 })).toHaveText('证据材料（选填）');
  await expect(page.locator('#authority-note')).toContainText('授权委托书');
  await uploadPng(page, js, 'authority.png');
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('核对并提交');
  await expect(page.getByText('139****1234')).toBeVisible();
  await page.getByRole('button', { name: '提交' }).click();

  const { caseNo } = await trackFromReceipt(page, js);
  await expect(page.getByTestId('representation')).toHaveText('代理人 赵** 139****1234，凭授权委托书代为投诉');
  await expect(page.getByText('13900001234')).toHaveCount(0);

  const { context, desk } = await handlerDesk(browser, js, `agent-desk-${js ? 'js' : 'nojs'}`, '630103');
  await desk.goto(`/staff/cases/${caseNo}`);
  await expect(desk.getByTestId('staff-representation')).toHaveText('代理人 赵小明 13900001234，凭授权委托书代为投诉');
  await expect(desk.getByTestId('staff-consumer')).toContainText('赵老太');
  await context.close();
});

test('an e-mail address is optional, checked on the contact step, and shown for review', async ({ page, javaScriptEnabled }) => {
  await openFiling(page, javaScriptEnabled);
  await fillToReview(page);
  await page.getByRole('button', { name: '上一步' }).click();
  await page.getByRole('button', { name: '上一步' }).click();
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('您的联系方式');
  const email = page.getByLabel('电子邮箱（选填）');
  await expect(email).toHaveAttribute('type', 'email');
  await email.fill('lisi@');
  await next(page);
  await expect(page.locator('#consumer_email-error')).toHaveText('请填写有效的电子邮箱地址，例如 name@example.cn，或留空。');
  await page.getByLabel('电子邮箱（选填）').fill('lisi@example.cn');
  await next(page);
  await next(page); // no evidence
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('核对并提交');
  await expect(page.getByText('lisi@example.cn')).toBeVisible();
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page).toHaveURL(/\/file\/done\/QH-\d{4}-\d{6}$/);
});
