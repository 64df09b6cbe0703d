"""Where the cluster is and how to talk to it: the location URL, credentials, TLS, the client.

A location is ``http(s)://host:port[/][?prefix=NAME&shards=N&replicas=N]``. Credentials and TLS
verification never come from the URL or the command line: they are read from the environment
(``NEWSDESK_OPENSEARCH_USER`` / ``_PASSWORD``, or ``_API_KEY``; ``_CA_CERTS``, ``_VERIFY=0``;
``_RETRY_S``, how long transient errors are retried)
or from the ``[opensearch]`` table of the config file (``$NEWSDESK_CONFIG``, else the user config
folder's ``newsdesk/config.toml``), the environment first. No message ever holds a secret: the
location is shown as ``scheme://host:port?prefix=…`` only.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import attrs
import platformdirs

from newsdesk.index.errors import NewsdeskError

ENV_PREFIX = "NEWSDESK_OPENSEARCH_"
DEFAULT_PREFIX = "newsdesk"


class EngineConfigError(NewsdeskError):
    pass


def is_url(location: object) -> bool:
    """Whether a location names a cluster (an http or https URL) rather than an index folder."""
    return isinstance(location, str) and location.lower().startswith(("http://", "https://"))


@attrs.frozen
class Settings:
    scheme: str
    host: str
    port: int
    prefix: str = DEFAULT_PREFIX
    shards: int = 1
    replicas: int = 1
    username: str | None = attrs.field(default=None, repr=False)
    password: str | None = attrs.field(default=None, repr=False)
    api_key: str | None = attrs.field(default=None, repr=False)
    verify_certs: bool = True
    ca_certs: str | None = None
    timeout_s: float = 30.0
    retry_s: float | None = None  # how long transient errors are tried again (_RETRY_S)

    @property
    def location(self) -> str:
        """The location as shown to people: never a credential."""
        return f"{self.scheme}://{self.host}:{self.port}?prefix={self.prefix}"


def _config_file() -> Path:
    env = os.environ.get("NEWSDESK_CONFIG")
    if env:
        return Path(env).expanduser()
    return platformdirs.user_config_path("newsdesk") / "config.toml"


def _file_settings() -> dict[str, Any]:
    path = _config_file()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise EngineConfigError(f"{path}: cannot read the config file: {exc}") from None
    section = data.get("opensearch", {})
    return section if isinstance(section, dict) else {}


def _flag(value: object) -> bool:
    return str(value).strip().lower() not in ("0", "false", "no", "off", "")


def _int(query: dict[str, list[str]], key: str, default: int, low: int) -> int:
    raw = query.get(key, [str(default)])[-1]
    try:
        value = int(raw)
    except ValueError:
        raise EngineConfigError(f"{key}={raw!r} in the engine URL is not a number") from None
    if value < low:
        raise EngineConfigError(f"{key} in the engine URL must be at least {low}")
    return value


def parse(location: str) -> Settings:
    """Settings for a location URL, with credentials from the environment or the config file."""
    try:
        parts = urlsplit(location)
        port = parts.port
    except ValueError:
        raise EngineConfigError("the engine URL is not a valid http(s) URL") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise EngineConfigError("the engine URL must be http(s)://HOST[:PORT][?prefix=NAME]")
    if parts.username or parts.password:
        raise EngineConfigError(
            "credentials do not go in the engine URL: set NEWSDESK_OPENSEARCH_USER and "
            "NEWSDESK_OPENSEARCH_PASSWORD (or NEWSDESK_OPENSEARCH_API_KEY), or the "
            "[opensearch] table of the config file"
        )
    query = parse_qs(parts.query)
    prefix = query.get("prefix", [DEFAULT_PREFIX])[-1].strip().lower()
    if not prefix or not all(c.isalnum() or c in "-_" for c in prefix) or prefix[0] in "-_":
        raise EngineConfigError("prefix in the engine URL: letters, digits, '-' and '_' only")
    if parts.path not in ("", "/"):
        raise EngineConfigError("the engine URL takes no path; name the indices with ?prefix=")
    conf = _file_settings()

    def pick(key: str, env: str) -> Any:
        value = os.environ.get(ENV_PREFIX + env)
        return value if value not in (None, "") else conf.get(key)

    verify = pick("verify_certs", "VERIFY")
    return Settings(
        scheme=parts.scheme.lower(),
        host=parts.hostname,
        port=port or (443 if parts.scheme.lower() == "https" else 9200),
        prefix=prefix,
        shards=_int(query, "shards", 1, 1),
        replicas=_int(query, "replicas", 1, 0),
        username=pick("username", "USER"),
        password=pick("password", "PASSWORD"),
        api_key=pick("api_key", "API_KEY"),
        verify_certs=True if verify is None else _flag(verify),
        ca_certs=pick("ca_certs", "CA_CERTS"),
        retry_s=_seconds(pick("retry_seconds", "RETRY_S")),
    )


def _seconds(value: object) -> float | None:
    if value in (None, ""):
        return None
    try:
        return max(0.0, float(str(value)))
    except ValueError:
        raise EngineConfigError(f"not a number of seconds: {value!r}") from None


def client(settings: Settings) -> Any:
    """An opensearch-py client: retries on timeouts and on 502/503/504, never logs secrets."""
    from opensearchpy import OpenSearch

    kw: dict[str, Any] = {
        "hosts": [{"host": settings.host, "port": settings.port}],
        "use_ssl": settings.scheme == "https",
        "verify_certs": settings.verify_certs,
        "ssl_show_warn": settings.verify_certs,
        "timeout": settings.timeout_s,
        "retry_on_timeout": True,
        "max_retries": 5,
        "retry_on_status": (502, 503, 504),
        "http_compress": True,
    }
    if settings.ca_certs:
        kw["ca_certs"] = settings.ca_certs
    if settings.api_key:
        kw["headers"] = {"Authorization": f"ApiKey {settings.api_key}"}
    elif settings.username is not None:
        kw["http_auth"] = (settings.username, settings.password or "")
    return OpenSearch(**kw)


def describe(exc: BaseException, settings: Settings) -> str:
    """A one-line message for a client error that names the cluster and never a secret."""
    status = getattr(exc, "status_code", None)
    info = getattr(exc, "error", None)
    kind = type(exc).__name__
    if kind == "ConnectionError" or kind == "ConnectionTimeout":
        text = f"cannot reach OpenSearch at {settings.location}"
    elif status == 401 or status == 403:
        text = f"OpenSearch at {settings.location} refused the credentials ({status})"
    else:
        text = f"OpenSearch at {settings.location}: {kind} {status or ''} {info or ''}".strip()
    for secret in (settings.password, settings.api_key):
        if secret:
            text = text.replace(secret, "***")
    return text
