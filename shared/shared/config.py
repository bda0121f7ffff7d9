"""Configuration from environment variables with safe defaults.

Every setting the code reads goes through one of the ``env_*`` functions so that a test can
discover them (the compose file must set each one a deployment needs).
"""

from __future__ import annotations

import os
from pathlib import Path

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(ValueError):
    """A setting has a value that cannot be used."""


def env_str(name: str, default: str) -> str:
    """Return the string setting ``name`` or its default."""
    return os.environ.get(name, default)


def env_int(name: str, default: int) -> int:
    """Return the integer setting ``name`` or its default."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from exc


def env_float(name: str, default: float) -> float:
    """Return the float setting ``name`` or its default."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from exc


def env_bool(name: str, default: bool) -> bool:
    """Return the boolean setting ``name`` (1/0, true/false, yes/no, on/off) or its default."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} must be a boolean, got {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    """Return the comma-separated setting ``name`` as a list, or its default."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def data_dir() -> Path:
    """Return the folder for embedded data (SQLite files), created on demand."""
    path = Path(env_str("DATA_DIR", str(Path.cwd() / "data")))
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url(service: str) -> str:
    """Return ``<SERVICE>_DATABASE_URL``, else an embedded SQLite file under the data folder."""
    configured = env_str(f"{service.upper()}_DATABASE_URL", "")
    return configured or f"sqlite:///{data_dir() / (service + '.db')}"


def common_settings(service: str) -> dict[str, object]:
    """Return the settings every service shares, as Flask config keys."""
    return {
        "SERVICE_NAME": service,
        "DATABASE_URL": database_url(service),
        "REDIS_URL": env_str("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "AUTH_ISSUER": env_str("AUTH_ISSUER", "http://localhost:8080"),
        "AUTH_JWKS_URL": env_str("AUTH_JWKS_URL", "http://127.0.0.1:8001/.well-known/jwks.json"),
        "AUTH_AUDIENCE": env_str("AUTH_AUDIENCE", "smartcustoms"),
        "AUTH_ADMINISTRATION_CLAIM": env_str("AUTH_ADMINISTRATION_CLAIM", "administration_id"),
        "AUTH_ROLES_CLAIM": env_str("AUTH_ROLES_CLAIM", "roles"),
        "AUTH_REVOCATIONS_REFRESH_S": env_float("AUTH_REVOCATIONS_REFRESH_S", 5.0),
        "LOG_LEVEL": env_str("LOG_LEVEL", "INFO"),
        "LOG_FORMAT": env_str("LOG_FORMAT", "json"),
        "MAX_CONTENT_LENGTH": env_int("MAX_CONTENT_LENGTH", 1024 * 1024),
        # Writes one caller (a user or an API key) may make per window; 0 turns the limit off.
        "WRITES_PER_CALLER": env_int("WRITES_PER_CALLER", 600),
        "WRITES_WINDOW_S": env_int("WRITES_WINDOW_S", 60),
        "EVENTS_STREAM_MAXLEN": env_int("EVENTS_STREAM_MAXLEN", 100_000),
        "EVENTS_MAX_DELIVERIES": env_int("EVENTS_MAX_DELIVERIES", 5),
        # Touched by the event process while all its loops make progress ("": no file).
        "EVENTS_HEARTBEAT_FILE": env_str("EVENTS_HEARTBEAT_FILE", ""),
        "EVENTS_HEARTBEAT_STALE_S": env_float("EVENTS_HEARTBEAT_STALE_S", 30.0),
        # How long a stopping event process waits for the events in hand (below the grace period).
        "EVENTS_STOP_TIMEOUT_S": env_float("EVENTS_STOP_TIMEOUT_S", 20.0),
    }
