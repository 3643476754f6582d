import { test, expect } from '@playwright/test';
import { fileComplaint } from './cases';

// The open-day wall at 1920 × 1080 and 3840 × 2160, in Chinese and in English: every tile's label
// and figure on one line inside its tile, the businesses complained of most inside their column,
// nothing scrolls, and the walk-through panel shows a case
// by itself (the latest complaint) when nobody chose one. Screenshots of each are kept with the
// test's results.

for (const [width, height] of [
  [1920, 1080],
  [3840, 2160],
]) {
  for (const lang of ['zh-CN', 'en']) {
    test(`the wall at ${width} × ${height} in ${lang}: tiles of one line, nothing spills`, async ({
      page,
      context,
      request,
      baseURL,
    }, testInfo) => {
      await fileComplaint(request);
      await context.addCookies([{ name: 'lang', value: lang, url: baseURL! }]);
      await page.setViewportSize({ width, height });
      await page.goto('/stats/screen');
      await expect(page.getByTestId('screen')).toBeVisible();
      await page.evaluate(() => document.fonts.ready);
      const tiles = await page.locator('.screen-figures li').evaluateAll((lis) =>
        lis.map((li) => {
          const line = (el: Element) => {
            const s = getComputedStyle(el);
            const lh = s.lineHeight === 'normal' ? parseFloat(s.fontSize) * 1.4 : parseFloat(s.lineHeight);
            return el.getBoundingClientRect().height <= lh * 1.25;
          };
          const [name, value] = [li.querySelector('.sf-name')!, li.querySelector('.sf-value')!];
          const inside = (el: Element) => el.getBoundingClientRect().right <= li.getBoundingClientRect().right - 1;
          return {
            name: name.textContent,
            value: value.textContent,
            oneLine: line(name) && line(value),
            inside: inside(name) && inside(value) && li.scrollWidth <= li.clientWidth,
          };
        }),
      );
      // Seven figures of the bureau and the ODR early-settlement rate.
      expect(tiles).toHaveLength(8);
      for (const t of tiles) {
        expect(t.oneLine, `${t.name} · ${t.value} on one line`).toBe(true);
        expect(t.inside, `${t.name} · ${t.value} inside its tile`).toBe(true);
      }
      // The businesses complained of most this month (the complaint just filed is one) and the
      // hot issues, in their column, nothing spilling out of it.
      await expect(page.getByTestId('screen-businesses').locator('li')).not.toHaveCount(0);
      const rank = await page.locator('.screen-rank').evaluate((el) => {
        const box = el.getBoundingClientRect();
        const spilt = [...el.querySelectorAll('li')].filter((li) => li.getBoundingClientRect().right > box.right + 1).length;
        return { spilt, wide: el.scrollWidth <= el.clientWidth };
      });
      expect(rank).toEqual({ spilt: 0, wide: true });
      const page_ = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]);
      expect(page_[0]).toBeLessThanOrEqual(width);
      expect(page_[1]).toBeLessThanOrEqual(height);
      // Nobody chose a case: the panel follows the latest complaint.
      await expect(page.getByTestId('walk')).not.toContainText(lang === 'en' ? 'No demonstration case' : '尚未选择演示案件');
      await expect(page.getByTestId('walk').locator('.walk-stages li')).not.toHaveCount(0);
      await page.screenshot({ path: testInfo.outputPath(`screen-${width}x${height}-${lang}.png`) });
    });
  }
}
