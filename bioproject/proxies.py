"""The forwarded headers, believed only from trusted proxies; the client's address behind them.

TRUSTED_PROXIES lists the addresses (or networks) the proxies connect from. A request from any
other address has its X-Forwarded-* headers removed before anything reads them
(TrustedProxyMiddleware, first in the stack): a client reaching the app port directly cannot pick
its address for login throttling (django-axes) and the search limit, nor claim HTTPS.

The client's address behind PROXY_COUNT trusted proxies:

Each proxy appends the address it was connected from to X-Forwarded-For, so the client is the
PROXY_COUNT-th entry from the right; whatever stands left of it came from the client and is
ignored. Without proxies (PROXY_COUNT=0) the header is ignored and the client is REMOTE_ADDR.

Not django-ipware: its proxy_count counts the proxies' own addresses inside the header (one fewer
than stand in front when every proxy appends as nginx's $proxy_add_x_forwarded_for does), and a
client that sends an unparsable entry such as a lone `"` makes it drop the whole header and fall
back to REMOTE_ADDR, the proxy's address, which every client behind it shares.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

FORWARDED = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
)


@lru_cache(maxsize=4096)
def is_trusted_proxy(address, trusted):
    """Whether `address` is in one of the `trusted` addresses or networks ("10.0.0.0/8")."""
    try:
        address = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(item, strict=False) for item in trusted)


class TrustedProxyMiddleware:
    """Removes the X-Forwarded-* headers of a request that does not come from a trusted proxy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        if not is_trusted_proxy(meta.get("REMOTE_ADDR", ""), tuple(settings.TRUSTED_PROXIES)):
            for name in FORWARDED:
                meta.pop(name, None)
        return self.get_response(request)


def client_ip_address(request):
    """The client's address as the outermost trusted proxy saw it; REMOTE_ADDR without proxies."""
    remote = request.META.get("REMOTE_ADDR")
    if settings.PROXY_COUNT == 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(hops) < settings.PROXY_COUNT or not hops[-settings.PROXY_COUNT]:
        return remote  # not through every proxy: the connection's own address
    candidate = hops[-settings.PROXY_COUNT]
    if candidate.startswith("["):  # [IPv6]:port
        candidate = candidate[1:].partition("]")[0]
    elif candidate.count(":") == 1:  # IPv4:port
        candidate = candidate.partition(":")[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
