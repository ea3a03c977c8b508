"""The client's address behind PROXY_COUNT trusted proxies, for login throttling (django-axes).

Each proxy appends the address it was connected from to X-Forwarded-For, so the client is the
PROXY_COUNT-th entry from the right; whatever stands left of it came from the client and is
ignored. Without proxies (PROXY_COUNT=0) the header is ignored and the client is REMOTE_ADDR.

Not django-ipware: its proxy_count counts the proxies' own addresses inside the header (one fewer
than stand in front when every proxy appends as nginx's $proxy_add_x_forwarded_for does), and a
client that sends an unparsable entry such as a lone `"` makes it drop the whole header and fall
back to REMOTE_ADDR, the proxy's address, which every client behind it shares.
"""

import ipaddress

from django.conf import settings


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
