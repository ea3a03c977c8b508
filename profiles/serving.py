"""Serving a cached profile page (or its JSON) without a database or cache round trip.

Three pieces:

- **Bodies in the worker.** `bodies` is an LRU bounded in bytes (settings.PAGE_MEMORY_BYTES) of
  rendered bodies, identity, gzip and (for a page stored at publication) Brotli, keyed by the
  revision stamp and variant. A revision never changes, so an entry can never be stale; it can
  only stop being the live one.
- **The live revision of a slug, in Redis.** `slug:<slug>` names the person (a published slug
  stays its person's for good) and `live:<person id>` holds the live revision's stamp and slug.
  Readers that had to ask the database write them (`remember`), guarded by an epoch so that a
  reader who read the database before a publication cannot write the old revision after it.
  Writers never write them: when a person's live revision changes (publish, unpublish, hiding
  the live revision, deletion), `transaction.on_commit` deletes `live:<person id>`, increments
  the epoch and publishes the person's id on a pub/sub channel (`invalidate`).
- **Push invalidation.** Each worker keeps what it learnt from Redis in memory (`memo`) and a
  thread subscribed to the channel drops a person's entry when told. The memo is trusted only
  while that thread heard from Redis (a message or the answer to its ping every 0.25 s) in the
  last second: a publication reaches the worker that made it at once, every other worker within
  a second, and a worker that lost Redis stops trusting its memo within a second and asks the
  database.

PostgreSQL down (stale-if-error): a page that was live is served as it was, from the worker's
memory or Redis, for as long as the outage lasts. `remember` also writes `stale:<person id>`, which
outlives the live stamp (STALE_IF_ERROR_SECONDS) and which every announcement deletes with the live
stamp (and from each worker's memo), so a hidden, unpublished or replaced page is never served
stale; `stale_response` answers from it only when the database failed
(bioproject.middleware.DatabaseOutageMiddleware). No publication can happen during the outage.

Redis down: the memo is not trusted, the cache answers as a miss (bioproject.cache), so every
request takes the database path, which cannot be stale. A publication made while its worker
cannot reach Redis keeps being announced from a background thread until Redis takes it; should
that worker die first while other servers still reach Redis, their entries expire after
LIVE_STAMP_SECONDS (Redis) plus as much in the memo: that double failure is the only way to
serve a replaced revision for longer than a second (see docs/deployment.md).
"""

import logging
import os
import re
import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from redis.exceptions import RedisError

from bioproject.memory import SizedLRU

logger = logging.getLogger(__name__)

LIVE_STAMP_SECONDS = getattr(settings, "LIVE_STAMP_SECONDS", 30)
# How long a page that was live may still be served while the database does not answer (and what
# `Cache-Control: stale-if-error` tells a front cache).
STALE_SECONDS = getattr(settings, "STALE_IF_ERROR_SECONDS", 24 * 3600)
TRUST_SECONDS = 1.0  # the memo is trusted this long after the subscriber last heard from Redis
PING_SECONDS = 0.25
PROFILE_PATH = re.compile(r"^/people/(?P<slug>[-a-zA-Z0-9_]+)(?:(?P<json>\.json)|/)$")
# Headers that belong to one body, not to the variant: the fast path sets its own.
BODY_HEADERS = {
    "etag",
    "last-modified",
    "content-length",
    "content-encoding",
    "set-cookie",
    "date",
    "x-accel-expires",
}


def front_cache_until():
    """X-Accel-Expires for nginx's micro-cache (deploy/nginx/bioproject.conf): keep the response
    until the end of the current second at most, so that nginx adds less than a second to the
    publication guarantee (its own `proxy_cache_valid 1s` keeps a page up to 2 s)."""
    return f"@{int(time.time())}"


class Bodies(SizedLRU):
    """An LRU of served bodies bounded by their size in bytes (identity, gzip and Brotli)."""

    def __init__(self, limit):
        super().__init__(limit, weight=lambda entry: entry.weight)


class Entry:
    __slots__ = ("body", "gzipped", "etag", "last_modified", "content_type", "brotli")

    def __init__(self, body, gzipped, etag, last_modified, content_type, brotli=b""):
        self.body, self.gzipped, self.etag = body, gzipped, etag
        self.last_modified, self.content_type = last_modified, content_type
        self.brotli = brotli  # empty: none stored, Brotli readers get the gzip

    @property
    def weight(self):
        return len(self.body) + len(self.gzipped) + len(self.brotli)


bodies = Bodies(getattr(settings, "PAGE_MEMORY_BYTES", 48 * 1024 * 1024))


def redis_cache():
    """The default cache when it is Redis (and not marked down), else None."""
    cache = caches["default"]
    if not hasattr(cache, "_cache") or not hasattr(cache._cache, "get_client"):
        return None
    if time.monotonic() < getattr(cache, "down_until", 0.0):
        return None
    return cache


