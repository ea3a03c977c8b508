"""Web addresses in two forms: the readable one editors enter and readers see
(`https://zh.wikipedia.org/wiki/蔡奇`, an IRI) and the URI other tools require
(`https://zh.wikipedia.org/wiki/%E8%94%A1%E5%A5%87`), mapped as RFC 3987 section 3.1 says: the host
in IDNA (punycode), every other character outside URI syntax as percent-encoded UTF-8.

The database keeps what was entered; formats whose schemas say `"format": "uri"` (Popolo, the read
API, QuickStatements' reference URLs) write `uri(url)`. A plain value module: no Django, so that
any writer can use it.
"""

import re
from urllib.parse import quote, unquote, urlsplit, urlunsplit

# Characters a URI may hold outside the host as they are (RFC 3986: unreserved, sub-delims, ":",
# "@", "/", "?" and "%" of the escapes already there). Everything else is percent-encoded.
URI_SAFE = "-._~!$&'()*+,;=:@/?%"
LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
ESCAPED = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
# What a URI is made of, but for "[" and "]" (only an IPv6 host may hold them: checked part by part).
URI_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]*")


def encoded(part):
    """A path, query or fragment with everything outside URI syntax percent-encoded (UTF-8)."""
    return quote(LONE_PERCENT.sub("%25", part), safe=URI_SAFE)


def ascii_host(host):
    """The host in ASCII: each label of an internationalised name in IDNA (punycode)."""
    if host.isascii() or host.startswith("["):
        return host.lower()
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:  # a label IDNA refuses (too long, forbidden characters): escape it
        return quote(host, safe="-._~!$&'()*+,;=")


def uri(url):
    """The URI of an address (IRI or URI): unchanged when it is one already."""
    if not url or (URI_CHARACTERS.fullmatch(url) and not LONE_PERCENT.search(url) and url.count("#") < 2):
        return url
    parts = urlsplit(url.strip())
    netloc = parts.netloc
    if netloc:
        userinfo, at, hostport = netloc.rpartition("@")
        host, colon, port = hostport, "", ""
        if not hostport.endswith("]") and ":" in hostport:
            host, colon, port = hostport.rpartition(":")
        netloc = (encoded(userinfo) + at if at else "") + ascii_host(host) + colon + port
    return urlunsplit(
        (parts.scheme, netloc, encoded(parts.path), encoded(parts.query), encoded(parts.fragment))
    )


def readable(url):
    """The address as readers read it: percent-encoded UTF-8 shown as its characters (where they
    are printable and not URI syntax) and an IDNA host in its own script."""
    if not url:
        return url

    def shown(match):
        text = unquote(match.group(0), errors="strict")
        if all(c.isprintable() and not c.isspace() and (not c.isascii() or c.isalnum()) for c in text):
            return text
        return match.group(0)

    parts = urlsplit(url)
    netloc = parts.netloc
    host = parts.hostname or ""
    if "xn--" in host:
        try:
            netloc = netloc.replace(host, host.encode("ascii").decode("idna"))
        except UnicodeError:
            pass

    def decoded(part):
        try:
            return ESCAPED.sub(shown, part)
        except UnicodeDecodeError:
            return part

    return urlunsplit(
        (parts.scheme, netloc, decoded(parts.path), decoded(parts.query), decoded(parts.fragment))
    )


# Wikimedia projects name their language in the host: zh.wikipedia.org, en.m.wikisource.org.
WIKIMEDIA_HOST = re.compile(
    r"(?P<language>[a-z]{2,3}(?:-[a-z]{2,8})?)(?:\.m)?\."
    r"(?:wikipedia|wikisource|wikiquote|wikinews|wikibooks|wikivoyage|wikiversity|wiktionary)\.org"
)


def host_language(url):
    """The language code an address names in its host (zh.wikipedia.org: zh), or None."""
    host = (urlsplit(url or "").hostname or "").lower()
    match = WIKIMEDIA_HOST.fullmatch(host)
    if match and match.group("language") != "www":
        return match.group("language")
    return None
