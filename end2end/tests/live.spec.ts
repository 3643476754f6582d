import { test, expect } from '@playwright/test';
import { fileComplaint, screenFollow, staffAccount } from './cases';
import { signIn } from './signin';

// The big screen is kept live by server-sent events (JavaScript): a staff step taken in another
// browser shows on the screen within 2 seconds. Runs in the JavaScript project only.

test('the big screen shows a staff step from another browser within 2 s', async ({ page, browser, request, baseURL }) => {
  const { caseNo } = await fileComplaint(request);
  screenFollow(caseNo);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto('/stats/screen');
  await expect(page.getByTestId('live-status')).toHaveAttribute('data-state', 'open');
  await expect(page.getByTestId('walk').locator('[aria-current="step"]')).toHaveText('登记');
  const before = await page.getByTestId('screen-year_received').textContent();

  // A supervisor, in a browser of their own, accepts the case.
  const staffContext = await browser.newContext({ baseURL });
  const console_ = await staffContext.newPage();
  staffAccount('screen-supervisor', 'supervisor', 'a long staff password');
  await signIn(console_, 'screen-supervisor', 'a long staff password');
  await console_.goto(`/staff/cases/${caseNo}`);
  const form = console_.getByTestId('actions').locator('details').filter({ has: console_.locator('summary', { hasText: /^受理$/ }) });
  await form.locator('summary').click();
  await form.getByLabel('理由（必填，消费者不可见）').fill('开放日现场演示');
  await form.getByRole('button', { name: '受理', exact: true }).click();
  await expect(console_.getByTestId('state')).toContainText('已受理');

  // On the wall, within 2 s: the ticker, the walk-through, and the figures stay current.
  await expect(page.getByTestId('ticker').locator('li.new', { hasText: '已受理' })).not.toHaveCount(0, { timeout: 2000 });
  await expect(page.getByTestId('walk').locator('[aria-current="step"]')).toHaveText('受理决定', { timeout: 2000 });
  await expect(page.getByTestId('ticker')).not.toContainText('张三');
  await expect(page.getByTestId('ticker')).not.toContainText(caseNo);
  // A new filing counts in the year's figure.
  await fileComplaint(request);
  await expect(page.getByTestId('screen-year_received')).not.toHaveText(before!, { timeout: 2000 });
  await staffContext.close();
});

// In this file, so that it never runs beside the test above: both choose what the wall follows.
test('a supervisor chooses in the console the case the wall walks through, and it is audited', async ({ page, request }) => {
  const { caseNo } = await fileComplaint(request, '13822223333', { category: 'G08' });
  staffAccount('screen-chooser', 'supervisor', 'a long staff password');
  await signIn(page, 'screen-chooser', 'a long staff password');
  await page.goto(`/staff/cases/${caseNo}`);
  const choice = page.getByTestId('screen-follow');
  await expect(choice.getByTestId('screen-follow-now')).toHaveText(/没有跟随本案/);
  await choice.getByRole('button', { name: '在大屏上演示本案' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已更新开放日大屏的办理演示。' })).toBeVisible();
  await expect(page.getByTestId('screen-follow-now')).toHaveText(/正在跟随本案/);
  await page.goto('/staff/audit');
  await expect(page.getByTestId('audit')).toContainText('screen_follow');
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto('/stats/screen');
  await expect(page.getByTestId('walk')).toContainText('化妆品');
  await expect(page.getByTestId('walk')).not.toContainText(caseNo);
});