def redis_failed(cache, error):
    cache.down_until = time.monotonic() + getattr(cache, "retry_after", 5.0)
    logger.warning("Live stamps: Redis failed (%s: %s)", error.__class__.__name__, error)


class Subscriber:
    """The worker's view of the live stamps: a memo kept true by the pub/sub channel."""

    def __init__(self):
        self.slugs = {}  # slug -> person id (never changes while the person exists)
        self.live = {}  # person id -> (stamp, slug, learnt at)
        self.stale = {}  # person id -> (stamp, slug): kept past the stamp, for a database outage
        self.generation = 0
        self.heard = 0.0
        self.thread = None
        self.pid = None
        self.lock = threading.Lock()

    def trusted(self):
        return time.monotonic() - self.heard < TRUST_SECONDS

    def drop(self, person_ids):
        with self.lock:
            self.generation += 1
            for person_id in person_ids:
                self.live.pop(person_id, None)
                self.stale.pop(person_id, None)

    def forget_all(self):
        with self.lock:
            self.generation += 1
            self.live.clear()
            self.stale.clear()

    def ensure_started(self, cache):
        if self.thread is not None and self.thread.is_alive() and self.pid == os.getpid():
            return
        with self.lock:
            if self.thread is not None and self.thread.is_alive() and self.pid == os.getpid():
                return
            self.pid = os.getpid()
            self.heard = 0.0
            self.thread = threading.Thread(target=self.listen, args=(cache,), name="live-stamps", daemon=True)
            self.thread.start()

    def listen(self, cache):
        channel = cache.make_key("live-channel")
        while True:
            pubsub = None
            try:
                pubsub = cache._cache.get_client(write=True).pubsub()
                pubsub.subscribe(channel)
                # Whatever was announced while this thread was not listening is unknown.
                self.forget_all()
                last_ping = 0.0
                while True:
                    now = time.monotonic()
                    if now - last_ping >= PING_SECONDS:
                        pubsub.ping()
                        last_ping = now
                    message = pubsub.get_message(timeout=PING_SECONDS / 2)
                    if message is None:
                        continue
                    if message["type"] == "message":
                        ids = [int(part) for part in message["data"].split(b",") if part]
                        self.drop(ids)
                    self.heard = time.monotonic()
            except (RedisError, OSError, ValueError) as error:
                self.heard = 0.0
                self.forget_all()
                logger.warning("Live stamps: subscription lost (%s); retrying", error.__class__.__name__)
                time.sleep(1.0)
            finally:
                if pubsub is not None:
                    try:
                        pubsub.close()
                    except (RedisError, OSError):
                        pass


subscriber = Subscriber()


def lookup(slug):
    """(stamp, live slug) of the slug's live revision, from memory or Redis; None when only the
    database can say (unknown, unpublished, Redis down)."""
    cache = redis_cache()
    if cache is None:
        return None
    subscriber.ensure_started(cache)
    trusted = subscriber.trusted()
    if trusted:
        person_id = subscriber.slugs.get(slug)
        if person_id is not None:
            known = subscriber.live.get(person_id)
            if known is not None and time.monotonic() - known[2] < LIVE_STAMP_SECONDS:
                return known[0], known[1]
    generation = subscriber.generation
    try:
        client = cache._cache.get_client(write=False)
        person_id = subscriber.slugs.get(slug)
        if person_id is None:
            value = client.get(cache.make_key(f"slug:{slug}"))
            if value is None:
                return None
            person_id = int(value)
        value = client.get(cache.make_key(f"live:{person_id}"))
    except (RedisError, OSError) as error:
        redis_failed(cache, error)
        return None
    if value is None:
        return None
    stamp, _, live_slug = value.decode().partition(" ")
    if trusted and subscriber.generation == generation:
        with subscriber.lock:
            if subscriber.generation == generation:
                if len(subscriber.slugs) > 100_000:
                    subscriber.slugs.clear()
                subscriber.slugs[slug] = person_id
                subscriber.live[person_id] = (stamp, live_slug, time.monotonic())
                subscriber.stale[person_id] = (stamp, live_slug)
    return stamp, live_slug


def epoch():
    """The invalidation epoch, read before the database so that `remember` can tell whether a
    publication came in between; None without Redis."""
    cache = redis_cache()
    if cache is None:
        return None
    try:
        return cache._cache.get_client(write=False).get(cache.make_key("live-epoch")) or b"0"
    except (RedisError, OSError) as error:
        redis_failed(cache, error)
        return None


REMEMBER = """
if (redis.call('GET', KEYS[1]) or '0') == ARGV[1] then
  redis.call('SET', KEYS[2], ARGV[2])
  redis.call('SET', KEYS[3], ARGV[3], 'EX', ARGV[4])
  redis.call('SET', KEYS[4], ARGV[3], 'EX', ARGV[5])
  return 1
end
return 0
"""


