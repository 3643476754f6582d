#!/usr/bin/env python3
"""Hostile traffic against a running portal (scripts/attack starts one): for each attack, the
latency of /track/{case} and /guide (wrk, p50 and p99) alone and under the attack in the same run,
the server's peak resident memory, the 5xx answers (500s, and 503s shed on purpose with
Retry-After), and whether /healthz answered throughout. Prints a Markdown table; asserts nothing.

Usage: attack.py <port> <server pid>. Only the Python standard library and wrk are used.
"""
import asyncio
import datetime
import random
import re
import string
import subprocess
import sys
import time
import urllib.parse

PORT = int(sys.argv[1])
PID = int(sys.argv[2])
HOST = "127.0.0.1"
DURATION = 14  # seconds each attack runs; the measurement starts 2 s in and takes 10 s


async def http(method, path, headers=None, body=b"", timeout=30.0):
    """One request on a fresh connection: (status, headers, body); status 0 if it failed."""
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, PORT), timeout)
    except (OSError, asyncio.TimeoutError):
        return 0, {}, b""
    head = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{PORT}", "Connection: close", f"Content-Length: {len(body)}"]
    head += [f"{k}: {v}" for k, v in (headers or {}).items()]
    try:
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), timeout)
    except (OSError, asyncio.TimeoutError):
        return 0, {}, b""
    finally:
        writer.close()
    head, _, rest = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    try:
        status = int(lines[0].split()[1])
    except (IndexError, ValueError):
        return 0, {}, b""
    hdrs = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        hdrs.setdefault(k.strip().lower(), []).append(v.strip())
    return status, hdrs, rest


def form(fields):
    return urllib.parse.urlencode(fields).encode()


URLENC = {"Content-Type": "application/x-www-form-urlencoded"}


def complaint(key):
    today = (datetime.datetime.utcnow() + datetime.timedelta(hours=8)).date().isoformat()
    return {
        "step": "review", "key": key, "personal_use": "yes", "business_dispute": "yes", "other_body": "no",
        "within_limitation": "yes", "kind": "complaint", "category": "G05", "business_name": "西宁某某电器有限公司",
        "business_address": "西宁市城东区八一路1号", "business_county": "630102", "incident_on": today,
        "amount_paid": "2999", "demand": "refund", "facts": "购买的洗衣机第二天就无法脱水，商家拒绝退货。",
        "consumer_name": "张三", "consumer_phone": "138" + "".join(random.choices(string.digits, k=8)),
        "consumer_address": "西宁市城西区胜利路8号", "go": "submit",
    }


async def tracked_case():
    """Files a complaint as a consumer would and looks it up: the path and cookie of its page."""
    status, hdrs, body = await http("POST", "/file", URLENC, form(complaint(f"attack-{random.getrandbits(64):x}")))
    if status == 303:  # to the receipt, which reads the query code from its cookie
        cookie = "; ".join(c.split(";")[0] for c in hdrs.get("set-cookie", []))
        status, _, body = await http("GET", hdrs["location"][0], {"Cookie": cookie})
    text = body.decode("utf-8", "replace")
    no = re.search(r'data-testid="case-no"[^>]*>([^<]+)<', text)
    code = re.search(r'data-testid="query-code"[^>]*>([^<]+)<', text)
    if status != 200 or not no or not code:
        sys.exit(f"could not file the sample complaint ({status})")
    status, hdrs, _ = await http("POST", "/track", URLENC, form({"case_no": no.group(1), "code": code.group(1)}))
    cookie = "; ".join(c.split(";")[0] for c in hdrs.get("set-cookie", []))
    if status != 303 or not cookie:
        sys.exit(f"could not look the sample complaint up ({status})")
    return f"/track/{no.group(1)}", cookie


class Tally:
    def __init__(self):
        self.statuses = {}

    def add(self, status):
        self.statuses[status] = self.statuses.get(status, 0) + 1

    def count(self, pred):
        return sum(n for s, n in self.statuses.items() if pred(s))


# ---- the attacks: each runs until `stop` (a monotonic time), tallying the answers it gets ----

