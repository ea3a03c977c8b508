"""Content-Security-Policy: strict on the public site, loosened for the admin's inline styles."""

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The site-wide policy from settings; the admin (Django's and nested_admin's widgets set
    inline style attributes) may also use inline styles, and nothing else more."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path.startswith("/admin/") and parts.update is None:
            parts.update = {"style-src": [UNSAFE_INLINE]}
        return parts
