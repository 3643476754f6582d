import { expect, APIRequestContext, Browser, Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { complaintFields, fileComplaint, PNG, staffAccount } from '../tests/cases';
import { lookUp } from '../tests/pages';
import { phonePhoto } from '../tests/photos';
import { signIn } from '../tests/signin';

// What the cluster suite shares: the nodes' addresses, SQL on the primary, the nodes' metrics,
// scripts/cluster's commands, and a load of filings through nginx.

export const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:3400';
export const NODES = (process.env.NODE_URLS ?? '').split(',').filter(Boolean);
export const METRICS = (process.env.METRICS_URLS ?? '').split(',').filter(Boolean);

export function checkEnvironment() {
  expect(NODES, 'NODE_URLS names the three servers (scripts/test-cluster sets it)').toHaveLength(3);
  expect(process.env.DATABASE_URL, 'DATABASE_URL names the primary').toBeTruthy();
}

/** One value (first column of the first row) of `sql` on the primary. */
export function sql(query: string): string {
  return execFileSync('psql', [process.env.DATABASE_URL!, '-tAc', query], { encoding: 'utf8' }).trim();
}

/** A command of scripts/cluster (kill-node 2, db lose pg1, …); what it printed. */
export function cluster(...args: string[]): string {
  const script = join(__dirname, '..', '..', 'scripts', 'cluster');
  return execFileSync(script, args, { env: process.env, encoding: 'utf8', timeout: 120_000 }).trim();
}

/** A node's log so far. */
export function nodeLog(i: number): string {
  return readFileSync(join(process.env.CLUSTER_DIR!, `node${i}.log`), 'utf8');
}

/** The value of a metric (summed over its label sets) on node `i` (0-based); 0 when absent. */
export async function metric(i: number, name: string): Promise<number> {
  const text = await (await fetch(`${METRICS[i]}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(name) && (l[name.length] === ' ' || l[name.length] === '{'))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

/** A complaint's plain-form fields, its idempotency key `key`, its facts marked with `run`. */
export function complaintForm(key: string, run: string): Record<string, string> {
  return complaintFields('13812341234', { key, facts: `集群测试${run}：购买的洗衣机第二天就无法脱水，商家拒绝退货。` });
}

/** Posts a filing; its case number once the server answered with its receipt (a redirect to
 * `/file/done/{case_no}`), else null (no answer, an error). */
export async function fileOnce(base: string, key: string, run: string): Promise<string | null> {
  try {
    const res = await fetch(`${base}/file`, {
      method: 'POST',
      body: new URLSearchParams(complaintForm(key, run)),
      redirect: 'manual',
      signal: AbortSignal.timeout(15_000),
    });
    await res.arrayBuffer();
    if (res.status !== 303) return null;
    return /\/file\/done\/(QH-\d{4}-\d+)$/.exec(res.headers.get('location') ?? '')?.[1] ?? null;
  } catch {
    return null;
  }
}

/** Filings posted through nginx by a few consumers at once, each retried with its key until the
 * receipt comes back, as the filing page does. */
export class Load {
  readonly run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  readonly acknowledged = new Map<string, string>();
  /** When each receipt came back (ms since the epoch), in order. */
  readonly ackTimes: number[] = [];
  readonly pending = new Set<string>();
  failedPosts = 0;
  private stopped = false;
  private loops: Promise<void>[] = [];
  private n = 0;

  start(concurrency = 4) {
    for (let i = 0; i < concurrency; i++) this.loops.push(this.loop());
    return this;
  }

  private async loop() {
    while (!this.stopped) {
      const key = `cluster-${this.run}-${this.n++}`;
      this.pending.add(key);
      while (!this.stopped) {
        const no = await fileOnce(BASE, key, this.run);
        if (no) {
          this.acknowledged.set(key, no);
          this.ackTimes.push(Date.now());
          this.pending.delete(key);
          break;
        }
        this.failedPosts++;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  /** Stops, then sends each filing left without an answer again (same key) until it is answered. */
  async finish() {
    this.stopped = true;
    await Promise.all(this.loops);
    const deadline = Date.now() + 60_000;
    for (const key of [...this.pending]) {
      let no: string | null = null;
      while (!no && Date.now() < deadline) {
        no = await fileOnce(BASE, key, this.run);
        if (!no) await new Promise((r) => setTimeout(r, 500));
      }
      expect(no, `filing ${key} answered at last`).toBeTruthy();
      this.acknowledged.set(key, no!);
      this.pending.delete(key);
    }
  }

  /** Receipts that came back after `t`. */
  ackedAfter(t: number): number {
    return this.ackTimes.filter((a) => a > t).length;
  }

  /** The longest time without a receipt from `t` on (seconds): from `t` to the first receipt
   * after it, or between two receipts. */
  longestGap(t: number): number {
    const after = this.ackTimes.filter((a) => a > t);
    let gap = 0;
    let last = t;
    for (const a of after) {
      gap = Math.max(gap, a - last);
      last = a;
    }
    return gap / 1000;
  }

  /** Every acknowledged filing is in the database, once: one case per key, none twice. */
  checkStored() {
    const keys = this.acknowledged.size;
    console.log(`${keys} filings acknowledged and stored; ${this.failedPosts} posts went unanswered and were sent again`);
    expect(keys).toBeGreaterThan(10);
    const numbers = new Set(this.acknowledged.values());
    expect(numbers.size, 'a case number per filing').toBe(keys);
    const stored = sql(`SELECT COUNT(*) FROM cases WHERE facts LIKE '集群测试${this.run}：%'`);
    expect(Number(stored), 'each acknowledged filing stored, none twice').toBe(keys);
    const list = [...numbers].map((n) => `'${n}'`).join(',');
    expect(Number(sql(`SELECT COUNT(*) FROM cases WHERE case_no IN (${list})`))).toBe(keys);
  }
}

/** Waits until `check` holds (polling every 250 ms), for at most `ms`. */
export async function eventually(check: () => Promise<boolean>, ms: number, what: string) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`not within ${ms} ms: ${what}`);
}

/** A new case whose consumer adds a photo of the receipt through server 1 (a tiny PNG, or with
 * `photo` a phone's photo of several megabytes, which the store keeps in blocks); its number. */
export async function addEvidence(browser: Browser, request: APIRequestContext, note: string, photo = false): Promise<string> {
  const { caseNo, code } = await fileComplaint(request);
  const consumer = await (await browser.newContext({ baseURL: NODES[0] })).newPage();
  await lookUp(consumer, true, caseNo, code);
  await consumer.getByLabel('补充说明').fill(note);
  const file = photo
    ? { name: 'receipt.jpg', mimeType: 'image/jpeg', buffer: await phonePhoto(consumer) }
    : { name: 'receipt.png', mimeType: 'image/png', buffer: PNG };
  await consumer.getByLabel('证据文件').setInputFiles(file);
  await consumer.getByRole('button', { name: '提交补充材料' }).click();
  await expect(consumer.getByRole('status')).toHaveText('已收到您补充的材料。');
  return caseNo;
}

/** A supervisor signed in on `node` opens the case's first evidence file: it comes back whole. */
export async function staffOpensEvidence(browser: Browser, node: string, caseNo: string) {
  const staff = await supervisor(browser, node);
  await staff.goto(`/staff/cases/${caseNo}`);
  const href = await staff.locator('a[href^="/staff/evidence/"]').first().getAttribute('href');
  expect(href).toBeTruthy();
  const file = await staff.request.get(`${node}${href}`);
  expect(file.status()).toBe(200);
  expect(file.headers()['content-type']).toMatch(/^image\/(png|jpeg)$/);
  expect((await file.body()).length).toBeGreaterThan(0);
}

/** A page of a supervisor signed in on `node` (nginx, or one server). */
export async function supervisor(browser: Browser, node = BASE): Promise<Page> {
  staffAccount('cluster-supervisor', 'supervisor', 'a long staff password');
  const page = await (await browser.newContext({ baseURL: node })).newPage();
  await signIn(page, 'cluster-supervisor', 'a long staff password');
  return page;
}

/** Accepts each case (version 1) through nginx as the plain form does, one after another; each
 * post that goes unanswered or is answered 503 (the server gave up waiting for the database) is
 * sent again, as the supervisor would. The posts sent again; any other answer fails the test. */
export async function acceptEach(staff: APIRequestContext, cases: string[]): Promise<number> {
  let again = 0;
  for (const no of cases) {
    for (;;) {
      const res = await staff
        .post(`${BASE}/staff/cases/${no}`, {
          form: { action: 'accept', version: '1', note: '集群测试：督办代为受理' },
          maxRedirects: 0,
          timeout: 40_000,
        })
        .catch(() => null);
      if (res?.status() === 303) break;
      expect([undefined, 502, 503, 504], `the step on ${no}: ${res?.status()}`).toContain(res?.status());
      again++;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  return again;
}