async def sign_in_flood(stop, tally):
    """200 sign-ins a second with random user names, from random addresses (a botnet)."""
    tasks = set()
    while time.monotonic() < stop:
        user = "".join(random.choices(string.ascii_lowercase, k=8))
        ip = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
        body = form({"username": user, "password": "a guessed password"})

        async def one(body=body, ip=ip):
            tally.add((await http("POST", "/staff/login", {**URLENC, "X-Real-IP": ip}, body))[0])

        t = asyncio.create_task(one())
        tasks.add(t)
        t.add_done_callback(tasks.discard)
        await asyncio.sleep(1 / 200)
    await asyncio.gather(*tasks)


async def slow_headers(stop, tally):
    """500 connections that send their headers a few bytes every 2 s, reopened when closed."""

    async def one():
        while time.monotonic() < stop:
            try:
                reader, writer = await asyncio.open_connection(HOST, PORT)
            except OSError:
                await asyncio.sleep(0.5)
                continue
            try:
                writer.write(b"GET /guide HTTP/1.1\r\nHost: x\r\n")
                while time.monotonic() < stop:
                    await asyncio.sleep(2)
                    writer.write(b"X-Slow: a\r\n")
                    await writer.drain()
                    if reader.at_eof():
                        break
            except OSError:
                pass
            finally:
                tally.add("closed by server" if time.monotonic() < stop else "held to the end")
                writer.close()

    await asyncio.gather(*(one() for _ in range(500)))


async def big_uploads(stop, tally, size=50 << 20, many_addresses=False):
    """20 uploads of 50 MB at once, again and again."""
    pre = (b"--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.jpg\"\r\n"
           b"Content-Type: image/jpeg\r\n\r\n\xFF\xD8\xFF")
    chunk = b"\0" * (64 << 10)

    async def one():
        while time.monotonic() < stop:
            try:
                reader, writer = await asyncio.open_connection(HOST, PORT)
                ip = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
                writer.write((f"POST /file/evidence HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                              + (f"X-Real-IP: {ip}\r\n" if many_addresses else "")
                              + f"Content-Type: multipart/form-data; boundary=B\r\nContent-Length: {size}\r\n\r\n").encode())
                writer.write(pre)
                sent = len(pre)
                end = b"\r\n--B--\r\n"
                while sent < size - len(end) and time.monotonic() < stop and not reader.at_eof():
                    part = chunk[: size - len(end) - sent]
                    writer.write(part)
                    await writer.drain()
                    sent += len(part)
                writer.write(end)
                line = await asyncio.wait_for(reader.readline(), 30)
                tally.add(int(line.split()[1]) if line else 0)
                writer.close()
            except (OSError, asyncio.TimeoutError, IndexError, ValueError):
                tally.add(0)

    await asyncio.gather(*(one() for _ in range(20)))


async def near_limit_uploads(stop, tally):
    """20 uploads of a file just under 10 MB at once, again and again, each from another address
    (a botnet): every one is read, checked, stripped and stored."""
    await big_uploads(stop, tally, size=(10 << 20) - 4096, many_addresses=True)