def remember(slug, person_id, stamp, live_slug, seen_epoch):
    """Write what a reader read from the database, unless a publication came since `seen_epoch`."""
    cache = redis_cache()
    if cache is None or seen_epoch is None:
        return
    keys = [
        cache.make_key("live-epoch"),
        cache.make_key(f"slug:{slug}"),
        cache.make_key(f"live:{person_id}"),
        cache.make_key(f"stale:{person_id}"),
    ]
    try:
        cache._cache.get_client(write=True).eval(
            REMEMBER,
            4,
            *keys,
            seen_epoch,
            person_id,
            f"{stamp} {live_slug}",
            LIVE_STAMP_SECONDS,
            STALE_SECONDS,
        )
    except (RedisError, OSError) as error:
        redis_failed(cache, error)


def announce(person_ids):
    """After a commit that changed these people's live revisions: forget them here at once, and
    in Redis and every other worker; retried from a thread while Redis does not answer."""
    subscriber.drop(person_ids)
    cache = caches["default"]
    if not hasattr(cache, "_cache") or not hasattr(cache._cache, "get_client"):
        return
    if not send(cache, person_ids):
        threading.Thread(target=resend, args=(cache, person_ids), daemon=True).start()


def send(cache, person_ids):
    try:
        pipe = cache._cache.get_client(write=True).pipeline(transaction=True)
        pipe.delete(
            *(cache.make_key(f"{kind}:{person_id}") for person_id in person_ids for kind in ("live", "stale"))
        )
        pipe.incr(cache.make_key("live-epoch"))
        pipe.publish(cache.make_key("live-channel"), ",".join(str(p) for p in person_ids))
        pipe.execute()
        return True
    except (RedisError, OSError) as error:
        logger.error("Live stamps: could not announce %s (%s); retrying", person_ids, error)
        return False


def resend(cache, person_ids):
    # Past twice the stamps' lifetime every copy of the old stamp has expired: nothing to undo.
    deadline = time.monotonic() + 2 * LIVE_STAMP_SECONDS
    while time.monotonic() < deadline and not send(cache, person_ids):
        time.sleep(0.5)


def live_revision_changed(person_id):
    """Announce the person's new live revision once the transaction commits (nothing if it rolls
    back)."""
    transaction.on_commit(lambda: announce([person_id]))


def on_person_saved(sender, instance, update_fields=None, created=False, **kwargs):
    # Cache invalidation, not a business rule: every writer of live_revision (publish,
    # unpublish, hiding the live revision) goes through Person.save(update_fields=[...]).
    if update_fields is not None and "live_revision" in update_fields:
        live_revision_changed(instance.pk)


def on_person_deleted(sender, instance, **kwargs):
    live_revision_changed(instance.pk)


def connect():
    from profiles.models import Person

    post_save.connect(on_person_saved, sender=Person, dispatch_uid="serving-live-stamp")
    post_delete.connect(on_person_deleted, sender=Person, dispatch_uid="serving-live-stamp-delete")


# Headers of a profile response that the stack adds (security, CSP, cache control), learnt from
# the first such response the whole stack served, per (variant, secure).
learnt = {}
# (Host, X-Forwarded-Host, SERVER_NAME) seen to pass host validation (ALLOWED_HOSTS).
valid_hosts = set()


def learn(key, response):
    if response.status_code != 200 or response.has_header("Set-Cookie") or key in learnt:
        return
    learnt[key] = [(k, v) for k, v in response.items() if k.lower() not in BODY_HEADERS]


def accepted_codings(header):
    """The content codings an Accept-Encoding header accepts, with their weights (RFC 9110
    12.5.3): {"br": 1.0, "gzip": 0.5, "*": 0.0, …}; a coding given q=0 is refused."""
    weights = {}
    for item in (header or "").split(","):
        coding, *parameters = item.split(";")
        coding = coding.strip().lower()
        if not coding:
            continue
        weight = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    weight = 0.0  # a weight that cannot be read accepts nothing
        weights[coding] = weight
    return weights


def chosen_coding(header, offered):
    """The coding of `offered` (best first: "br", "gzip") that the reader weighs highest, or
    None for the identity body; a coding the header does not name takes the weight of "*"."""
    weights = accepted_codings(header)
    best, best_weight = None, 0.0
    for coding in offered:
        weight = weights.get(coding, weights.get("*", 0.0))
        if weight > best_weight:
            best, best_weight = coding, weight
    return best


