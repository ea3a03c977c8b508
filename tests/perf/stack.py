"""The shipped stack under load: deploy/nginx/bioproject.conf in front of deploy/gunicorn.conf.py,
measured against a plain `gunicorn -w N` and against nginx serving a static file of the same bytes.

    python tests/perf/stack.py                 # ~5 minutes: ratios, then 60 s of mixed load
    python tests/perf/stack.py --seconds 3 --load-seconds 10 --rounds 1    # a quick look

Not part of the test run (tests/ops/test_load.py is its short version). Its own PostgreSQL
database (bp_w24a_stack, or --database-url) holds the demo profile (`manage.py demo --no-serve`);
Redis db 14 the live stamps. Everything listens on free loopback ports and is stopped at the end.
Needs wrk (Debian package `wrk`) and nginx.

1. Ratios in one run, each measure once a round in turn (`--rounds`, medians), wrk -t2 -c16:
   - gunicorn alone, the demo page: the shipped configuration ÷ a plain `gunicorn -w N`;
   - the same page through nginx with the micro-cache bypassed (a session cookie), in front of
     each: the app servers as nginx's upstream keep-alive meets them;
   - the page and its JSON through nginx as readers get them (micro-cache) ÷ a static file of the
     same bytes served by the same nginx.
2. `--load-seconds` (60) of mixed readers through nginx and the shipped gunicorn: cached pages,
   JSON, lists, uncacheable addresses (a query string of their own), three Accept-Encodings;
   errors, time-outs (wrk's 2 s), p50/p99, and the workers started during the load by second.
3. The same for half as long with every worker over its memory limit (GUNICORN_MAX_WORKER_MB=1)
   and recycled 5 s apart (GUNICORN_RECYCLE_GAP_SECONDS=5, 30 s shipped): the worst case of
   recycling, one worker at a time.
With --classes, between 1 and 2: the shipped configuration with sync workers and with gthread at
1, 2, 4 and 8 threads, the page directly and through nginx (the choice in docs/deployment.md).
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from front import bench_config, stop, wait_up, wrapper_config  # noqa: E402
from run import PG_SERVER, PY, REDIS_URL, ROOT, base_env, free_port, log, manage, psql  # noqa: E402

SHIPPED = ROOT / "deploy" / "gunicorn.conf.py"
BOOT = re.compile(
    r"^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)[^]]*\] \[\d+\] \[INFO\] Booting worker with pid", re.M
)
MIXED_LUA = """
local paths = {PATHS}
local encodings = {"gzip, deflate, br", "gzip", "identity"}
local n = 0
request = function()
  n = n + 1
  local path = paths[(n % #paths) + 1]
  if n % 5 == 0 then
    path = path .. (path:find("?", 1, true) and "&" or "?") .. "r=" .. n .. math.random(1000000)
  end
  return wrk.format("GET", path, {["Accept-Encoding"] = encodings[(n % 3) + 1]})
end
"""


def wrk(url, seconds, *, connections=16, headers=(), script=None):
    """wrk's figures: requests/s, errors (non-2xx/3xx and socket errors), time-outs, p50/p99 ms."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "2s", "--latency"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", script]
    output = subprocess.run(command + [url], capture_output=True, text=True, timeout=seconds + 60).stdout
    socket_errors = dict(
        (name, int(count)) for name, count in re.findall(r"(connect|read|write|timeout) (\d+)", output)
    )
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)

    def percentile(label):
        found = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        value, unit = float(found.group(1)), found.group(2)
        return round(value * {"us": 0.001, "ms": 1, "s": 1000}[unit], 2)

    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "errors": (int(bad.group(1)) if bad else 0)
        + sum(v for k, v in socket_errors.items() if k != "timeout"),
        "timeouts": socket_errors.get("timeout", 0),
        "p50_ms": percentile("50"),
        "p99_ms": percentile("99"),
    }


def get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read()


