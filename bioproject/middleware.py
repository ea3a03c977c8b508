"""Project middleware: health probes answered first; Content-Security-Policy, strict on the public
site and loosened for the admin's inline styles."""

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.http import HttpResponseBadRequest

from bioproject import health


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
