import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { acceptEach, addEvidence, BASE, checkEnvironment, cluster, eventually, fileOnce, Load, NODES, sql, staffOpensEvidence, supervisor } from './cluster';

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

test('a database host lost while consumers file and a supervisor works: filings acknowledged again within 30 s, none lost, each step taken once, the old primary rejoins as a replica', async ({ browser }) => {
  await healthyAgain();
  const leader = db('leader');
  const sync = db('sync');
  // Cases for the supervisor to accept while the host is lost, one after another.
  const run = Date.now().toString(36);
  const cases: string[] = [];
  for (let i = 0; i < 12; i++) cases.push((await fileOnce(BASE, `steps-${run}-${i}`, `steps-${run}`))!);
  expect(cases.every(Boolean), 'the cases to accept are filed').toBe(true);
  const staff = (await supervisor(browser)).request;
  const load = new Load().start(4);
  await sleep(2000);
  const lost = Date.now();
  db('lose', leader);
  const steps = acceptEach(staff, cases);
  await eventually(async () => load.ackedAfter(lost + 1000) > 5, 40_000, 'filings acknowledged after the host was lost');
  await sleep(2000);
  await load.finish();
  const stepsAgain = await steps;
  console.log(`host lost: ${cases.length} steps taken, ${stepsAgain} of them posted again`);
  // Every step once: the server's own retries through the failover took none twice.
  const stepCases = cases.map((n) => `'${n}'`).join(',');
  const taken = `SELECT COUNT(*) FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.case_no IN (${stepCases}) AND e.action = 'accept' AND e.actor_id = 'cluster-supervisor'`;
  expect(sql(taken)).toBe(String(cases.length));
  expect(sql(`SELECT COUNT(*) FROM cases WHERE case_no IN (${stepCases}) AND version = 2 AND state = 'accepted'`)).toBe(String(cases.length));
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

/** The data blocks on Garage node `i`'s disk. */
const blocks = (i: number) => new Set(cluster('s3', 'blocks', String(i)).split('\n').filter(Boolean));

test('a Garage node lost: evidence is stored and read on; back, the node catches up and serves it too', async ({ browser, request }) => {
  test.setTimeout(240_000);
  cluster('s3', 'kill', '3');
  let caseNo: string;
  let missing: string[];
  try {
    // A phone's photo: kept in blocks of its own (a tiny file would live in the metadata).
    caseNo = await addEvidence(browser, request, '节点停机时上传的购物小票。', true);
    await staffOpensEvidence(browser, NODES[1], caseNo);
    const away = blocks(3);
    missing = [...blocks(2)].filter((b) => !away.has(b));
    expect(missing.length, 'blocks written while node 3 was away').toBeGreaterThan(0);
  } finally {
    cluster('s3', 'start', '3');
  }
  // Back (`cluster-s3 start` has every node run a full sync of the tables), node 3 gets the
  // entries it missed and fetches the blocks they name: it holds every one on its own disk.
  const started = Date.now();
  await eventually(async () => {
    const now = blocks(3);
    return missing.every((b) => now.has(b));
  }, 180_000, `node 3 holds the ${missing.length} blocks written while it was away`);
  console.log(`Garage node back: ${missing.length} blocks caught up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
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
