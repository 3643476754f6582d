import { Page } from '@playwright/test';

// Photos for the upload tests and the weak-line bench, drawn by the browser itself.

/**
 * A phone-sized JPEG drawn in the page (4,000 × 3,000): a gradient with noise of `noise` (0–255)
 * at JPEG quality `quality`, which sets its weight (255 and 0.6: about 5 MB of pure noise; a
 * camera's photo is smoother), with a camera's metadata block.
 */
export async function phonePhoto(page: Page, noise = 255, quality = 0.6): Promise<Buffer> {
  const b64 = await page.evaluate(async ([noise, quality]) => {
    const c = document.createElement('canvas');
    c.width = 4000;
    c.height = 3000;
    const g = c.getContext('2d')!;
    const img = g.createImageData(c.width, c.height);
    let x = 12345;
    for (let i = 0; i < img.data.length; i += 4) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      const p = i >> 2;
      const base = (((p % 4000) >> 4) + ((p / 4000) >> 4)) & 255;
      img.data[i] = (base + ((x & 255) * noise) / 255) & 255;
      img.data[i + 1] = (base / 2 + (((x >> 8) & 255) * noise) / 255) & 255;
      img.data[i + 2] = (255 - base + (((x >> 16) & 255) * noise) / 255) & 255;
      img.data[i + 3] = 255;
    }
    g.putImageData(img, 0, 0);
    const blob: Blob = await new Promise((r) => c.toBlob((b) => r(b!), 'image/jpeg', quality));
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  }, [noise, quality]);
  const jpeg = Buffer.from(b64, 'base64');
  // A camera's metadata block (APP1, Exif, an empty IFD) right after the start marker.
  const tiff = Buffer.from('49492a000800000000000000', 'hex');
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, 0, payload.length + 2]), payload]);
  return Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2)]);
}

