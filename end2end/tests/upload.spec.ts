import { test, expect, Page } from '@playwright/test';
import { fillToReview, openFiling } from './filing';

// Evidence on a weak line, with JavaScript (public/upload.js): each photo shows its progress and
// can be cancelled; a photo is scaled down before it is sent unless the original is asked for.
// Without JavaScript the plain upload is covered by the filing tests (uploadPng).

/** A phone-sized JPEG drawn in the page (4,000 × 3,000, noisy enough to weigh megabytes). */
async function phonePhoto(page: Page): Promise<Buffer> {
  const b64 = await page.evaluate(async () => {
    const c = document.createElement('canvas');
    c.width = 4000;
    c.height = 3000;
    const g = c.getContext('2d')!;
    const img = g.createImageData(c.width, c.height);
    let x = 12345;
    for (let i = 0; i < img.data.length; i += 4) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      img.data[i] = x & 255;
      img.data[i + 1] = (x >> 8) & 255;
      img.data[i + 2] = (i >> 10) & 255;
      img.data[i + 3] = 255;
    }
    g.putImageData(img, 0, 0);
    const blob: Blob = await new Promise((r) => c.toBlob((b) => r(b!), 'image/jpeg', 0.6));
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  });
  const jpeg = Buffer.from(b64, 'base64');
  // A camera's metadata block (APP1, Exif, an empty IFD) right after the start marker.
  const tiff = Buffer.from('49492a000800000000000000', 'hex');
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, 0, payload.length + 2]), payload]);
  return Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2)]);
}

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

/** The file part of each multipart body posted to /file/evidence. */
function sentFiles(page: Page): Buffer[] {
  const sent: Buffer[] = [];
  page.on('request', (r) => {
    if (r.method() !== 'POST' || !r.url().endsWith('/file/evidence')) return;
    const body = r.postDataBuffer()!;
    const start = body.indexOf('\r\n\r\n', body.indexOf('name="file"')) + 4;
    const boundary = body.subarray(0, body.indexOf('\r\n'));
    sent.push(body.subarray(start, body.indexOf(Buffer.concat([Buffer.from('\r\n'), boundary]), start)));
  });
  return sent;
}

async function toEvidence(page: Page) {
  await openFiling(page, true);
  await fillToReview(page);
  await page.getByRole('button', { name: '上一步' }).click();
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('证据材料（选填）');
}

test('a photo is scaled down and stripped before it is sent, or sent as it is when asked', async ({ page, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'the plain upload sends the file as it is (filing tests)');
  await toEvidence(page);
  const photo = await phonePhoto(page);
  expect(photo.length, 'a phone photo of megabytes').toBeGreaterThan(2_000_000);
  const sent = sentFiles(page);
  const input = page.getByLabel('选择照片或PDF文件');
  await input.setInputFiles({ name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: photo });
  await expect(page.getByTestId('upload').first().getByTestId('upload-status')).toHaveText('已上传');
  await expect(page.getByTestId('evidence-count')).toContainText('已上传 1 个文件');
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
  expect(sent).toHaveLength(2);
  expect(Buffer.compare(sent[1], photo), 'the original as chosen').toBe(0);
});

test('an upload on a slow line shows its progress and can be cancelled', async ({ page, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'progress is shown by the script');
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
