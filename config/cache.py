"""Django's Redis cache, keeping one redis.Redis client per connection pool instead of building one per
call: a new client sets up ~170 response callbacks, which was the largest cost of an API cache hit.

With a circuit breaker: the cache is only ever an optimisation (every caller falls back when it fails),
so after a connection error or timeout the process skips Redis for CACHE_BREAKER_SECONDS instead of
paying a socket timeout on each of a request's several cache calls while Redis is down or hung."""
from __future__ import annotations

import logging
import threading
import time

import redis
from django.conf import settings
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_open_until = 0.0


def cache_breaker_reset() -> None:
    global _open_until
    with _lock:
        _open_until = 0.0


def _guarded(name: str):
    method = getattr(DjangoRedisCacheClient, name)

    def guarded(self, *args, **kwargs):
        global _open_until
        if time.monotonic() < _open_until:
            raise redis.ConnectionError("cache skipped: Redis failed a moment ago")
        try:
            return method(self, *args, **kwargs)
        except (redis.ConnectionError, redis.TimeoutError) as error:
            with _lock:
                _open_until = time.monotonic() + settings.CACHE_BREAKER_SECONDS
            logger.warning("cache unavailable (%s); skipped for %g s", type(error).__name__,
                           settings.CACHE_BREAKER_SECONDS)
            raise

    guarded.__name__ = name
    return guarded


class RedisCacheClient(DjangoRedisCacheClient):
    def get_client(self, key=None, *, write: bool = False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:  # a race only builds one twice; redis.Redis is thread-safe over its pool
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient


for _name in ("add", "get", "set", "touch", "delete", "get_many", "has_key", "incr", "set_many", "delete_many",
              "clear"):
    setattr(RedisCacheClient, _name, _guarded(_name))
