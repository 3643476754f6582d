import { test, expect, Browser, BrowserContextOptions } from '@playwright/test';
import { fileComplaint } from '../tests/cases';
import { fillToReview, openFiling } from '../tests/filing';
import { lookUp } from '../tests/pages';
import { phonePhoto } from '../tests/photos';

// A cheap phone on a weak line, as Lighthouse simulates it but measured in Chromium itself: the
// DevTools throttles (1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip, CPU 4× slower), a cold
// cache in a fresh context each run, 360 × 740. For each page: first contentful paint, the time
// until `html[data-hydrated="1"]`, the WebAssembly it fetched (files, bytes as sent), its messages
// and all it fetched until then (bytes as sent). Median of BENCH_WEAK_RUNS (5). Then a 5 MB phone
// photo sent from the filing form on the same line, as taken and scaled down. HELLO_URL, when
// set, is a hello-world Leptos app built with the same profile, measured the same way
// (scripts/bench-weak-line builds and serves it).

const RUNS = Number(process.env.BENCH_WEAK_RUNS ?? 5);
const LINE = { offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 };

interface Run {
  paint: number;
  hydrated: number;
  wasmFiles: number;
  wasmBytes: number;
  /** The page's messages (`/pkg/messages/…`), which hydration also waits for. */
  msgBytes: number;
  /** Everything the page fetched until hydrated: HTML, stylesheet, scripts, fonts, WebAssembly, messages. */
  allBytes: number;
}

async function once(browser: Browser, url: string, state?: BrowserContextOptions['storageState']): Promise<Run> {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, storageState: state });
  const page = await ctx.newPage();
  // The moment the page says it is hydrated, on the page's own clock (from navigation start).
  await page.addInitScript(() => {
    const w = window as unknown as { __hydratedAt?: number };
    new MutationObserver(() => {
      if (w.__hydratedAt === undefined && document.documentElement.dataset.hydrated === '1') {
        w.__hydratedAt = performance.now();
      }
    }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });
  });
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', LINE);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  const urls = new Map<string, string>();
  const wasm = { files: 0, bytes: 0, msg: 0, all: 0 };
  cdp.on('Network.responseReceived', (e) => urls.set(e.requestId, e.response.url));
  cdp.on('Network.loadingFinished', (e) => {
    const u = urls.get(e.requestId);
    wasm.all += e.encodedDataLength;
    if (u && new URL(u).pathname.startsWith('/pkg/messages/')) wasm.msg += e.encodedDataLength;
    if (u && new URL(u).pathname.endsWith('.wasm')) {
      wasm.files += 1;
      wasm.bytes += e.encodedDataLength;
    }
  });
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { __hydratedAt?: number }).__hydratedAt !== undefined, null, {
    timeout: 60_000,
    polling: 100,
  });
  const [paint, hydrated] = await page.evaluate(() => [
    performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
    (window as unknown as { __hydratedAt: number }).__hydratedAt,
  ]);
  await ctx.close();
  return { paint, hydrated, wasmFiles: wasm.files, wasmBytes: wasm.bytes, msgBytes: wasm.msg, allBytes: wasm.all };
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function row(browser: Browser, label: string, url: string, state?: BrowserContextOptions['storageState']) {
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await once(browser, url, state));
  const r = {
    paint: median(runs.map((x) => x.paint)) / 1000,
    hydrated: median(runs.map((x) => x.hydrated)) / 1000,
    files: median(runs.map((x) => x.wasmFiles)),
    bytes: median(runs.map((x) => x.wasmBytes)),
    msg: median(runs.map((x) => x.msgBytes)),
    all: median(runs.map((x) => x.allBytes)),
  };
  console.log(
    `  ${label.padEnd(22)} ${(r.paint.toFixed(2) + ' s').padStart(11)} ${(r.hydrated.toFixed(2) + ' s').padStart(9)}` +
      ` ${String(r.files).padStart(6)} ${r.bytes.toLocaleString('en-US').padStart(11)} B` +
      ` ${r.msg.toLocaleString('en-US').padStart(9)} B ${r.all.toLocaleString('en-US').padStart(11)} B`,
  );
  expect(r.files, `${label} fetched WebAssembly`).toBeGreaterThan(0);
}

test('pages on a weak line with a slow CPU', async ({ browser, page, request }) => {
  // A case to open, with the tracking cookie that looking it up sets (unthrottled).
  const { caseNo, code } = await fileComplaint(request);
  await lookUp(page, true, caseNo, code);
  await expect(page.getByTestId('state')).toHaveText('已登记');
  const state = await page.context().storageState();

  console.log(`\n== A weak line: ${LINE.downloadThroughput * 8 / 1e6} Mbit/s down, ${LINE.uploadThroughput * 8 / 1e3} kbit/s up, ${LINE.latency} ms, CPU 4× slower, cold cache, 360 px, median of ${RUNS}`);
  console.log(`  ${'page'.padEnd(22)} ${'first paint'.padStart(11)} ${'hydrated'.padStart(9)} ${'wasm'.padStart(6)} ${'bytes'.padStart(13)} ${'messages'.padStart(11)} ${'all'.padStart(13)}`);
  for (const path of ['/', '/file', '/track']) await row(browser, path, path);
  await row(browser, '/track/{case}', `/track/${caseNo}`, state);
  await row(browser, '/staff/login', '/staff/login');
  if (process.env.HELLO_URL) await row(browser, 'hello-world Leptos', process.env.HELLO_URL);
});

test('a phone photo sent on the weak line, at full size and scaled down', async ({ browser }) => {
  let photo: Buffer | undefined;
  console.log(`\n== A phone photo on the filing form, same line and CPU (from choosing it to "uploaded")`);
  for (const original of [true, false]) {
    const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await ctx.newPage();
    await openFiling(page, true);
    await fillToReview(page);
    await page.getByRole('button', { name: '上一步' }).click();
    // A camera's JPEG of about 5 MB (4,000 × 3,000).
    photo ??= await phonePhoto(page, 48, 0.92);
    if (original) await page.getByLabel('发送原图（不缩小）').check();
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', LINE);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const t0 = Date.now();
    await page.getByLabel('选择照片或PDF文件').setInputFiles({ name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: photo });
    await expect(page.getByTestId('upload-status')).toHaveText('已上传', { timeout: 10 * 60_000 });
    const secs = (Date.now() - t0) / 1000;
    const shown = await page.getByTestId('upload').locator('progress').getAttribute('max');
    console.log(
      `  ${(original ? 'photo as taken' : 'photo scaled (2,048 px)').padEnd(24)} ${Number(shown).toLocaleString('en-US').padStart(11)} B` +
        ` ${(secs.toFixed(1) + ' s').padStart(9)}  (chosen: ${photo.length.toLocaleString('en-US')} B)`,
    );
    await ctx.close();
  }
});
