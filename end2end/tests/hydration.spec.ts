import { test, expect } from '@playwright/test';

// Hydration adopts the server's HTML: the main heading and the page's main element are the very
// nodes the server sent, and every largest-contentful-paint candidate the browser recorded is
// still in the document once the page is interactive (nothing painted again when the WebAssembly
// arrives, so the largest paint is not pushed back to the end of hydration). The reading pages are
// sent without WebAssembly: nothing there replaces what was painted. JavaScript only.

for (const path of ['/', '/file', '/track', '/guide', '/stats', '/cases']) {
  const hydrated = ['/', '/file', '/track'].includes(path);
  test(`hydration keeps the server's nodes and paints on ${path}`, async ({ page }) => {
    await page.addInitScript(() => {
      const w = window as unknown as { lcp: Element[]; marked: Element[] };
      w.lcp = [];
      w.marked = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          const el = (e as PerformanceEntry & { element?: Element }).element;
          if (el) w.lcp.push(el);
        }
      }).observe({ type: 'largest-contentful-paint', buffered: true });
      document.addEventListener('DOMContentLoaded', () => {
        // Before the module runs: the server's nodes.
        for (const sel of ['h1', 'main']) {
          const el = document.querySelector(sel);
          if (el) w.marked.push(el);
        }
      });
    });
    await page.goto(path);
    await expect(page.locator(hydrated ? 'html[data-hydrated="1"]' : 'html[data-static="1"]')).toHaveCount(1);
    await page.waitForLoadState('load');
    await page.waitForTimeout(300);
    const result = await page.evaluate(() => {
      const w = window as unknown as { lcp: Element[]; marked: Element[] };
      return {
        marked: w.marked.length,
        same: w.marked.every((el, i) => el === document.querySelector(i === 0 ? 'h1' : 'main')),
        lcp: w.lcp.length,
        connected: w.lcp.every((el) => el.isConnected),
      };
    });
    expect(result.marked, 'a heading and a main element were served').toBe(2);
    expect(result.same, 'the same nodes after hydration').toBe(true);
    expect(result.lcp, 'a largest paint was recorded').toBeGreaterThan(0);
    expect(result.connected, 'no painted element was replaced').toBe(true);
  });
}
