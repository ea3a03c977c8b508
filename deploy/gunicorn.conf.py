"""gunicorn settings for one app server: `gunicorn -c deploy/gunicorn.conf.py bioproject.wsgi`.

Environment (see .env.example): DATABASE_URL, SECRET_KEY, CACHE_URL (Redis: required with more
than one worker, for the live stamps and their invalidation), ALLOWED_HOSTS, SITE_URL,
SECURE_PROXY_SSL_HEADER=1 and PROXY_COUNT behind nginx (deploy/nginx/bioproject.conf).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8001")
# One sync worker per core: a cached page is answered from the worker's memory in well under a
# millisecond, so threads would only add contention; slow work (search, admin) is bounded.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
worker_class = "sync"
timeout = 30
graceful_timeout = 20
# nginx keeps connections to the upstream open (keepalive 32).
keepalive = 5
# A worker that grew on a heavy page gives its memory back after a while.
max_requests = 2000
max_requests_jitter = 200
# The app reads the client's address and scheme from the proxies' headers (PROXY_COUNT).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Not preloaded: each worker starts its own live-stamp subscriber after the fork.
preload_app = False
accesslog = "-"
errorlog = "-"
