import { defineConfig } from '@playwright/test';
import { chromium } from './chromium';

// Each test runs twice: with JavaScript (hydrated) and without (server-rendered HTML and plain
// forms only).
export default defineConfig({
  testDir: './tests',
  // A test's time limit, not a performance check: on a busy two-core machine the suite runs about
  // 2.5 times slower than on an idle one, and an axe-core test visits up to seven pages.
  timeout: 60_000,
  retries: 0,
  workers: 2,
  reporter: [['list']],
  use: {
    baseURL: process.env.BASE_URL ?? 'http://127.0.0.1:3000',
    trace: 'off',
  },
  projects: [
    { name: 'js-on', use: { ...chromium, javaScriptEnabled: true } },
    { name: 'js-off', use: { ...chromium, javaScriptEnabled: false }, testIgnore: /(a11y|live|split|offline|hydration|html|screen|upload)\.spec\.ts/ },
  ],
});
