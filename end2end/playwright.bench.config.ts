import { defineConfig } from '@playwright/test';
import { chromium } from './chromium';

// Benchmarks that drive the browser and print figures (scripts/bench-weak-line); no pass/fail
// beyond the pages loading at all. One worker: the figures are timings.
export default defineConfig({
  testDir: './bench',
  timeout: 15 * 60_000,
  retries: 0,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: process.env.BASE_URL ?? 'http://127.0.0.1:3000',
    trace: 'off',
  },
  projects: [{ name: 'js-on', use: { ...chromium, javaScriptEnabled: true } }],
});
