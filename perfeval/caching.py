"""Two levels of cache for values that never change under their key — keyed by a report's version and rule
pack (``filing.checked``), by the templates' digest (cached HTML), or by the portal index's state: this
process's memory first, then the cache every process and server shares (``CACHES["default"]``, the database's
by default). A hit in memory costs no round trip; what one server works out, the others read from the shared
cache. Values that can change under their key (the portal's state, locks, counters) use the shared cache
directly, never this."""

from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache

LOCAL = LocMemCache("perfeval-local", {"TIMEOUT": 3600, "OPTIONS": {"MAX_ENTRIES": 2000}})
# A text larger than this stays in the shared cache only, so that a process's memory stays small.
LOCAL_MAX_BYTES = 1 << 20


def _keep_local(key: str, value, timeout) -> None:
    if isinstance(value, str | bytes) and len(value) > LOCAL_MAX_BYTES:
        return
    LOCAL.set(key, value, timeout)


def read(key: str):
    """The value under ``key``, or None."""
    value = LOCAL.get(key)
    if value is None:
        value = cache.get(key)
        if value is not None:
            _keep_local(key, value, None)
    return value


def keep(key: str, value, timeout: int) -> None:
    cache.set(key, value, timeout)
    _keep_local(key, value, timeout)


def read_many(keys: list[str]) -> dict:
    """The values found under ``keys``, by key."""
    found = LOCAL.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        shared = cache.get_many(missing)
        for key, value in shared.items():
            _keep_local(key, value, None)
        found.update(shared)
    return found


def keep_many(values: dict, timeout: int) -> None:
    cache.set_many(values, timeout)
    for key, value in values.items():
        _keep_local(key, value, timeout)


def clear_local() -> None:
    """Forget this process's copies (the tests, between two states of one database)."""
    LOCAL.clear()
