"""Web addresses as URIs: an address recorded in its readable form (`https://zh.wikipedia.org/wiki/蔡奇`)
is written percent-encoded (`https://zh.wikipedia.org/wiki/%E8%94%A1%E5%A5%87`) wherever a format
says `uri` (RFC 3986); pages keep showing the readable form."""

import re
from urllib.parse import quote, urlsplit, urlunsplit

# What RFC 3986 allows unencoded in a path, query or fragment; "%" stays so that an address
# already percent-encoded is not encoded twice.
SAFE = "/?:@!$&'()*+,;=%-._~"
URI = re.compile(r"[A-Za-z0-9/?:@!$&'()*+,;=%._~#-]*")


def as_uri(address):
    """The address percent-encoded as a URI (non-ASCII host names in IDNA); "" stays ""."""
    if URI.fullmatch(address):
        return address
    try:
        parts = urlsplit(address)
        host = parts.hostname or ""
        netloc = parts.netloc
        if host and not host.isascii():
            netloc = netloc.replace(host, host.encode("idna").decode("ascii"))
    except (ValueError, UnicodeError):
        return quote(address, safe=SAFE + "#[]")
    return urlunsplit(
        (
            parts.scheme,
            netloc,
            quote(parts.path, safe=SAFE),
            quote(parts.query, safe=SAFE),
            quote(parts.fragment, safe=SAFE),
        )
    )
