import { test, expect } from '@playwright/test';
import { fileComplaint, freshCreditCode, odrMember, staffAccount } from '../tests/cases';
import { takeStep } from '../tests/pages';
import { signIn } from '../tests/signin';
import { addEvidence, checkEnvironment, cluster, eventually, fileOnce, Load, metric, NODES, nodeLog, sql, staffOpensEvidence } from './cluster';

// Three servers behind nginx, PostgreSQL under Patroni behind HAProxy, evidence in Garage
// (scripts/cluster). What one server does, the others see; losing a server, the primary for a
// moment, or the replicas loses no acknowledged filing. (Losing a database host, etcd or a
// Garage node: failover.spec.ts.)

test.beforeAll(() => checkEnvironment());

test('three servers started at the same instant created exactly one admin', async () => {
  const created = [1, 2, 3].filter((i) => nodeLog(i).includes('First start: created the staff account `admin`'));
  expect(created).toHaveLength(1);
  expect(sql(`SELECT COUNT(*) FROM staff WHERE role = 'admin'`)).toBe('1');
});

test('a consumer files through nginx and tracks the case on each server', async ({ request }) => {
  const { caseNo, code } = await fileComplaint(request);
  for (const node of NODES) {
    const res = await request.post(`${node}/track`, {
      form: { case_no: caseNo, phone: '', code },
      headers: { 'x-real-ip': '198.51.100.10' },
      maxRedirects: 0,
    });
    expect(res.status(), node).toBe(303);
    const cookie = res.headers()['set-cookie'].split(';')[0];
    const page = await request.get(`${node}/track/${caseNo}`, { headers: { cookie } });
    expect(await page.text()).toContain(caseNo);
  }
});

test('a staff session made on server 1 works on servers 2 and 3', async ({ browser }) => {
  staffAccount('cluster-handler', 'handler', 'a long staff password', '630100');
  const context = await browser.newContext({ baseURL: NODES[0] });
  const page = await context.newPage();
  await signIn(page, 'cluster-handler', 'a long staff password');
  // The session cookie is the browser's for 127.0.0.1, whichever server's port.
  for (const node of NODES.slice(1)) {
    await page.goto(`${node}/staff`);
    await expect(page).toHaveURL(`${node}/staff`);
    await expect(page.getByTestId('signed-in')).toContainText('cluster-handler');
  }
  await context.close();
});

test('a step on server 2 appears on server 3’s big screen within 2 s', async ({ browser, request }) => {
  const { caseNo } = await fileComplaint(request);
  const wall = await (await browser.newContext({ baseURL: NODES[2], viewport: { width: 1920, height: 1080 } })).newPage();
  await wall.goto('/stats/screen');
  await expect(wall.getByTestId('live-status')).toHaveAttribute('data-state', 'open');
  staffAccount('cluster-supervisor', 'supervisor', 'a long staff password');
  const console_ = await (await browser.newContext({ baseURL: NODES[1] })).newPage();
  await signIn(console_, 'cluster-supervisor', 'a long staff password');
  await console_.goto(`/staff/cases/${caseNo}`);
  await takeStep(console_, '受理', (form) => form.getByLabel('理由（必填，消费者不可见）').fill('集群演示'));
  await expect(console_.getByTestId('state')).toContainText('已受理');
  await expect(wall.getByTestId('ticker').locator('li.new', { hasText: '已受理' })).not.toHaveCount(0, { timeout: 2000 });
});