class Stack:
    """App servers and nginx instances on loopback ports; close() stops them all."""

    def __init__(self, env):
        self.env, self.processes = env, []
        self.prefix = Path(tempfile.mkdtemp(prefix="bioproject_stack_"))

    def gunicorn(self, name, shipped, flags=(), **extra):
        """A plain `gunicorn -w N`, or the shipped configuration with command-line `flags` over it."""
        port = free_port()
        log_path = self.prefix / f"{name}.log"
        if shipped:
            command = [PY, "-m", "gunicorn", "-c", str(SHIPPED), *flags, "bioproject.wsgi"]
        else:
            workers = str(os.cpu_count())
            command = [PY, "-m", "gunicorn", "-w", workers, "-b", f"127.0.0.1:{port}", "bioproject.wsgi"]
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=dict(self.env, GUNICORN_BIND=f"127.0.0.1:{port}", **extra),
            stdout=open(log_path, "w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        wait_up(f"http://127.0.0.1:{port}/healthz", process)
        return process, port, log_path

    def nginx(self, name, app_port):
        """The shipped nginx configuration in front of `app_port`, with a static floor beside it."""
        prefix = self.prefix / name
        for sub in ("cache", "floor", "body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (prefix / sub).mkdir(parents=True)
        listen, floor = free_port(), free_port()
        (prefix / "bioproject.conf").write_text(bench_config([app_port], listen, prefix))
        (prefix / "nginx.conf").write_text(wrapper_config(prefix, floor))
        process = subprocess.Popen(
            ["nginx", "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
            stdout=open(prefix / "nginx.log", "w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        wait_up(f"http://127.0.0.1:{listen}/healthz", process)
        return f"http://127.0.0.1:{listen}", f"http://127.0.0.1:{floor}", prefix / "floor"

    def close(self):
        for process in reversed(self.processes):
            stop(process)
        shutil.rmtree(self.prefix, ignore_errors=True)


def boots_during(log_path, started, ended):
    """The seconds in which workers of this server booted between `started` and `ended` (epoch)."""
    seconds = []
    for stamp in BOOT.findall(log_path.read_text()):
        moment = time.mktime(time.strptime(stamp, "%Y-%m-%d %H:%M:%S")) - time.timezone
        if started - 1 <= moment <= ended + 1:
            seconds.append(stamp)
    return Counter(seconds)


def mixed_load(folder, base, log_path, seconds, paths):
    """wrk's figures for `seconds` of MIXED_LUA's readers of `paths` at `base`, with the workers
    booted meanwhile by the gunicorn that writes `log_path`."""
    script = folder / f"mixed-{uuid.uuid4().hex[:6]}.lua"
    script.write_text(MIXED_LUA.replace("{PATHS}", "{" + ", ".join(json.dumps(p) for p in paths) + "}"))
    started = time.time()
    result = wrk(base + "/", seconds, script=str(script))
    ended = time.time()
    boots = boots_during(log_path, started, ended)
    result["worker_boots"] = sum(boots.values())
    result["most_boots_in_one_second"] = max(boots.values(), default=0)
    result["recycled"] = log_path.read_text().count("recycling it")
    return result


def ratios(stack, slug, seconds, rounds):
    plain, plain_port, _ = stack.gunicorn("plain", shipped=False)
    shipped, shipped_port, _ = stack.gunicorn("shipped", shipped=True)
    front, floor, floor_dir = stack.nginx("front", shipped_port)
    front_plain, _, _ = stack.nginx("front-plain", plain_port)
    page, data = f"/people/{slug}/", f"/people/{slug}.json"
    gzip = "Accept-Encoding: gzip, deflate, br"
    for base in (f"http://127.0.0.1:{plain_port}", f"http://127.0.0.1:{shipped_port}", front, front_plain):
        for _ in range(6):  # every worker knows the page
            get(base + page, {"Accept-Encoding": "gzip"})
            get(base + data, {"Accept-Encoding": "gzip"})
    # The static floor: the very bytes a gzip reader gets through nginx.
    (floor_dir / "page.html").write_bytes(get(front + page, {"Accept-Encoding": "gzip"})[1])
    (floor_dir / "page.json").write_bytes(get(front + data, {"Accept-Encoding": "gzip"})[1])
    bypass = "Cookie: sessionid=none"  # through nginx to the app every time
    measures = {
        "gunicorn plain -w N": (f"http://127.0.0.1:{plain_port}{page}", [gzip]),
        "gunicorn shipped": (f"http://127.0.0.1:{shipped_port}{page}", [gzip]),
        "nginx uncached -> plain": (front_plain + page, [gzip, bypass]),
        "nginx uncached -> shipped": (front + page, [gzip, bypass]),
        "static file, page bytes": (floor + "/page.html", []),
        "page through nginx": (front + page, [gzip]),
        "static file, JSON bytes": (floor + "/page.json", []),
        "JSON through nginx": (front + data, [gzip]),
    }
    figures = {name: [] for name in measures}
    for number in range(rounds):
        for name, (url, headers) in measures.items():
            figures[name].append(wrk(url, seconds, headers=headers))
            log(f"round {number + 1}: {name}: {figures[name][-1]['rps']:.0f} req/s")
    medians = {name: statistics.median(r["rps"] for r in runs) for name, runs in figures.items()}
    errors = sum(r["errors"] + r["timeouts"] for runs in figures.values() for r in runs)
    for process in (plain, shipped):
        stop(process)
    return medians, errors, front


def worker_classes(stack, slug, seconds, rounds):
    """The page directly and through nginx (micro-cache bypassed) from the shipped configuration
    with sync workers and with gthread at 1, 2, 4 and 8 threads: medians of requests/s."""
    variants = {
        "sync": ["-k", "sync", "--threads", "1"],
        **{f"gthread, {n} threads": ["-k", "gthread", "--threads", str(n)] for n in (1, 2, 4, 8)},
    }
    page, gzip, bypass = f"/people/{slug}/", "Accept-Encoding: gzip", "Cookie: sessionid=none"
    servers = {}
    for name, flags in variants.items():
        process, port, _ = stack.gunicorn(f"class-{len(servers)}", shipped=True, flags=flags)
        front, _, _ = stack.nginx(f"class-front-{len(servers)}", port)
        for base in (f"http://127.0.0.1:{port}", front):
            for _ in range(6):
                get(base + page, {"Accept-Encoding": "gzip"})
        servers[name] = (f"http://127.0.0.1:{port}{page}", front + page)
    figures = {name: ([], []) for name in variants}
    for number in range(rounds):
        for name, (direct, through) in servers.items():
            figures[name][0].append(wrk(direct, seconds, headers=[gzip])["rps"])
            figures[name][1].append(wrk(through, seconds, headers=[gzip, bypass])["rps"])
            direct_rps, through_rps = figures[name][0][-1], figures[name][1][-1]
            log(f"round {number + 1}: {name}: {direct_rps:.0f} direct, {through_rps:.0f} via nginx")
    return {
        name: {"direct": round(statistics.median(d)), "via nginx, uncached": round(statistics.median(n))}
        for name, (d, n) in figures.items()
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=f"{PG_SERVER}/bp_w24a_stack")
    parser.add_argument("--seconds", type=int, default=5, help="each ratio measure, a round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--classes", action="store_true", help="also sync against gthread at 1-8 threads")
    parser.add_argument("--load-only", action="store_true", help="only the loads (2 and 3)")
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is not installed (apt-get install {tool})")
    own_database = args.database_url == f"{PG_SERVER}/bp_w24a_stack"
    if own_database:
        psql("DROP DATABASE IF EXISTS bp_w24a_stack WITH (FORCE)")
        psql("CREATE DATABASE bp_w24a_stack")
    key_prefix = f"stack-{uuid.uuid4().hex[:10]}"
    env = base_env(args.database_url, CACHE_URL=REDIS_URL, CACHE_KEY_PREFIX=key_prefix, LOG_LEVEL="WARNING")
    log("loading the demo profile")
    manage(env, "demo", "--no-serve")
    slug = "cai-qi"
    stack = Stack(env)
    report = {"load": os.getloadavg(), "cores": os.cpu_count()}
    try:
        if not args.load_only:
            medians, errors, _ = ratios(stack, slug, args.seconds, args.rounds)
            report["rps"] = {name: round(value) for name, value in medians.items()}
            report["ratio_errors"] = errors
            for label, numerator, denominator in (
                ("shipped / plain gunicorn", "gunicorn shipped", "gunicorn plain -w N"),
                (
                    "uncached via nginx: shipped / plain",
                    "nginx uncached -> shipped",
                    "nginx uncached -> plain",
                ),
                ("page / static file", "page through nginx", "static file, page bytes"),
                ("JSON / static file", "JSON through nginx", "static file, JSON bytes"),
            ):
                report[label] = round(medians[numerator] / medians[denominator], 3)

        if args.classes:
            report["worker classes, req/s"] = worker_classes(stack, slug, args.seconds, args.rounds)
        paths = [f"/people/{slug}/", f"/people/{slug}.json", "/", "/people/", "/api/people/", "/sitemap.xml"]
        for label, seconds, extra in (
            ("load, shipped", args.load_seconds, {}),
            (
                "load, every worker over its memory limit, 5 s apart",
                max(args.load_seconds // 2, 5),
                {"GUNICORN_MAX_WORKER_MB": "1", "GUNICORN_RECYCLE_GAP_SECONDS": "5"},
            ),
        ):
            _, port, log_path = stack.gunicorn(f"load-{len(report)}", shipped=True, **extra)
            base, _, _ = stack.nginx(f"front-{uuid.uuid4().hex[:6]}", port)
            for path in paths:
                get(base + path)  # every address answers 200 before the load
            report[label] = {"seconds": seconds, **mixed_load(stack.prefix, base, log_path, seconds, paths)}
            log(f"{label}: {report[label]}")
            stop(stack.processes[-2])
            stop(stack.processes[-1])
    finally:
        stack.close()
        if own_database:
            psql("DROP DATABASE IF EXISTS bp_w24a_stack WITH (FORCE)")
    report["load_after"] = os.getloadavg()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