def body_response(request, entry, extra_headers=()):
    """The response for a body entry: Brotli or gzip for a reader who accepts it (Brotli when
    stored and weighed at least as high), 304 for a matching validator."""
    offered = ("br", "gzip") if entry.brotli else ("gzip",)
    coding = chosen_coding(request.META.get("HTTP_ACCEPT_ENCODING"), offered)
    body = {"br": entry.brotli, "gzip": entry.gzipped}.get(coding, entry.body)
    response = HttpResponse(body, content_type=entry.content_type)
    if coding:
        response["Content-Encoding"] = coding
    for name, value in extra_headers:
        response[name] = value
    # As the whole stack says it (CommonMiddleware): without it, a body goes chunked, which makes
    # gunicorn copy it whole into one chunk before sending it.
    response["Content-Length"] = str(len(body))
    response["ETag"] = entry.etag
    response["Last-Modified"] = entry.last_modified
    response["X-Accel-Expires"] = front_cache_until()
    if not response.has_header("Vary"):
        response["Vary"] = "Accept-Encoding"
    return response


class PublishedPageMiddleware:
    """Answers a GET of a live profile page or JSON from the worker's memory, before the rest of
    the stack, when the live stamp and the body are both known here; anything else goes on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        match = None
        if request.method == "GET" and not request.META.get("QUERY_STRING"):
            match = PROFILE_PATH.match(request.path_info)
        if match is None:
            return self.get_response(request)
        kind = "json" if match["json"] else "html"
        secure = request.is_secure()
        served = self.fast(request, match["slug"], kind, secure)
        if served is not None:
            return served
        response = self.get_response(request)
        if not request.COOKIES:
            learn((kind, secure), response)
        return response

    def fast(self, request, slug, kind, secure):
        headers = learnt.get((kind, secure))
        if headers is None or (settings.SECURE_SSL_REDIRECT and not secure):
            return None
        meta = request.META
        host = (
            meta.get("HTTP_HOST"),
            meta.get("HTTP_X_FORWARDED_HOST"),
            meta.get("SERVER_NAME"),
            id(settings.ALLOWED_HOSTS),  # a change of settings (tests) validates again
        )
        if host not in valid_hosts:
            try:
                request.get_host()
            except DisallowedHost:
                return None
            if len(valid_hosts) > 100:
                valid_hosts.clear()
            valid_hosts.add(host)
        found = lookup(slug)
        if found is None or found[1] != slug:
            return None
        entry = bodies.get(f"{found[0]}:{kind}")
        if entry is None:
            return None
        return entry_response(request, entry, headers)


def entry_response(request, entry, headers):
    """body_response, or 304 when the reader's validator matches."""
    meta = request.META
    if "HTTP_IF_NONE_MATCH" not in meta and "HTTP_IF_MODIFIED_SINCE" not in meta:
        return body_response(request, entry, headers)
    conditional = get_conditional_response(request, etag=entry.etag)
    if isinstance(conditional, HttpResponseNotModified):
        for name, value in headers:
            if name.lower() != "content-type":
                conditional[name] = value
        conditional["ETag"] = entry.etag
        conditional["X-Accel-Expires"] = front_cache_until()
        return conditional
    return body_response(request, entry, headers)


CONTENT_TYPES = {"html": "text/html; charset=utf-8", "json": "application/json"}


def stale_entry(slug, kind):
    """The body of the slug's page (`kind`: html or json) as it was live when last read, or None:
    nothing known, an announcement since (hidden, unpublished, replaced), or Redis down."""
    cache = redis_cache()
    if cache is None:
        return None
    found = None
    if subscriber.trusted():
        found = subscriber.stale.get(subscriber.slugs.get(slug))
    if found is None:
        try:
            client = cache._cache.get_client(write=False)
            person_id = client.get(cache.make_key(f"slug:{slug}"))
            value = person_id and client.get(cache.make_key(f"stale:{int(person_id)}"))
        except (RedisError, OSError) as error:
            redis_failed(cache, error)
            return None
        if not value:
            return None
        stamp, _, live_slug = value.decode().partition(" ")
        found = (stamp, live_slug)
    stamp, live_slug = found
    if live_slug != slug:
        return None  # an old address: only the database can say where it went now
    key = f"{stamp}:{kind}"
    entry = bodies.get(key)
    if entry is None:
        stored = cache.get(f"profile:{key}")
        if stored is None:
            return None
        published = int(stamp.rsplit(".", 2)[-2])  # the stamp ends with the publishing time
        entry = Entry(
            *stored[:2], f'"{stamp}-{kind}"', http_date(published), CONTENT_TYPES[kind], *stored[2:]
        )
        bodies.put(key, entry)
    return entry


def stale_response(request, slug, kind):
    """The page as it was live, for when the database does not answer (stale-if-error), or None."""
    entry = stale_entry(slug, kind)
    if entry is None:
        return None
    logger.warning("Database down: served %s as it was live", request.path_info)
    return entry_response(request, entry, learnt.get((kind, request.is_secure()), ()))
