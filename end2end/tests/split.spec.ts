import { test, expect, Page } from '@playwright/test';
import { fileComplaint, staff, staffAccount, CLOSED_BY_SETTLEMENT, PNG } from './cases';

// The browser bundle is split in three groups of pages (see app/src/pages/lazy.rs): a hydrated
// page fetches the main module, its group's module and the modules it shares with the other
// groups, never more than five WebAssembly files, and never another group's module (so the home
// and tracking pages do not carry the filing form again); the reading pages are sent without
// WebAssembly. These tests watch the network. Runs in the JavaScript project only.

const groupModule = /\/pkg\/split_+([a-z]+)_pages_/;
const splitFile = /\/pkg\/(split_|chunk_)[^/]*\.wasm/;

function wasmRequests(page: Page) {
  const seen = { files: [] as string[], groups: [] as string[] };
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (!path.endsWith('.wasm')) return;
    seen.files.push(path);
    const m = groupModule.exec(path);
    if (m) seen.groups.push(m[1]);
  });
  return seen;
}

test('each hydrated page fetches at most five WebAssembly files, of its own group only', async ({ page, request }) => {
  const { caseNo, code } = await fileComplaint(request);
  const pages: [string, string][] = [
    ['/', 'consumer'],
    ['/file', 'filing'],
    ['/track', 'consumer'],
    [`/track/${caseNo}`, 'consumer'],
    ['/staff/login', 'desk'],
    ['/stats/screen', 'desk'],
  ];
  // The case page needs the tracking cookie that looking the case up sets.
  await page.goto('/track');
  await expect(page.locator('html[data-hydrated="1"]')).toHaveCount(1);
  await page.getByLabel('案件编号').fill(caseNo);
  await page.getByLabel('查询码').fill(code);
  await page.getByRole('button', { name: '查询', exact: true }).click();
  await expect(page.getByTestId('state')).toHaveText('已登记');
  for (const [path, group] of pages) {
    const fresh = await page.context().browser()!.newContext({ storageState: await page.context().storageState() });
    const tab = await fresh.newPage();
    const seen = wasmRequests(tab);
    // What the browser says, to tell why should a page not hydrate (seen once under the whole
    // suite's load, on a case's page, and not reproduced alone).
    const said: string[] = [];
    tab.on('console', (m) => m.type() !== 'log' && said.push(`${m.type()}: ${m.text().slice(0, 300)}`));
    tab.on('pageerror', (e) => said.push(`error: ${e.message.slice(0, 300)}`));
    tab.on('requestfailed', (r) => said.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
    await tab.goto(path);
    const hydrated = await tab.locator('html[data-hydrated="1"]').waitFor({ timeout: 15_000 }).then(() => true, () => false);
    expect(hydrated, `${path} hydrated; the browser said: ${said.join(' | ') || 'nothing'}`).toBe(true);
    expect(new Set(seen.files).size, `${path}: ${seen.files.join(' ')}`).toBeLessThanOrEqual(5);
    expect([...new Set(seen.groups)], path).toEqual([group]);
    await fresh.close();
  }
});

test('the reading pages are sent without WebAssembly, and the menu opens them as pages of their own', async ({ page }) => {
  for (const path of ['/guide', '/stats', '/cases', '/no-such-page']) {
    const seen = wasmRequests(page);
    await page.goto(path);
    await expect(page.locator('html[data-static="1"]')).toHaveCount(1);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await page.waitForLoadState('load');
    await page.waitForTimeout(300);
    expect(seen.files, path).toEqual([]);
    expect(await page.locator('script[type="module"]').count(), path).toBe(0);
    page.removeAllListeners('request');
  }
  // From a hydrated page, the menu's link to the guide loads the guide from the server.
  await page.goto('/file');
  await expect(page.locator('html[data-hydrated="1"]')).toHaveCount(1);
  const seen = wasmRequests(page);
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '办事指南' }).click();
  await expect(page).toHaveURL(/\/guide$/);
  await expect(page.locator('html[data-static="1"]')).toHaveCount(1);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(seen.files).toEqual([]);
});

