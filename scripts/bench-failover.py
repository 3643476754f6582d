#!/usr/bin/env python3
"""Failover under load, for scripts/bench-cluster: four consumers post filings through nginx
without pause (each filing retried with its idempotency key until its receipt comes back, as the
filing page does); after 3 s a command loses a machine; the run ends 5 s after filings are
acknowledged again. Prints one line: the longest time without an acknowledged filing, the posts
that went unanswered, the filings acknowledged. Standard library only.

    bench-failover.py BASE_URL FORM_FILE COMMAND…
"""
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main():
    base, form_file, command = sys.argv[1], sys.argv[2], sys.argv[3:]
    body = open(form_file).read()
    opener = urllib.request.build_opener(NoRedirect)
    acks, failed = [], [0]
    lock = threading.Lock()
    stop = threading.Event()
    run = f"{time.time():.0f}"

    def consumer(c):
        n = 0
        while not stop.is_set():
            key = f"failover-{run}-{c}-{n}"
            n += 1
            while not stop.is_set():
                data = f"key={key}&{body}".encode()
                req = urllib.request.Request(f"{base}/file", data=data, method="POST")
                req.add_header("Content-Type", "application/x-www-form-urlencoded")
                try:
                    opener.open(req, timeout=15)
                    status = 200
                except urllib.error.HTTPError as e:
                    status = e.code
                except Exception:
                    status = 0
                if status == 303:
                    with lock:
                        acks.append(time.time())
                    break
                with lock:
                    failed[0] += 1
                time.sleep(0.2)

    threads = [threading.Thread(target=consumer, args=(c,), daemon=True) for c in range(4)]
    for t in threads:
        t.start()
    time.sleep(3)
    lost = time.time()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    deadline = lost + 120
    while time.time() < deadline:
        with lock:
            resumed = [a for a in acks if a > lost + 1]
        if len(resumed) >= 5 and time.time() - resumed[0] > 5:
            break
        time.sleep(0.2)
    stop.set()
    for t in threads:
        t.join(timeout=20)
    with lock:
        times = sorted(a for a in acks if a > lost)
    gap, last = 0.0, lost
    for a in times:
        gap, last = max(gap, a - last), a
    print(f"{gap:.1f} {failed[0]} {len(acks)}")


if __name__ == "__main__":
    main()
