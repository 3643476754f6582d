import { test, expect, Page } from '@playwright/test';
import { fillToReview, openFiling } from './filing';
import { PNG } from './cases';
import { phonePhoto } from './photos';

// Evidence on a weak line, with JavaScript (public/upload.js): each photo shows its progress and
// can be cancelled; a photo is scaled down before it is sent unless the original is asked for.
// Without JavaScript the plain upload is covered by the filing tests (uploadPng); this file runs
// in the JavaScript project only.

/** The width and height in a JPEG's start-of-frame segment. */
function jpegSize(b: Buffer): [number, number] {
  let i = 2;
  while (i < b.length) {
    const marker = b[i + 1];
    const len = b.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xc3) return [b.readUInt16BE(i + 7), b.readUInt16BE(i + 5)];
    i += 2 + len;
  }
  throw new Error('no frame');
}

/** Keeps each file the page sends (the network layer does not show a file's body). */
async function recordSentFiles(page: Page) {
  await page.addInitScript(() => {
    const send = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.send = function (body?: Document | XMLHttpRequestBodyInit | null) {
      const w = window as unknown as { __sent?: Blob[] };
      if (body instanceof FormData && body.get('file') instanceof Blob) (w.__sent ??= []).push(body.get('file') as Blob);
      return send.call(this, body);
    };
  });
}

async function sentFiles(page: Page): Promise<Buffer[]> {
  const all: string[] = await page.evaluate(async () => {
    const out: string[] = [];
    for (const blob of (window as unknown as { __sent?: Blob[] }).__sent ?? []) {
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let s = '';
      for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      out.push(btoa(s));
    }
    return out;
  });
  return all.map((b) => Buffer.from(b, 'base64'));
}

async function toEvidence(page: Page) {
  await openFiling(page, true);
  await fillToReview(page);
  await page.getByRole('button', { name: '上一步' }).click();
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('证据材料（选填）');
}

test('a photo is scaled down and stripped before it is sent, or sent as it is when asked', async ({ page }) => {
  await recordSentFiles(page);
  await toEvidence(page);
  const photo = await phonePhoto(page);
  expect(photo.length, 'a phone photo of megabytes').toBeGreaterThan(2_000_000);
  const input = page.getByLabel('选择照片或PDF文件');
  await input.setInputFiles({ name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: photo });
  await expect(page.getByTestId('upload').first().getByTestId('upload-status')).toHaveText('已上传');
  await expect(page.getByTestId('evidence-count')).toContainText('已上传 1 个文件');
  let sent = await sentFiles(page);
  expect(sent).toHaveLength(1);
  const [w, h] = jpegSize(sent[0]);
  expect(Math.max(w, h), 'the long edge scaled to 2,048 px').toBe(2048);
  expect(sent[0].indexOf('Exif'), 'no camera metadata').toBe(-1);
  expect(sent[0].length).toBeLessThan(photo.length / 2);

  // The original, byte for byte.
  await page.getByLabel('发送原图（不缩小）').check();
  await input.setInputFiles({ name: 'receipt.jpg', mimeType: 'image/jpeg', buffer: photo });
  await expect(page.getByTestId('upload').first().getByTestId('upload-status')).toHaveText('已上传', { timeout: 20_000 });
  await expect(page.getByTestId('evidence-count')).toContainText('已上传 2 个文件');
  sent = await sentFiles(page);
  expect(sent).toHaveLength(2);
  expect(Buffer.compare(sent[1], photo), 'the original as chosen').toBe(0);
});

test('an upload on a slow line shows its progress and can be cancelled', async ({ page }) => {
  await toEvidence(page);
  const photo = await phonePhoto(page);
  // 64 KB/s up: the photo takes about a minute.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 200_000, uploadThroughput: 64_000 });
  await page.getByLabel('发送原图（不缩小）').check();
  await page.getByLabel('选择照片或PDF文件').setInputFiles({ name: 'IMG_0002.jpg', mimeType: 'image/jpeg', buffer: photo });
  const row = page.getByTestId('upload');
  await expect(row.getByTestId('upload-status')).toHaveText(/^已发送 \d+ \/ \d+ KB · 约剩 \d+ 秒$/, { timeout: 20_000 });
  const total = Math.ceil(photo.length / 1024);
  await expect(row.getByTestId('upload-status')).toContainText(`/ ${total} KB`);
  await expect(row.locator('progress')).toHaveAttribute('max', String(photo.length));
  await row.getByRole('button', { name: /^取消/ }).click();
  await expect(row.getByTestId('upload-status')).toHaveText('已取消');
  await expect(row.getByRole('button')).toHaveCount(0);
  await expect(page.getByTestId('evidence-count')).toContainText('已上传 0 个文件');
});

test('a connection cut during an upload is tried again by itself', async ({ page }) => {
  await toEvidence(page);
  let cut = 0;
  await page.route('**/file/evidence', async (route) => {
    if (cut < 2) {
      cut += 1;
      return route.abort('connectionreset');
    }
    return route.continue();
  });
  await page.getByLabel('选择照片或PDF文件').setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: PNG });
  await expect(page.getByTestId('upload').getByTestId('upload-status')).toHaveText('已上传', { timeout: 15_000 });
  expect(cut, 'cut twice, then through').toBe(2);
  await expect(page.getByTestId('evidence-count')).toContainText('已上传 1 个文件');
});
