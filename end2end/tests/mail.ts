import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A message the test mail server (scripts/smtp-up) kept: its head and its decoded body. */
export interface Mail {
  head: string;
  body: string;
}

function quotedPrintable(s: string): string {
  const bytes: number[] = [];
  const text = s.replace(/=\n/g, '');
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '=' && /^[0-9A-F]{2}$/i.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The messages to `to` in the Maildir `MAILDIR` names (scripts/test sets it). */
export function mailsTo(to: string): Mail[] {
  const dir = process.env.MAILDIR;
  if (!dir) throw new Error('MAILDIR must name the test mail server\'s Maildir (scripts/test sets it)');
  const out: Mail[] = [];
  for (const f of readdirSync(join(dir, 'new'))) {
    const raw = readFileSync(join(dir, 'new', f), 'utf8').replace(/\r\n/g, '\n');
    const at = raw.indexOf('\n\n');
    const head = raw.slice(0, at);
    if (!head.split('\n').some((l) => l.startsWith('To: ') && l.includes(to))) continue;
    let body = raw.slice(at + 2);
    if (/Content-Transfer-Encoding: base64/i.test(head)) body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    else if (/Content-Transfer-Encoding: quoted-printable/i.test(head)) body = quotedPrintable(body);
    out.push({ head, body });
  }
  return out;
}

/** The value of a header of a mail's head (one line). */
export function header(mail: Mail, name: string): string | undefined {
  const line = mail.head.split('\n').find((l) => l.startsWith(`${name}: `));
  return line?.slice(name.length + 2);
}
