"""A Redis page cache that fails soft: with Redis down or hung, pages are served uncached.

Django's RedisCache lets redis-py's ConnectionError and TimeoutError through to the view, so an
unreachable Redis turned every cached page into a 500. Here every operation that fails in Redis
logs a warning and answers as a miss (get: the default, add: not added, set: nothing stored). After
a failure the cache is not asked again for `retry_after` seconds, so that a hung Redis costs one
socket timeout (settings.CACHES OPTIONS) per worker thread every few seconds rather than one per
request.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def fail_soft(answer):
    """Wrap a cache method: on a Redis error, log it and return answer(*args, **kwargs) instead."""

    def decorator(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if time.monotonic() < self.down_until:
                return answer(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except (RedisError, OSError) as error:
                self.down_until = time.monotonic() + self.retry_after
                logger.warning(
                    "Cache %s failed (%s: %s); serving uncached for %ss",
                    method.__name__,
                    error.__class__.__name__,
                    error,
                    self.retry_after,
                )
                return answer(*args, **kwargs)

        return wrapper

    return decorator


def not_found(key, *args, **kwargs):
    raise ValueError(f"Key {key!r} not found (the cache is unavailable).")


class FailSoftRedisCache(RedisCache):
    """RedisCache whose every operation behaves as a miss when Redis errors or times out."""

    retry_after = 5.0  # seconds without asking Redis after a failure

    def __init__(self, server, params):
        super().__init__(server, params)
        self.down_until = 0.0

    @fail_soft(lambda key, default=None, version=None: default)
    def get(self, key, default=None, version=None):
        return super().get(key, default, version)

    @fail_soft(lambda *args, **kwargs: {})
    def get_many(self, keys, version=None):
        return super().get_many(keys, version)

    @fail_soft(lambda *args, **kwargs: False)
    def has_key(self, key, version=None):
        return super().has_key(key, version)

    @fail_soft(lambda *args, **kwargs: False)
    def add(self, key, value, *args, **kwargs):
        return super().add(key, value, *args, **kwargs)

    @fail_soft(lambda *args, **kwargs: None)
    def set(self, key, value, *args, **kwargs):
        return super().set(key, value, *args, **kwargs)

    @fail_soft(lambda data, *args, **kwargs: list(data))
    def set_many(self, data, *args, **kwargs):
        return super().set_many(data, *args, **kwargs)

    @fail_soft(lambda *args, **kwargs: False)
    def touch(self, key, *args, **kwargs):
        return super().touch(key, *args, **kwargs)

    @fail_soft(lambda *args, **kwargs: False)
    def delete(self, key, version=None):
        return super().delete(key, version)

    @fail_soft(lambda *args, **kwargs: None)
    def delete_many(self, keys, version=None):
        return super().delete_many(keys, version)

    @fail_soft(not_found)
    def incr(self, key, delta=1, version=None):
        return super().incr(key, delta, version)

    @fail_soft(lambda *args, **kwargs: False)
    def clear(self):
        return super().clear()
