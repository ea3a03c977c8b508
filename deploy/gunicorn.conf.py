"""gunicorn settings for one app server: `gunicorn -c deploy/gunicorn.conf.py bioproject.wsgi`.

Environment (see .env.example): DATABASE_URL, SECRET_KEY, CACHE_URL (Redis: required with more
than one worker, for the live stamps and their invalidation), ALLOWED_HOSTS, SITE_URL,
SECURE_PROXY_SSL_HEADER=1, PROXY_COUNT and TRUSTED_PROXIES behind nginx
(deploy/nginx/bioproject.conf). Why each choice: docs/deployment.md, "The app server".
"""

import fcntl
import multiprocessing
import os
import tempfile
import time

# Localhost unless told otherwise: the forwarded headers are only believed from TRUSTED_PROXIES,
# and nothing but the proxy should reach this port. An app server on its own machine sets
# GUNICORN_BIND to its private address (and TRUSTED_PROXIES to nginx's).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
# Threads, so that a worker keeps nginx's upstream connections open (a sync worker answers
# Connection: close to every request, which makes nginx's keepalive useless); measured against
# sync in tests/perf/stack.py, see docs/deployment.md.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Longer than nginx keeps an idle upstream connection (60 s by default is nginx's
# keepalive_timeout for upstreams), so that nginx, not gunicorn, closes it: no request is ever
# sent on a connection the worker is closing.
keepalive = 75
timeout = 30
graceful_timeout = 20
# The workers answer nginx only: their questions need no log line each (nginx logs every request).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
# One control socket per server or none: gunicorn ≥ 25.1 puts it at one path per user by default,
# and a second server on the machine deletes the first one's. Off unless given a path of its own.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket
# The app reads the client's scheme from X-Forwarded-Proto only from these (gunicorn's own
# wsgi.url_scheme follows the same list as the app's TRUSTED_PROXIES).
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "127.0.0.1")
# Not preloaded: each worker starts its own live-stamp subscriber after the fork.
preload_app = False

# No max_requests: a count restarts every worker at about the same moment under an even load, and
# each comes back with an empty page memory. A worker is recycled only when its resident memory
# passes GUNICORN_MAX_WORKER_MB (0: never), and never within GUNICORN_RECYCLE_GAP_SECONDS (30) of
# another worker's recycling or of a worker's boot on this server (the lock file below): the
# others go on serving while one stops and its successor boots.
max_requests = 0
MAX_WORKER_BYTES = int(os.environ.get("GUNICORN_MAX_WORKER_MB", "512")) * 1024 * 1024
RECYCLE_GAP = float(os.environ.get("GUNICORN_RECYCLE_GAP_SECONDS", "30"))
RECYCLE_HOLD = 120.0  # seconds a recycling holds the others back if its successor never boots
CHECK_EVERY = 1.0  # seconds between two looks at a worker's memory
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
recycle_lock = None  # the file the workers of one server share, made in the master


def resident_bytes():
    """This process's resident memory, from /proc (Linux)."""
    with open("/proc/self/statm", "rb") as statm:
        return int(statm.read().split()[1]) * PAGE_SIZE


def may_recycle_now(lock_path, now, *, booted=False):
    """True (and the moment noted) when no worker of this server was recycled or booted within
    RECYCLE_GAP; `booted`: note a boot (the moment a new worker is ready), answering nothing.

    A worker that goes holds the others back until its successor is ready (at most RECYCLE_HOLD):
    on a slow machine a gap counted from the decision let a second worker go while the first one's
    successor was still booting, and both booted in the same second."""
    with open(lock_path, "r+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        last = float(lock.read() or 0)
        if not booted and now - last < RECYCLE_GAP:
            return False
        lock.seek(0)
        lock.truncate()
        lock.write(repr(now if booted else now + RECYCLE_HOLD))
        return True


def on_starting(server):
    global recycle_lock
    handle, recycle_lock = tempfile.mkstemp(prefix="gunicorn-recycle-")
    os.close(handle)


def on_exit(server):
    if recycle_lock:
        os.unlink(recycle_lock)


def post_worker_init(worker):
    if recycle_lock:
        may_recycle_now(recycle_lock, time.time(), booted=True)


def post_request(worker, req, environ, resp):
    now = time.monotonic()
    if not MAX_WORKER_BYTES or now < getattr(worker, "next_memory_check", 0):
        return
    worker.next_memory_check = now + CHECK_EVERY
    if resident_bytes() > MAX_WORKER_BYTES and may_recycle_now(recycle_lock, time.time()):
        worker.log.info("Worker %s uses more than %s bytes: recycling it", worker.pid, MAX_WORKER_BYTES)
        worker.alive = False  # finishes what it holds, then the master starts another
