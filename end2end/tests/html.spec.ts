import { test, expect, Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileComplaint, staffAccount } from './cases';
import { signIn } from './signin';

// Every page as the server sends it, in each language, through the W3C Nu HTML checker (vnu-jar
// from the npm registry, on the machine's Java): valid HTML but for what the framework itself
// writes, named below.

const vnu = join(__dirname, '..', 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');

/** What Leptos writes that the checker does not accept, and only that. */
const FRAMEWORK: { why: string; message: RegExp; extract: RegExp }[] = [
  // Hydration markers: Leptos writes `<!>` (an empty comment, which the HTML parser calls bogus)
  // between the pieces of a view so that the browser's hydration finds them again.
  { why: 'Leptos hydration marker <!>', message: /^Bogus comment\.$/, extract: /<!>/ },
  // Streamed resources: Leptos appends the resolved data of a <Suspense> as <script> elements
  // after </html> (out-of-order streaming); the checker stops there (nothing of ours follows).
  { why: 'Leptos streamed resource scripts after </html>', message: /^Stray (start|end) tag “script”\.$/, extract: /./ },
  // With every component type-erased (`always-erase-components`), a hydration marker precedes them.
  { why: 'Leptos streamed resource scripts after </html>', message: /^Cannot recover after last error\./, extract: /<\/html>(<!>)?<script/ },
];

interface Message {
  type: string;
  subType?: string;
  url: string;
  message: string;
  extract?: string;
}

const CONSUMER = ['/', '/file', '/track', '/track/recover', '/guide', '/stats', '/cases', '/businesses', '/alerts?target=c:630102', '/api', '/stats/screen', '/staff/login', '/no-such-page'];
const STAFF = ['/staff', '/staff/intake', '/staff/audit', '/staff/outbox', '/staff/publish', '/staff/objections'];

async function pages(page: Page, paths: string[], dir: string, lang: string, files: Map<string, string>) {
  for (const path of paths) {
    const res = await page.request.get(path, { maxRedirects: 0 });
    expect(res.status(), `${path} (${lang})`).toBeLessThan(500);
    const file = join(dir, `${lang}${path.replace(/[^a-z0-9]+/gi, '_')}.html`);
    writeFileSync(file, await res.text());
    files.set(`file:${file}`, `${path} (${lang})`);
  }
}

test('every page, consumer, staff and open day, in each language, is valid HTML but for the framework markers', async ({
  page,
  request,
  context,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const { caseNo, code } = await fileComplaint(request, '13811112222');
  staffAccount('html-super', 'supervisor', 'a long staff password');
  await signIn(page, 'html-super', 'a long staff password');
  // The tracking cookie of the case, as a consumer's browser gets it.
  await page.request.post('/track', { form: { case_no: caseNo, code }, maxRedirects: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'portal-html-'));
  const files = new Map<string, string>();
  for (const lang of ['zh-CN', 'en', 'bo']) {
    await context.addCookies([{ name: 'lang', value: lang, url: baseURL! }]);
    await pages(page, [...CONSUMER, `/track/${caseNo}`, `/file/done/${caseNo}`], dir, lang, files);
    await pages(page, [...STAFF, `/staff/cases/${caseNo}`], dir, lang, files);
  }
  const out = execFileSync('java', ['-jar', vnu, '--format', 'json', '--stdout', '--exit-zero-always', ...files.keys()].map((a) => a.replace(/^file:/, '')), {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const messages: Message[] = JSON.parse(out).messages;
  const errors = messages.filter((m) => m.type === 'error' || m.type === 'non-document-error');
  const framework = errors.filter((m) => FRAMEWORK.some((f) => f.message.test(m.message) && f.extract.test(m.extract ?? '')));
  const ours = errors
    .filter((m) => !framework.includes(m))
    .map((m) => `${files.get(m.url) ?? m.url}: ${m.message} [${(m.extract ?? '').trim()}]`);
  expect(ours, 'errors that are not the framework markers').toEqual([]);
  // The checker did read the pages: the framework's markers are there on every one.
  expect(new Set(framework.map((m) => m.url)).size).toBe(files.size);
  // Every page was read (none failed to parse).
  expect(files.size).toBe(3 * (CONSUMER.length + 2 + STAFF.length + 1));
});
