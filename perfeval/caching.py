"""Two levels of cache for values that never change under their key — keyed by a report's version and rule
pack (``filing.checked``), by the templates' digest (cached HTML), or by the portal index's state: this
process's memory first, then the cache every process and server shares (``CACHES["default"]``, the database's
by default). A hit in memory costs no round trip; what one server works out, the others read from the shared
cache. Values that can change under their key (the portal's state, locks, counters) use the shared cache
directly, never this."""

import threading
from collections import OrderedDict

from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache

LOCAL = LocMemCache("perfeval-local", {"TIMEOUT": 3600, "OPTIONS": {"MAX_ENTRIES": 2000}})
# A text larger than this stays in the shared cache only, so that a process's memory stays small.
LOCAL_MAX_BYTES = 1 << 20


def _weight(value: str | bytes) -> int:
    """Roughly the memory a value holds: a text of Chinese takes two bytes a character."""
    return len(value) if isinstance(value, bytes) else 2 * len(value)


class TextMemory:
    """Texts and bytes (cached HTML) by key, least recently used dropped first once they hold more than about
    ``max_bytes``. Kept as they are, not pickled like LocMemCache's values: they never change, and unpickling
    a page of Chinese HTML on every read cost a large report's page more than the rest of its work."""

    def __init__(self, max_bytes: int):
        self.max_bytes, self.size = max_bytes, 0
        self.items: OrderedDict[str, str | bytes] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> str | bytes | None:
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def set(self, key: str, value: str | bytes) -> None:
        with self.lock:
            if key in self.items:
                self.size -= _weight(self.items.pop(key))
            self.items[key] = value
            self.size += _weight(value)
            while self.size > self.max_bytes:
                _, dropped = self.items.popitem(last=False)
                self.size -= _weight(dropped)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.size = 0


TEXTS = TextMemory(64 << 20)  # per process: 3 gunicorn workers hold at most about 200 MB of pages


def _keep_local(key: str, value, timeout) -> None:
    if isinstance(value, str | bytes) and len(value) > LOCAL_MAX_BYTES:
        return
    if isinstance(value, str | bytes):
        TEXTS.set(key, value)
    else:
        LOCAL.set(key, value, timeout)


def _read_local(key: str):
    value = TEXTS.get(key)
    return LOCAL.get(key) if value is None else value


def read(key: str):
    """The value under ``key``, or None."""
    value = _read_local(key)
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
    found = {key: value for key in keys if (value := TEXTS.get(key)) is not None}
    found.update(LOCAL.get_many([key for key in keys if key not in found]))
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
    TEXTS.clear()