async def live_flood(stop, tally):
    """2,000 open-day screens at once, each held open."""

    async def one():
        try:
            reader, writer = await asyncio.open_connection(HOST, PORT)
            writer.write(b"GET /stats/live HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
            line = await asyncio.wait_for(reader.readline(), 30)
            tally.add(int(line.split()[1]) if line else 0)
            while time.monotonic() < stop and not reader.at_eof():
                await asyncio.wait_for(reader.read(4096), max(0.1, stop - time.monotonic()))
        except (OSError, asyncio.TimeoutError, IndexError, ValueError):
            pass
        finally:
            try:
                writer.close()
            except UnboundLocalError:
                pass

    await asyncio.gather(*(one() for _ in range(2000)))


async def upload_flood(stop, tally):
    """Small valid uploads as fast as 32 connections can send them, from one address."""
    body = (b"--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF-1.4 "
            + b"x" * 2000 + b"\r\n--B--\r\n")
    hdrs = {"Content-Type": "multipart/form-data; boundary=B", "X-Real-IP": "203.0.113.7"}

    async def one():
        while time.monotonic() < stop:
            tally.add((await http("POST", "/file/evidence", hdrs, body))[0])

    await asyncio.gather(*(one() for _ in range(32)))


async def filing_flood(stop, tally):
    """Complete filings as fast as 16 connections can send them, from one address."""
    hdrs = {**URLENC, "X-Real-IP": "203.0.113.8"}

    async def one():
        while time.monotonic() < stop:
            tally.add((await http("POST", "/file", hdrs, form(complaint(f"flood-{random.getrandbits(64):x}"))))[0])

    await asyncio.gather(*(one() for _ in range(16)))


ATTACKS = [
    ("sign-in flood (200/s, random users and addresses)", sign_in_flood),
    ("500 slow-header connections", slow_headers),
    ("20 parallel 50 MB uploads", big_uploads),
    ("20 parallel 10 MB uploads from many addresses", near_limit_uploads),
    ("2,000 /stats/live connections", live_flood),
    ("upload flood from one address", upload_flood),
    ("filing flood from one address", filing_flood),
]

# ---- measuring ----

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


async def wrk(path, cookie=None):
    """p50 and p99 (ms) and non-2xx/3xx answers of 10 s of wrk (1 thread, 8 connections)."""
    args = ["wrk", "-t1", "-c8", "-d10s", "--latency", "--timeout", "10s"]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    proc = await asyncio.create_subprocess_exec(*args, f"http://{HOST}:{PORT}{path}",
                                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = (await proc.communicate())[0].decode()
    pct = {m.group(1): float(m.group(2)) * UNITS[m.group(3)]
           for m in re.finditer(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)$", out, re.M)}
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return pct.get("50", float("nan")), pct.get("99", float("nan")), int(bad.group(1)) if bad else 0


def rss_mb():
    with open(f"/proc/{PID}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1)) / 1024


async def watch(stop, samples, health):
    """Until `stop`: the server's memory every 100 ms, /healthz every 250 ms (2 s to answer)."""

    async def memory():
        while time.monotonic() < stop:
            samples.append(rss_mb())
            await asyncio.sleep(0.1)

    async def healthz():
        while time.monotonic() < stop:
            status, _, _ = await http("GET", "/healthz", timeout=2)
            health.append(status == 200)
            await asyncio.sleep(0.25)

    await asyncio.gather(memory(), healthz())


async def measure(track, cookie):
    t = await wrk(track, cookie)
    g = await wrk("/guide")
    return t, g


async def main():
    track, cookie = await tracked_case()
    samples, health = [], []
    stop = time.monotonic() + 25
    watcher = asyncio.create_task(watch(stop, samples, health))
    alone_t, alone_g = await measure(track, cookie)
    await watcher
    print(f"alone: /track/{{case}} p50 {alone_t[0]:.1f} ms p99 {alone_t[1]:.1f} ms; "
          f"/guide p50 {alone_g[0]:.1f} ms p99 {alone_g[1]:.1f} ms; RSS {max(samples):.0f} MB", flush=True)
    print()
    print("| attack | /track p50 / p99 (ms) | ratio p99 | /guide p50 / p99 (ms) | ratio p99 "
          "| peak RSS | 500s | 503 shed | wrk non-2xx | /healthz |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, attack in ATTACKS:
        tally, samples, health = Tally(), [], []
        stop = time.monotonic() + DURATION + 12
        running = asyncio.create_task(attack(stop, tally))
        watcher = asyncio.create_task(watch(stop, samples, health))
        await asyncio.sleep(2)
        t, g = await measure(track, cookie)
        await asyncio.gather(running, watcher)
        s500 = tally.count(lambda s: isinstance(s, int) and 500 <= s < 600 and s != 503)
        s503 = tally.count(lambda s: s == 503)
        ok = sum(health)
        print(f"| {name} | {t[0]:.1f} / {t[1]:.1f} | {t[1] / alone_t[1]:.2f} | {g[0]:.1f} / {g[1]:.1f} "
              f"| {g[1] / alone_g[1]:.2f} | {max(samples):.0f} MB | {s500} | {s503} | {t[2] + g[2]} "
              f"| {ok}/{len(health)} |", flush=True)
        print(f"    answers to the attacker: {dict(sorted(tally.statuses.items(), key=str))}", file=sys.stderr)
        await asyncio.sleep(3)


asyncio.run(main())