test('a page fetches no WebAssembly before it has loaded, then hydrates', async ({ page }) => {
  await page.goto('/file');
  await expect(page.locator('html[data-hydrated="1"]')).toHaveCount(1);
  const order = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const wasm = performance.getEntriesByType('resource').filter((r) => new URL(r.name).pathname.endsWith('.wasm'));
    return { load: nav.loadEventStart, first: Math.min(...wasm.map((r) => r.startTime)), count: wasm.length };
  });
  expect(order.count).toBeGreaterThan(0);
  expect(order.first).toBeGreaterThanOrEqual(order.load);
  // No WebAssembly named for preloading in the HTML as served.
  const html = await (await page.request.get('/file')).text();
  expect(html).not.toMatch(/<link[^>]*\.wasm/);
});

test('a page whose load never ends (a font that does not arrive) still hydrates', async ({ page }) => {
  await page.route(/\/fonts\//, () => {
    // Never answered.
  });
  await page.goto('/file', { waitUntil: 'domcontentloaded' });
  await expect(page.locator('html[data-hydrated="1"]')).toHaveCount(1, { timeout: 15_000 });
  expect(await page.evaluate(() => document.readyState)).not.toBe('complete');
});

// A phone on a slow line: the person types before the page's module has arrived. Hydration must
// keep what they typed (in the signals the page's own checks read, not just on screen).
async function holdModules(page: Page, modules: RegExp = splitFile) {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  await page.route(modules, async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

/** Lets the held modules through, after checking the page had not hydrated without them. */
async function letHydrate(page: Page, release: () => void) {
  await expect(page.locator('html[data-hydrated="1"]')).toHaveCount(0);
  release();
  await expect(page.locator('html[data-hydrated="1"]')).toHaveCount(1);
}

async function typeLookup(page: Page, caseNo: string, code: string) {
  await page.goto('/track');
  await page.getByLabel('案件编号').fill(caseNo);
  await page.getByLabel('查询码').fill(code);
}

test('what a consumer types while the tracking page is loading is kept', async ({ page, request }) => {
  const { caseNo, code } = await fileComplaint(request);
  const release = await holdModules(page);
  await typeLookup(page, caseNo, code);
  await letHydrate(page, release);
  await expect(page.getByLabel('案件编号')).toHaveValue(caseNo);
  await page.getByRole('button', { name: '查询', exact: true }).click();
  await expect(page.getByTestId('state')).toHaveText('已登记');
});

test('a staff member’s name and password typed while the sign-in page is loading are kept', async ({ page }) => {
  staffAccount('early-typist', 'handler', 'a long staff password', '630102');
  const release = await holdModules(page);
  await page.goto('/staff/login');
  await page.getByLabel('用户名').fill('early-typist');
  await page.getByLabel('密码').fill('a long staff password');
  await letHydrate(page, release);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/staff$/);
});

test('answers ticked while a case page is loading are kept', async ({ page, request }) => {
  const { caseNo, code } = await fileComplaint(request);
  staff(caseNo, ...CLOSED_BY_SETTLEMENT);
  const release = await holdModules(page);
  // Looked up before the page's code arrives: the form is posted as without JavaScript.
  await typeLookup(page, caseNo, code);
  await page.getByRole('button', { name: '查询', exact: true }).click();
  await expect(page.getByTestId('state')).toHaveText('已办结');
  await page.getByRole('group', { name: '对办理过程的评价' }).getByLabel('2 不满意').check();
  await page.getByRole('group', { name: '问题解决了吗' }).getByLabel('未解决').check();
  await page.getByLabel('意见（选填）').fill('退款至今没有到账。');
  await letHydrate(page, release);
  await expect(page.getByRole('group', { name: '问题解决了吗' }).getByLabel('未解决')).toBeChecked();
  await page.getByRole('button', { name: '提交评价' }).click();
  await expect(page.getByRole('status')).toHaveText('感谢您的评价。');
  await expect(page.getByTestId('rating')).toContainText('未解决');
});

test('a file chosen while a case page is loading is sent', async ({ page, request }) => {
  const { caseNo, code } = await fileComplaint(request);
  const release = await holdModules(page);
  await typeLookup(page, caseNo, code);
  await page.getByRole('button', { name: '查询', exact: true }).click();
  await expect(page.getByTestId('state')).toHaveText('已登记');
  // A file and no words: enough for the form's own check, if it knows about the file.
  await page.getByLabel('证据文件').setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: PNG });
  await letHydrate(page, release);
  await page.getByRole('button', { name: '提交补充材料' }).click();
  await expect(page.getByRole('status')).toHaveText('已收到您补充的材料。');
  await expect(page.getByTestId('evidence-list')).toContainText('PNG');
});

