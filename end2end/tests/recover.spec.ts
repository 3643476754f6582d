import { test, expect, Page, APIRequestContext } from '@playwright/test';
import { fileComplaint } from './cases';
import { ready } from './pages';

// A consumer who lost the query code proves the mobile number on the case with a code sent by
// text message (read here from the recording gateway that scripts/test starts), and gets back to
// the case; with JavaScript and without, in Chinese and in English.

const gateway = process.env.SMS_GATEWAY ?? 'http://127.0.0.1:3190';

/** A mobile number of this run alone (the budgets count per number). */
function freshPhone() {
  return `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
}

/** The one-time code the gateway got for `phone`. */
async function codeSentTo(request: APIRequestContext, phone: string): Promise<string> {
  let code = '';
  await expect
    .poll(
      async () => {
        const got = await (await request.get(`${gateway}/messages?phone=${phone}`)).json();
        const sms = got.find((m: { template: string }) => m.template === '12315_code');
        code = sms?.params?.code ?? '';
        return code;
      },
      { timeout: 10_000 },
    )
    .toMatch(/^\d{6}$/);
  return code;
}

async function backIn(page: Page, request: APIRequestContext, js: boolean, phone: string, caseNo: string, t: Record<string, string>) {
  await page.goto('/track');
  await ready(page, js);
  await page.getByRole('link', { name: t.lost }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(t.title);
  await ready(page, js);
  await page.getByLabel(t.phone, { exact: true }).fill(phone);
  await page.getByRole('button', { name: t.send }).click();
  await expect(page.getByTestId('code-sent')).toContainText(phone.slice(-4));
  await expect(page.getByTestId('code-sent')).not.toContainText(phone);
  const code = await codeSentTo(request, phone);
  await ready(page, js);
  await page.getByLabel(t.code, { exact: true }).fill(code);
  await page.getByRole('button', { name: t.confirm, exact: true }).click();
  await expect(page).toHaveURL(/\/track\/recover\/cases$/);
  await expect(page.getByTestId('recovered-case')).toHaveCount(1);
  await expect(page.getByTestId('recovered-case')).toContainText(caseNo);
  await expect(page.getByTestId('recovered')).not.toContainText(phone);
  await page.getByRole('button', { name: `${t.open} ${caseNo}` }).click();
  await expect(page).toHaveURL(new RegExp(`/track/${caseNo}$`));
  await expect(page.getByTestId('timeline')).toBeVisible();
}

test('a consumer who lost the query code gets back to the case with a code by text message', async ({
  page,
  request,
  javaScriptEnabled: js,
}) => {
  const phone = freshPhone();
  const { caseNo } = await fileComplaint(request, phone);
  await backIn(page, request, js, phone, caseNo, {
    lost: '忘记查询码？用手机号码找回',
    title: '用手机号码找回案件',
    phone: '手机号码',
    send: '发送验证码',
    code: '短信验证码',
    confirm: '确认',
    open: '查看进度',
  });
});

test('in English, and a fixed line or a wrong code is told apart, field by field', async ({
  page,
  context,
  request,
  baseURL,
  javaScriptEnabled: js,
}) => {
  await context.addCookies([{ name: 'lang', value: 'en', url: baseURL! }]);
  await page.goto('/track/recover');
  await ready(page, js);
  await page.getByLabel('Mobile number', { exact: true }).fill('0971-6123456');
  await page.getByRole('button', { name: 'Send the code' }).click();
  await expect(page.locator('#phone-error')).toContainText('a fixed line cannot take text messages');
  // A number that filed nothing gets the same answer as one that did, and no text message.
  const stranger = freshPhone();
  await page.getByLabel('Mobile number', { exact: true }).fill(stranger);
  await page.getByRole('button', { name: 'Send the code' }).click();
  await expect(page.getByTestId('code-sent')).toContainText('If 139****');
  await page.getByLabel('Code from the text message', { exact: true }).fill('123456');
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();
  await expect(page.locator('#code-error')).toContainText('wrong or no longer holds');
  expect(await (await request.get(`${gateway}/messages?phone=${stranger}`)).json()).toEqual([]);

  const phone = freshPhone();
  const { caseNo } = await fileComplaint(request, phone);
  await context.clearCookies();
  await context.addCookies([{ name: 'lang', value: 'en', url: baseURL! }]);
  await backIn(page, request, js, phone, caseNo, {
    lost: 'Lost the query code? Get back in with your phone',
    title: 'Find your cases with your phone number',
    phone: 'Mobile number',
    send: 'Send the code',
    code: 'Code from the text message',
    confirm: 'Confirm',
    open: 'See progress',
  });
});
