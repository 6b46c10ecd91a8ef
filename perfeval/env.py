"""Settings helpers that fail loudly: a malformed environment variable stops start-up with its name."""

import os
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_required(name: str, because: str) -> str:
    """A variable that must be set (non-empty) once ``because`` is."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when {because} is set")
    return value


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name, default).strip()
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} must be one of {', '.join(choices)}")
    return value


def env_url(name: str, default: str) -> str:
    """An http(s) URL with a host, or empty."""
    value = os.environ.get(name, default).strip()
    if value:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ImproperlyConfigured(f"{name}={value!r} is not an http(s) URL with a host")
    return value


def parse_database_url(url: str, base_dir) -> dict:
    """sqlite:///relative/or//absolute/path.sqlite3 or postgres://user:pass@host:port/name?options."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
        if not path:
            raise ImproperlyConfigured(f"DATABASE_URL={url!r}: a sqlite URL needs a file path")
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path if path.startswith("/") or path == ":memory:" else str(base_dir / path),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
        }
    if parts.scheme in ("postgres", "postgresql", "pgsql"):
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured(f"DATABASE_URL={url!r}: a postgres URL needs a database name")
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured(f"DATABASE_URL={url!r}: the port is not a number") from None
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(f"DATABASE_URL={url!r}: the scheme must be sqlite:// or postgres://")


def parse_cache_url(url: str) -> dict:
    """The one cache of every process and server. ``db://`` (the default: Django's database cache in the table
    ``perfeval_cache``, made by ``createcachetable``; ``db://TABLE`` names another; ``?max_entries=N``),
    ``redis://[:password@]host[:port][/db]`` or ``rediss://…`` (Django's RedisCache), or ``locmem://`` (one
    cache per process: a single process only, such as the tests)."""
    parts = urlsplit(url)
    try:
        query = {
            key: values[-1] for key, values in parse_qs(parts.query, strict_parsing=bool(parts.query)).items()
        }
    except ValueError:
        raise ImproperlyConfigured(f"CACHE_URL={url!r}: the query is malformed") from None
    if parts.scheme == "db":
        table = (parts.netloc + parts.path).strip("/") or "perfeval_cache"
        if not table.replace("_", "").isalnum() or not table.isascii():
            raise ImproperlyConfigured(f"CACHE_URL={url!r}: {table!r} is not a table name")
        max_entries = query.pop("max_entries", "50000")
        if not max_entries.isdigit() or int(max_entries) < 1:
            raise ImproperlyConfigured(f"CACHE_URL={url!r}: max_entries must be a positive integer")
        if query:
            raise ImproperlyConfigured(f"CACHE_URL={url!r}: unknown option {sorted(query)[0]!r}")
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": table,
            "OPTIONS": {"MAX_ENTRIES": int(max_entries)},
        }
    if parts.scheme in ("redis", "rediss"):
        if not parts.hostname:
            raise ImproperlyConfigured(f"CACHE_URL={url!r}: a redis URL needs a host")
        try:
            parts.port  # noqa: B018 - raises on a port that is not a number
        except ValueError:
            raise ImproperlyConfigured(f"CACHE_URL={url!r}: the port is not a number") from None
        database = parts.path.strip("/")
        if database and not database.isdigit():
            raise ImproperlyConfigured(f"CACHE_URL={url!r}: the redis database must be a number")
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if parts.scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "perfeval"}
    raise ImproperlyConfigured(
        f"CACHE_URL={url!r}: the scheme must be db://, redis://, rediss:// or locmem://"
    )
