import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// A language's messages, read from the portal's own catalogue (`app/locales/<tag>.ftl`), so that
// a test in a language no tester reads follows the file the portal is built from. Messages the
// file leaves out fall back to Simplified Chinese, as in the portal.

function read(tag: string): Record<string, string> {
  const text = readFileSync(join(__dirname, '..', '..', 'app', 'locales', `${tag}.ftl`), 'utf8');
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^(\w+) = (.*)$/.exec(line);
    if (!m) continue;
    // A value written as one string literal, {"…"}, for its leading or trailing spaces.
    const literal = /^\{"(.*)"\}$/.exec(m[2]);
    out[m[1]] = literal ? JSON.parse(`"${literal[1]}"`) : m[2];
  }
  return out;
}

export function messages(tag: string): Record<string, string> {
  const own = read(tag);
  const all = { ...read('zh-CN'), ...own };
  return new Proxy(all, {
    get(target, key: string) {
      if (!(key in target)) throw new Error(`no message ${key}`);
      return target[key];
    },
  });
}
