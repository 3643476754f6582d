import { Page, expect } from '@playwright/test';
import { PNG } from './cases';

// Moves through the filing form as a consumer does, shared by the filing specs.

export async function ready(page: Page, js: boolean) {
  if (js) await expect(page.locator('html[data-hydrated="1"]')).toHaveCount(1);
}

/** Opens the filing form, ready to be filled. */
export async function openFiling(page: Page, js: boolean) {
  await page.goto('/file');
  await ready(page, js);
}

export async function answer(page: Page, question: string, choice: '是' | '否') {
  await page.getByRole('group', { name: question }).getByLabel(choice, { exact: true }).check();
}

export async function next(page: Page) {
  await page.getByRole('button', { name: '下一步' }).click();
}

export async function scopeOk(page: Page) {
  await answer(page, '您是为生活消费购买商品或接受服务吗？', '是');
  await answer(page, '这是您与经营者（商家）之间的纠纷吗？', '是');
  await answer(page, '法院、仲裁机构、消费者协会或其他部门是否已经受理过这一纠纷？', '否');
  await answer(page, '您知道自己权益受损是在三年以内吗？', '是');
  await next(page);
}

export function today() {
  const d = new Date(Date.now() + 8 * 3600 * 1000);
  return d.toISOString().slice(0, 10);
}

/** The kind comes first: a complaint, then its scope check. */
export async function complaintInScope(page: Page) {
  await page.getByLabel('投诉：与经营者的消费纠纷，请求调解').check();
  await next(page);
  await scopeOk(page);
}

/** The business step: its name, address and county, then on. */
export async function business(page: Page, name: string, address: string, county: string) {
  await page.getByLabel('经营者名称').fill(name);
  await page.getByLabel('经营者地址').fill(address);
  await page.getByLabel('所在县（市、区）').selectOption(county);
  await next(page);
}

/** What happened, for a complaint: the category, when, the demand and the facts (then on, unless `stay`). */
export async function incident(page: Page, category: string, on: string, demand: string, facts: string, stay = false) {
  await page.getByLabel('商品或服务类别').selectOption({ label: category });
  await page.getByLabel('您知道问题的日期').fill(on);
  await page.getByLabel('您的具体诉求').selectOption({ label: demand });
  await page.getByLabel('事实经过').fill(facts);
  if (!stay) await next(page);
}

/** The contact step: name, phone and address, then on. */
export async function contact(page: Page, name: string, phone: string, address: string) {
  await page.getByLabel('姓名', { exact: true }).fill(name);
  await page.getByLabel('手机号码').fill(phone);
  await page.getByLabel('联系地址').fill(address);
  await next(page);
}

/** On the evidence step: attaches the PNG as `name` (without JavaScript, by the upload button), sees it counted, goes on. */
export async function uploadPng(page: Page, js: boolean, name: string) {
  await page.getByLabel('选择照片或PDF文件').setInputFiles({ name, mimeType: 'image/png', buffer: PNG });
  if (!js) await page.getByRole('button', { name: '上传所选文件' }).click();
  await expect(page.getByTestId('evidence-count')).toContainText('已上传 1 个文件');
  await next(page);
}

export async function fillToReview(page: Page) {
  await complaintInScope(page);
  await business(page, '海东某某超市', '海东市乐都区某路2号', '630202');
  await incident(page, '食品', today(), '赔偿', '买到过期食品，要求按法律规定赔偿。');
  await page.getByLabel('姓名', { exact: true }).fill('李四');
  await page.getByLabel('手机号码').fill('13912345678');
  await page.getByLabel('联系地址').fill('海东市平安区某路3号');
  await next(page);
  await next(page); // no evidence
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('核对并提交');
}