test('answers given while the filing form is loading are kept, over an older draft', async ({ page }) => {
  // An older draft in this browser (from an earlier visit) must not replace what is typed now.
  await page.addInitScript(() =>
    localStorage.setItem('filing-draft', JSON.stringify({ step: 'kind', kind: 'report', business_name: '旧草稿' })),
  );
  const release = await holdModules(page, /\/pkg\/portal\.[^/]*\.wasm/);
  await page.goto('/file');
  await page.getByLabel('投诉：与经营者的消费纠纷，请求调解').check();
  await letHydrate(page, release);
  await page.getByRole('button', { name: '下一步' }).click();
  // The complaint chosen now, not the draft's report: its scope check comes next.
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('先确认能否受理');
});

test('the big screen goes live once its page has hydrated, and stays live', async ({ page, request }) => {
  const { caseNo } = await fileComplaint(request);
  const release = await holdModules(page);
  const feeds: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/stats/live') feeds.push(r.url());
  });
  await page.setViewportSize({ width: 1920, height: 1080 });
  const script = page.waitForResponse((r) => new URL(r.url()).pathname === '/screen.js');
  await page.goto('/stats/screen');
  await script;
  // Hydration would set the server's "connecting" again over anything changed before it.
  await expect(page.getByTestId('live-status')).toHaveAttribute('data-state', 'connecting');
  expect(feeds).toEqual([]);
  await letHydrate(page, release);
  await expect(page.getByTestId('live-status')).toHaveAttribute('data-state', 'open');
  staff(caseNo, ['accept']);
  await expect(page.getByTestId('ticker').locator('li.new', { hasText: '已受理' })).not.toHaveCount(0, { timeout: 2000 });
  await expect(page.getByTestId('live-status')).toHaveAttribute('data-state', 'open');
});

// The messages are not in the WebAssembly: a hydrated page fetches its own language's, one file
// named by its content's hash (app/src/i18n.rs, `browser`), and what the browser renders itself
// after hydration is in that language.
test("a hydrated page fetches its own language's messages only, and renders in that language", async ({ browser, baseURL }) => {
  const heading = { 'zh-CN': '查询办理进度', en: 'Track your case', bo: 'ཐག་གཅོད་མྱུར་ཚད་འཚོལ་ཞིབ།' };
  const nav = { 'zh-CN': '查询进度', en: 'Track a case', bo: null };
  const names = new Set<string>();
  for (const tag of ['zh-CN', 'en', 'bo'] as const) {
    const context = await browser.newContext();
    await context.addCookies([{ name: 'lang', value: tag, url: baseURL! }]);
    const page = await context.newPage();
    const fetched: string[] = [];
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith('/pkg/messages/')) fetched.push(path);
    });
    await page.goto('/');
    await expect(page.locator('html[data-hydrated="1"]')).toHaveCount(1, { timeout: 15_000 });
    expect(fetched, tag).toHaveLength(1);
    expect(fetched[0], tag).toMatch(new RegExp(`^/pkg/messages/${tag}\\.[0-9a-f]{16}\\.txt$`));
    names.add(fetched[0]);
    const res = await page.request.get(fetched[0], { headers: { 'accept-encoding': 'br' } });
    expect(res.headers()['cache-control']).toContain('immutable');
    expect(res.headers()['content-encoding']).toBe('br');
    // The tracking form rendered by the browser (a route of the same group, no page load).
    const loads: string[] = [];
    page.on('request', (r) => { if (r.resourceType() === 'document') loads.push(r.url()); });
    await page.locator('nav a[href="/track"]').first().click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading[tag]);
    expect(loads, tag).toEqual([]);
    if (nav[tag]) await expect(page.locator('nav a[href="/track"]').first()).toHaveText(nav[tag]!);
    await context.close();
  }
  expect(names.size).toBe(3);
  // Another name is not a language's messages.
  const page = await browser.newPage();
  expect((await page.request.get('/pkg/messages/zh-CN.0000000000000000.txt')).status()).toBe(404);
  await page.close();
});
