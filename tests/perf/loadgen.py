"""A bounded HTTP load generator with threads, for 127.0.0.1 only.

Used by tests/perf/run.py when `wrk` is not installed, and by tests/perf/load_faults.py.
`python tests/perf/loadgen.py URL [URL ...] --seconds 10 --concurrency 8 --max-requests 200000`
prints one JSON line: requests, requests per second, statuses, errors. Every loop stops at the
time limit or the request limit, whichever comes first.
"""

import argparse
import http.client
import json
import threading
import time
from collections import Counter
from urllib.parse import urlsplit


def check_local(url):
    host = urlsplit(url).hostname
    if host not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit(f"refusing to send load to {host}: 127.0.0.1 only")


def run(urls, *, seconds, concurrency, max_requests, inspect=None, timeout=10):
    """Send GETs round-robin over `urls` from `concurrency` threads; `inspect(url, status, body,
    started, finished)` sees every response. Returns counts."""
    for url in urls:
        check_local(url)
    lock = threading.Lock()
    state = {"sent": 0}
    statuses, errors = Counter(), Counter()
    deadline = time.monotonic() + seconds

    def worker(offset):
        connection, index = None, offset
        while True:
            with lock:
                if state["sent"] >= max_requests or time.monotonic() >= deadline:
                    break
                state["sent"] += 1
            url = urls[index % len(urls)]
            index += 1
            parts = urlsplit(url)
            started = time.monotonic()
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
                connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
                response = connection.getresponse()
                body = response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException) as error:
                if connection is not None:
                    connection.close()
                connection = None
                with lock:
                    errors[type(error).__name__] += 1
                if inspect:
                    inspect(url, None, None, started, time.monotonic())
                time.sleep(0.01)
                continue
            with lock:
                statuses[status] += 1
            if inspect:
                inspect(url, status, body, started, time.monotonic())
        if connection is not None:
            connection.close()

    began = time.monotonic()
    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + timeout + 5)
    elapsed = time.monotonic() - began
    done = sum(statuses.values())
    return {
        "requests": done,
        "seconds": round(elapsed, 2),
        "rps": round(done / elapsed, 1),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "errors": dict(errors),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--max-requests", type=int, default=200_000)
    args = parser.parse_args()
    print(
        json.dumps(
            run(
                args.urls,
                seconds=min(args.seconds, 600),
                concurrency=args.concurrency,
                max_requests=args.max_requests,
            )
        )
    )


if __name__ == "__main__":
    main()
