"""Django's Redis cache, keeping one client per connection pool, without memcached's key checks.

Django's own backend builds a new `redis.Redis` object for every cache call, and building one costs more than the
round trip to a local Redis (the client sets up its table of reply parsers each time). The client holds no state
between calls but its pool, and is safe to share between threads, so one per pool is kept instead.
"""

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _SharedClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        django: Any = self  # the attributes Django's client sets up (its stubs do not declare them)
        index = django._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in django._pools:
                django._pools[index] = django._pool_class.from_url(django._servers[index], **django._pool_options)
            client = self._clients[index] = django._client(connection_pool=django._pools[index])
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _SharedClient

    def validate_key(self, key: str) -> None:
        """Django warns of keys memcached would refuse, character by character, on every call; Redis takes any key."""