test('complaints whose business let its period run out pass on to the bureau once, though three servers sweep', async ({ request }) => {
  // A member of the ODR lane, and complaints sent to it first through nginx.
  const code = freshCreditCode();
  odrMember(code, `西宁集群测试商贸有限公司${code.slice(10, 17)}`, `cluster-shop-${code.slice(10, 17).toLowerCase()}`);
  const cases: string[] = [];
  for (let i = 0; i < 8; i++) {
    const { caseNo } = await fileComplaint(request, `1391234${String(5000 + i)}`, { business_credit_code: code, odr: 'yes' });
    cases.push(caseNo);
  }
  const list = cases.map((c) => `'${c}'`).join(',');
  expect(sql(`SELECT COUNT(*) FROM cases WHERE case_no IN (${list}) AND state = 'with_business'`)).toBe('8');
  // Their 10 working days end: the period's last day moved to yesterday, for all at once, so
  // that the servers' sweeps (every 2 s here) find them together.
  const yesterday = new Date(Date.now() + 8 * 3600_000 - 86_400_000).toISOString().slice(0, 10);
  sql(`UPDATE cases SET due_on = '${yesterday}' WHERE case_no IN (${list})`);
  await eventually(
    async () => sql(`SELECT COUNT(*) FROM cases WHERE case_no IN (${list}) AND state = 'received'`) === '8',
    20_000,
    'every complaint passed on to the bureau',
  );
  // A few more sweeps of every server: still one pass-on and one message to the consumer each.
  await new Promise((r) => setTimeout(r, 6_000));
  const passes = `SELECT COUNT(*) FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.case_no IN (${list}) AND e.action = 'pass_on'`;
  expect(sql(passes)).toBe('8');
  const told = `SELECT COUNT(*) FROM outbox o JOIN cases c ON c.id = o.case_id WHERE c.case_no IN (${list}) AND o.kind = 'odr_passed'`;
  expect(sql(told)).toBe('8');
  // Each by whichever server came first: the pass-ons the three logs report add up to those stored.
  const logged = [1, 2, 3]
    .map((i) => [...nodeLog(i).matchAll(/passed=(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0))
    .reduce((a, b) => a + b, 0);
  expect(logged).toBe(Number(sql(`SELECT COUNT(*) FROM case_events WHERE action = 'pass_on'`)));
});

test('a look-up lock-out made through server 1 holds on server 3', async ({ request }) => {
  const { caseNo, code } = await fileComplaint(request);
  const headers = { 'x-real-ip': `203.0.113.${Math.floor(Math.random() * 250) + 1}` };
  const wrong = code === 'ABCD-EFGH' ? 'ABCD-EFGJ' : 'ABCD-EFGH';
  const post = (node: string, c: string) =>
    request.post(`${node}/track`, { form: { case_no: caseNo, phone: '', code: c }, headers, maxRedirects: 0 });
  for (let i = 1; i <= 4; i++) expect((await post(NODES[0], wrong)).status()).toBe(404);
  expect((await post(NODES[0], wrong)).status()).toBe(429);
  // Even the right code, on another server.
  const there = await post(NODES[2], code);
  expect(there.status()).toBe(429);
  expect(await there.text()).toContain('尝试次数过多');
});

test('evidence added through server 1 opens for staff on server 2 (Garage)', async ({ browser, request }) => {
  const caseNo = await addEvidence(browser, request, '购物小票照片。');
  await staffOpensEvidence(browser, NODES[1], caseNo);
});

test('the replicas serve the statistics; with none on the read-only port, the primary does (counted), and they are used again once back', async () => {
  for (let i = 0; i < 3; i++) {
    await eventually(async () => (await metric(i, 'portal_replica_healthy')) === 1, 10_000, `server ${i + 1} sees the replica`);
  }
  try {
    cluster('db', 'drain-replicas');
    for (let i = 0; i < 3; i++) {
      const before = await metric(i, 'portal_replica_fallback_reads_total');
      const res = await fetch(`${NODES[i]}/stats`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('data-testid="fig-received"');
      await eventually(async () => (await metric(i, 'portal_replica_healthy')) === 0, 5_000, 'replica seen down');
      expect((await fetch(`${NODES[i]}/stats`)).status).toBe(200);
      expect(await metric(i, 'portal_replica_fallback_reads_total')).toBeGreaterThan(before);
    }
  } finally {
    cluster('db', 'undrain-replicas');
  }
  for (let i = 0; i < 3; i++) {
    await eventually(async () => (await metric(i, 'portal_replica_healthy')) === 1, 20_000, `server ${i + 1} back on the replica`);
  }
});

test('replicas behind by more than the bound are set aside: the statistics count a new filing at once', async ({ request }) => {
  for (let i = 0; i < 3; i++) {
    await eventually(async () => (await metric(i, 'portal_replica_healthy')) === 1, 20_000, `server ${i + 1} on the replica`);
  }
  const year = new Date(Date.now() + 8 * 3600 * 1000).getUTCFullYear();
  const received = async (node: string) => {
    const html = await (await fetch(`${node}/stats`)).text();
    return Number(/data-testid="fig-received"[^>]*>([^<]*)</.exec(html)?.[1].replace(/\D/g, ''));
  };
  cluster('db', 'pause-replicas');
  try {
    // The replica stops replaying: this filing reaches the primary only.
    await fileComplaint(request);
    const total = Number(sql(`SELECT COUNT(*) FROM cases WHERE received_on >= '${year}-01-01'`));
    for (let i = 0; i < 3; i++) {
      await eventually(async () => (await metric(i, 'portal_replica_healthy')) === 0, 5_000, `server ${i + 1} sets the lagging replica aside`);
      expect(await metric(i, 'portal_replica_lag_seconds')).toBeGreaterThan(2);
      // Read from the primary (the figures are kept at most 2 s).
      await eventually(async () => (await received(NODES[i])) === total, 5_000, `server ${i + 1} counts ${total}`);
    }
  } finally {
    cluster('db', 'resume-replicas');
  }
  for (let i = 0; i < 3; i++) {
    await eventually(async () => (await metric(i, 'portal_replica_healthy')) === 1, 10_000, `server ${i + 1} back on the replica`);
  }
});

test('kill -9 a server while consumers file: every acknowledged filing is stored once, nginx sends the rest elsewhere', async () => {
  const load = new Load().start(4);
  await new Promise((r) => setTimeout(r, 1500));
  const before = load.acknowledged.size;
  try {
    cluster('kill-node', '2');
    await new Promise((r) => setTimeout(r, 3000));
    // Filings go on through the two servers left.
    expect(load.acknowledged.size).toBeGreaterThan(before + 5);
    await load.finish();
  } finally {
    cluster('start-node', '2');
  }
  load.checkStored();
  expect(await fileOnce(NODES[1], `cluster-back-${load.run}`, load.run), 'server 2 files again').toBeTruthy();
});

test('PostgreSQL restarted while consumers file: the servers reconnect by themselves, no acknowledged filing lost', async () => {
  const load = new Load().start(4);
  await new Promise((r) => setTimeout(r, 1500));
  cluster('db', 'restart-primary');
  const after = load.acknowledged.size;
  await eventually(async () => load.acknowledged.size > after + 5, 30_000, 'filings acknowledged after the restart');
  await load.finish();
  load.checkStored();
  for (const node of NODES) {
    await eventually(async () => (await fetch(`${node}/healthz`)).status === 200, 15_000, `${node} healthy`);
    expect(await fileOnce(node, `cluster-after-${load.run}-${node.slice(-4)}`, load.run), node).toBeTruthy();
  }
});
