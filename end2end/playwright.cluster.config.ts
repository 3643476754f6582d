import { defineConfig } from '@playwright/test';
import { chromium } from './chromium';

// The cluster suite (`make test-cluster`): three servers behind nginx on PostgreSQL with a read
// replica and S3 (started by scripts/cluster). One worker: some tests kill a server or restart the
// database, and every test shares the cluster.
export default defineConfig({
  testDir: './cluster',
  timeout: 120_000,
  retries: 0,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: process.env.BASE_URL ?? 'http://127.0.0.1:3400',
    trace: 'off',
    ...chromium,
  },
});
