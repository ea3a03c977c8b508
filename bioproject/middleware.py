"""Project middleware: health probes answered first; Content-Security-Policy, strict on the public
site and loosened for the admin's inline styles."""

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware

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
