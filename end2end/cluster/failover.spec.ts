import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { addEvidence, checkEnvironment, cluster, eventually, fileOnce, Load, NODES, sql, staffOpensEvidence } from './cluster';

// Losing a machine of the tiers under the app servers (scripts/cluster): a PostgreSQL host (its
// Patroni and its PostgreSQL killed at once), the synchronous standby, an etcd member, a Garage
// node; a planned switchover; and a backup restored to a point in time.

test.beforeAll(() => checkEnvironment());

const db = (...args: string[]) => cluster('db', ...args);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the three members run again, two of them replicas and one synchronous. */
async function healthyAgain() {
  await eventually(
    async () => {
      db('healthy'); // fails, and so throws, until they do
      return true;
    },
    90_000,
    'three members again',
  );
}

test('a database host lost while consumers file: filings acknowledged again within 30 s, none lost, the old primary rejoins as a replica', async () => {
  await healthyAgain();
  const leader = db('leader');
  const sync = db('sync');
  const load = new Load().start(4);
  await sleep(2000);
  const lost = Date.now();
  db('lose', leader);
  await eventually(async () => load.ackedAfter(lost + 1000) > 5, 40_000, 'filings acknowledged after the host was lost');
  await sleep(2000);
  await load.finish();
  const gap = load.longestGap(lost);
  console.log(`host lost: the longest time without an acknowledged filing ${gap.toFixed(1)} s; ${load.failedPosts} posts sent again`);
  expect(gap).toBeLessThan(30);
  // Only the synchronous standby may take over: it has every acknowledged commit.
  expect(db('leader')).toBe(sync);
  load.checkStored();
  // Started again, the old primary is rewound and follows the new one, with every filing.
  db('start', leader);
  await eventually(async () => db('replicas').split(' ').includes(leader), 90_000, `${leader} a replica again`);
  const list = [...load.acknowledged.values()].map((n) => `'${n}'`).join(',');
  await eventually(
    async () => db('psql', leader, '-qAtc', `SELECT COUNT(*) FROM cases WHERE case_no IN (${list})`) === String(load.acknowledged.size),
    30_000,
    `${leader} has every acknowledged filing`,
  );
});

test('a planned switchover while consumers file loses no acknowledged filing', async () => {
  await healthyAgain();
  const leader = db('leader');
  const load = new Load().start(4);
  await sleep(1500);
  const at = Date.now();
  db('switchover');
  await eventually(async () => db('leader') !== '' && db('leader') !== leader, 60_000, 'a new leader');
  await eventually(async () => load.ackedAfter(at + 500) > 5, 30_000, 'filings go on after the switchover');
  await load.finish();
  console.log(`switchover: the longest time without an acknowledged filing ${load.longestGap(at).toFixed(1)} s`);
  load.checkStored();
});

test('the synchronous standby lost: filings go on with the third member synchronous', async () => {
  await healthyAgain();
  const sync = db('sync');
  const load = new Load().start(4);
  await sleep(1500);
  const lost = Date.now();
  db('lose', sync);
  try {
    await eventually(async () => load.ackedAfter(lost + 500) > 10, 40_000, 'filings acknowledged without the standby');
    await eventually(async () => !['', sync].includes(db('sync')), 20_000, 'the third member synchronous');
    await load.finish();
    console.log(`standby lost: the longest time without an acknowledged filing ${load.longestGap(lost).toFixed(1)} s`);
    load.checkStored();
  } finally {
    db('start', sync);
  }
});

test('etcd\'s leader lost: nothing changes for the consumers', async () => {
  await healthyAgain();
  const leader = db('leader');
  const load = new Load().start(4);
  await sleep(1500);
  const lost = Date.now();
  // etcd's own leader, the worst one to lose: an election follows.
  const member = db('etcd-leader');
  expect(member).toMatch(/^[123]$/);
  db('kill-etcd', member);
  try {
    await sleep(8000);
    await load.finish();
    const gap = load.longestGap(lost);
    console.log(`etcd member lost: the longest time without an acknowledged filing ${gap.toFixed(1)} s`);
    expect(gap).toBeLessThan(3);
    expect(db('leader')).toBe(leader);
    load.checkStored();
  } finally {
    db('start-etcd', member);
  }
});

test('a Garage node lost: evidence is stored and read on; back, the node serves it too', async ({ browser, request }) => {
  cluster('s3', 'kill', '3');
  let caseNo: string;
  try {
    caseNo = await addEvidence(browser, request, '节点停机时上传的购物小票。');
    await staffOpensEvidence(browser, NODES[1], caseNo);
  } finally {
    cluster('s3', 'start', '3');
  }
  // With node 3 back and node 1 lost instead, what was written while node 3 was away is read
  // from nodes 2 and 3 (a quorum of two).
  cluster('s3', 'kill', '1');
  try {
    await staffOpensEvidence(browser, NODES[2], caseNo);
  } finally {
    cluster('s3', 'start', '1');
  }
});

test('the restore drill brings a backup back to a point in time between two filings', async () => {
  const run = `${Date.now().toString(36)}`;
  const first = await fileOnce(NODES[0], `drill-first-${run}`, `drill-${run}`);
  expect(first).toBeTruthy();
  await sleep(1100);
  const between = sql('SELECT now()');
  await sleep(1100);
  const second = await fileOnce(NODES[0], `drill-second-${run}`, `drill-${run}`);
  expect(second).toBeTruthy();
  // The WAL with both commits is archived now (pgBackRest switches the segment and waits).
  cluster('backup', 'check');
  const out = execFileSync(
    join(__dirname, '..', '..', 'scripts', 'restore-drill'),
    ['--time', between, '--sql', `SELECT COUNT(*) FROM cases WHERE case_no = '${first}'`, '--sql', `SELECT COUNT(*) FROM cases WHERE case_no = '${second}'`],
    { env: process.env, encoding: 'utf8', timeout: 300_000 },
  );
  console.log(out.trim());
  const answers = [...out.matchAll(/^sql: (.*)$/gm)].map((m) => m[1]);
  expect(answers, 'the first filing restored, the second not').toEqual(['1', '0']);
});
