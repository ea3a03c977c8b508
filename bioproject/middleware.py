"""Project middleware: health probes answered first; Content-Security-Policy, strict on the public
site and loosened for the admin's inline styles; a database outage answered without a 500."""

import logging
import sys

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.views import defaults

from bioproject import health
from profiles import serving

logger = logging.getLogger(__name__)

# What a reader is asked to wait when the database does not answer (a restart or a failover).
RETRY_AFTER_SECONDS = 30


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The site-wide policy from settings; the admin (Django's and nested_admin's widgets set
    inline style attributes) may also use inline styles, and nothing else more."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path.startswith("/admin/") and parts.update is None:
            parts.update = {"style-src": [UNSAFE_INLINE]}
        return parts


class HealthCheckMiddleware:
    """Answers /healthz and /readyz first, before anything else of the stack runs.

    A load balancer probes each server by its IP address over plain HTTP: host validation
    (ALLOWED_HOSTS) would refuse it and the HTTPS redirect would send it away. Nothing else of the
    stack (sessions, CSRF, headers) concerns a probe either, and skipping it keeps probes cheap.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.probes = {"/healthz": health.healthz, "/readyz": health.readyz}

    def __call__(self, request):
        probe = self.probes.get(request.path_info)
        if probe is not None:
            return probe(request)
        return self.get_response(request)


class NulByteMiddleware:
    """Answers 400 to an admin request whose path or query holds a NUL byte. No address or search
    of ours has one, and PostgreSQL refuses it in any text: the admin's change URLs, filters and
    autocomplete would look it up and fail as a server error. (The public pages read it harmlessly:
    slugs never match it, and search and paging clean it away.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/admin/") and (
            "\x00" in request.path_info
            or any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists())
        ):
            return HttpResponseBadRequest("No NUL bytes in addresses.", content_type="text/plain")
        return self.get_response(request)


def outage_response(request):
    """For a request the database failed: a profile page that was live as it was (stale-if-error,
    profiles.serving), else a 503 page (JSON under /api/) asking to retry in RETRY_AFTER_SECONDS."""
    match = None
    if request.method in ("GET", "HEAD") and not request.META.get("QUERY_STRING"):
        match = serving.PROFILE_PATH.match(request.path_info)
    if match is not None:
        response = serving.stale_response(request, match["slug"], "json" if match["json"] else "html")
        if response is not None:
            return response
    message = "The database is not answering just now; please try again in a minute."
    if request.path_info.startswith("/api/"):
        response = JsonResponse({"error": message}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html", {"message": message}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware:
    """A view (or its template) that finds the database down answers outage_response, not 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError):
            logger.error("Database error on %s: %s", request.path_info, exception, exc_info=exception)
            return outage_response(request)
        return None


def server_error(request):
    """handler500: the database failing outside a view (in a middleware) is an outage too."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return outage_response(request)
    return defaults.server_error(request)
