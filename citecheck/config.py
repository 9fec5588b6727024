"""One validated model for config.yaml.

Every stage gets only its own slice (NetworkSettings, ArchiveSettings, ScoringSettings ...).
Unknown keys and wrong types are rejected with a one-line ConfigError naming the file and the key.
The defaults below are the documented defaults; the bundled config.yaml repeats them so users can read them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import ConfigError

__all__ = [
    "ArchiveProvider",
    "ArchiveSettings",
    "CacheSettings",
    "ClusterSettings",
    "Config",
    "DatabaseSettings",
    "InputSettings",
    "NetworkSettings",
    "RegistrySettings",
    "ReportSettings",
    "ScoringSettings",
    "FAIL_ON_POLICIES",
    "default_database_url",
    "fail_on_threshold",
    "find_config",
    "load_config",
    "read_config",
    "user_config_path",
]

ENV_CONFIG = "CITECHECK_CONFIG"
ENV_DATABASE = "CITECHECK_DATABASE_URL"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def default_database_url() -> str:
    """A SQLite file in the user's data directory (XDG on Linux)."""
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("citecheck", appauthor=False))
    return f"sqlite:///{folder / 'citecheck.db'}"


class DatabaseSettings(_Section):
    url: str | None = Field(None, description="SQLAlchemy URL; null means a SQLite file in the user data dir")
    busy_timeout_ms: int = Field(30_000, ge=0)
    connect_timeout: float = Field(
        10.0, gt=0, description="seconds to wait for a PostgreSQL server to answer"
    )


class InputSettings(_Section):
    max_bytes: int = Field(20 * 1024 * 1024, gt=0, description="larger documents are refused")
    extensions: tuple[str, ...] = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx", ".wiki")
    follow_symlinks: bool = Field(
        False, description="let a directory walk follow symbolic links that leave the directory given"
    )


class NetworkSettings(_Section):
    connect_timeout: float = Field(10.0, gt=0)
    read_timeout: float = Field(20.0, gt=0)
    total_timeout: float = Field(45.0, gt=0, description="wall-clock limit for one URL, redirects included")
    concurrency: int = Field(128, ge=1)
    per_host: int = Field(4, ge=1)
    exclude: tuple[str, ...] = Field(
        (), description="regular expressions: a link matching one is neither checked nor looked up"
    )
    user_agent: str = "citecheck/0.1 (+https://github.com/citecheck/citecheck)"
    max_body_bytes: int = Field(5 * 1024 * 1024, gt=0)
    max_redirects: int = Field(10, ge=0)
    retries: int = Field(2, ge=0)
    # Statuses that say "try again later". A plain 500 is not among them: it promises nothing about a
    # second attempt, and retrying it would triple the requests to every broken page.
    retry_statuses: tuple[Annotated[int, Field(ge=400, le=599)], ...] = Field(
        (408, 429, 502, 503, 504), description="HTTP statuses retried with backoff, like connection failures"
    )
    backoff_seconds: float = Field(0.5, ge=0)
    max_retry_after: float = Field(30.0, ge=0, description="longest Retry-After honoured before giving up")
    allow_private_hosts: tuple[str, ...] = Field(
        (),
        description="hosts, IPs or networks exempt from the private-address guard, each on every port or, "
        "written host:port, on one (tests use 127.0.0.1)",
    )
    detect_soft_404: bool = Field(
        True,
        description="GET HTML pages that answer 200 and compare them with a random path on the same host",
    )
    connectivity_check_urls: tuple[str, ...] = Field(
        ("https://web.archive.org/",),
        description="fetched once when every link fails with the same network error; "
        "if these fail too, the machine is offline and results are unknown_offline",
    )
    dead_after_checks: int = Field(
        3, ge=1, description="failed checks, with no success between, before a failing link is dead"
    )
    dead_after_days: float = Field(
        3.0, ge=0, description="days those failed checks must span before a failing link is dead"
    )


    @field_validator("exclude")
    @classmethod
    def _compiles(cls, patterns: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"{pattern!r} is not a regular expression ({exc})") from None
        return patterns

    def excludes(self, url: str) -> bool:
        """Whether `url` matches an exclude pattern (re.search, as lychee's --exclude)."""
        return any(re.search(pattern, url) for pattern in self.exclude)


class CacheSettings(_Section):
    ttl_hours: float = Field(24.0, ge=0)
    transient_ttl_minutes: float = Field(
        10.0,
        ge=0,
        description="how long a failure that says more about the network than the page is reused: "
        "no network, a timeout, a connection error, a 429, an archive not reached",
    )


class ArchiveProvider(_Section):
    name: str
    kind: Literal["wayback", "memento", "pywb"]
    enabled: bool = True
    replay_url: str | None = Field(None, description="base for /<timestamp>/<url> replay")
    cdx_url: str | None = None
    timegate_url: str | None = None
    timemap_url: str | None = None
    cdx_per_minute: float = Field(20.0, gt=0)
    replay_per_minute: float = Field(300.0, gt=0)
    concurrency: int = Field(2, ge=1)


def _default_providers() -> tuple[ArchiveProvider, ...]:
    return (
        ArchiveProvider(
            name="wayback",
            kind="wayback",
            replay_url="https://web.archive.org/web",
            cdx_url="https://web.archive.org/cdx/search/cdx",
        ),
    )


class SavePageNow(_Section):
    enabled: bool = False
    endpoint: str = "https://web.archive.org/save"
    access_key: str | None = Field(None, description="or $CITECHECK_SPN_ACCESS_KEY")
    secret_key: str | None = Field(None, description="or $CITECHECK_SPN_SECRET_KEY")

    def keys(self) -> tuple[str, str] | None:
        """The account keys, from this file or the environment (so they need not be written down)."""
        access = self.access_key or os.environ.get("CITECHECK_SPN_ACCESS_KEY")
        secret = self.secret_key or os.environ.get("CITECHECK_SPN_SECRET_KEY")
        return (access, secret) if access and secret else None


class ArchiveSettings(_Section):
    providers: tuple[ArchiveProvider, ...] = Field(default_factory=_default_providers)
    match_content: bool = True
    collection_dir: str | None = Field(None, description="local WARC collection for `citecheck archive`")
    save_page_now: SavePageNow = SavePageNow()


class ScoringSettings(_Section):
    type_weights: dict[str, int] = Field(
        default_factory=lambda: {
            "wire_service": 80,
            "public_broadcaster": 72,
            "newspaper": 70,
            "broadcaster": 62,
            "academic": 75,
            "intergovernmental": 70,
            "think_tank": 60,
            "government": 60,
            "corporate": 55,
            "digital_native": 50,
            "advocacy": 45,
            "leak": 45,
            "state_media": 35,
            "platform": 25,
            "unknown": 35,
        }
    )
    vague_score: int = Field(15, ge=0, le=100)
    self_interest_penalty: int = Field(20, ge=0, le=100)
    controlled_penalty: int = Field(10, ge=0, le=100)
    funded_rival_penalty: int = Field(5, ge=0, le=100)
    no_date_penalty: int = Field(5, ge=0, le=100)
    link_bonus: int = Field(5, ge=0, le=100)
    dead_link_penalty: int = Field(15, ge=0, le=100)
    archive_bonus: int = Field(5, ge=0, le=100)
    mismatch_penalty: int = Field(20, ge=0, le=100)
    strong_at: int = Field(70, ge=0, le=100)
    adequate_at: int = Field(50, ge=0, le=100)
    # document level (score_document)
    no_sources_score: int = Field(20, ge=0, le=100, description="a document that cites nothing")
    weak_share_weight: float = Field(
        0.5, ge=0, le=1, description="how far vague or unverifiable sources pull the mean down"
    )
    weak_share_label_at: float = Field(
        0.5, ge=0, le=1, description="share of vague or unverifiable sources from which a document is weak"
    )
    single_owner_penalty: int = Field(10, ge=0, le=100, description="every named source under one control")
    diverse_owners_at: int = Field(3, ge=2, description="independent controllers that earn the bonus")
    diverse_owners_bonus: int = Field(5, ge=0, le=100)
    dependence_min_sources: int = Field(3, ge=1, description="named sources before dependence is judged")
    dependence_share: float = Field(0.6, ge=0, le=1, description="share of one type that is dependence")
    dependence_penalty: int = Field(10, ge=0, le=100, description="... on a type weighted below adequate")
    no_links_penalty: int = Field(5, ge=0, le=100, description="no citation carries a working link")


class RegistrySettings(_Section):
    extra_files: tuple[str, ...] = Field((), description="more registry YAML files; later entries override")
    outlets: tuple[dict[str, Any], ...] = Field((), description="inline registry entries (same schema)")


# What makes `citecheck check` exit 1: a named policy, or "score<N" (a document scored below N).
FAIL_ON_POLICIES = ("failing", "dead", "unverifiable", "weak", "never")
_SCORE_POLICY = re.compile(r"score<(\d{1,3})")


def fail_on_threshold(policy: str) -> int | None:
    """N for a "score<N" policy, else None."""
    found = _SCORE_POLICY.fullmatch(policy)
    return int(found.group(1)) if found else None


class ReportSettings(_Section):
    fail_on: str = Field("unverifiable", description=f"{', '.join(FAIL_ON_POLICIES)} or score<N")

    @field_validator("fail_on")
    @classmethod
    def _known_policy(cls, value: str) -> str:
        if value not in FAIL_ON_POLICIES and fail_on_threshold(value) is None:
            raise ValueError(f"expected one of {', '.join(FAIL_ON_POLICIES)} or score<N, got {value!r}")
        return value


# A Dask scheduler address ("tcp://scheduler:8786", "tls://...") or "local:N".
CLUSTER_ADDRESS = r"^(local:[1-9][0-9]*|[a-z0-9+]+://.+)$"


class ClusterSettings(_Section):
    """Where `citecheck check` runs: here (no address), or on a Dask cluster (`--cluster`)."""

    address: str | None = Field(
        None,
        pattern=CLUSTER_ADDRESS,
        description='a Dask scheduler ("tcp://scheduler:8786") or "local:N" for N worker processes here',
    )
    chunk_documents: int = Field(100, ge=1, description="documents per extraction and storage task")
    wave_documents: int = Field(
        20_000, ge=1, description="documents whose links are pooled, deduplicated and checked together"
    )
    host_partitions: int = Field(
        0, ge=0, description="link-check tasks per wave, each the only one for its hosts; 0 = 2 per thread"
    )


class Config(_Section):
    database: DatabaseSettings = DatabaseSettings()
    input: InputSettings = InputSettings()
    network: NetworkSettings = NetworkSettings()
    cache: CacheSettings = CacheSettings()
    archive: ArchiveSettings = ArchiveSettings()
    scoring: ScoringSettings = ScoringSettings()
    registry: RegistrySettings = RegistrySettings()
    report: ReportSettings = ReportSettings()
    cluster: ClusterSettings = ClusterSettings()

    def database_url(self) -> str:
        return os.environ.get(ENV_DATABASE) or self.database.url or default_database_url()


def _describe(error: dict[str, Any]) -> str:
    key = ".".join(str(part) for part in error["loc"])
    if error["type"] == "extra_forbidden":
        return f"{key}: unknown key"
    return f"{key}: {error['msg'].lower()}"


def config_from_mapping(data: dict[str, Any], source: str = "<config>") -> Config:
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise ConfigError(f"{source}: {_describe(dict(first))}{more}") from None


LOCAL_CONFIG = "citecheck.yaml"


def user_config_path() -> Path:
    """~/.config/citecheck/config.yaml, or under $XDG_CONFIG_HOME when it is set."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "citecheck" / "config.yaml"


def find_config(path: str | os.PathLike[str] | None = None) -> tuple[Path | None, str]:
    """The config file to read and how it was chosen: `path` (--config), else $CITECHECK_CONFIG, else
    citecheck.yaml in the working directory, else the user's config file; (None, ...) means the
    built-in defaults."""
    if path is not None:
        return Path(path), "given"
    if os.environ.get(ENV_CONFIG):
        return Path(os.environ[ENV_CONFIG]), f"${ENV_CONFIG}"
    local = Path(LOCAL_CONFIG)
    if local.is_file():
        return local.resolve(), "found in the working directory"
    user = user_config_path()
    if user.is_file():
        return user, "the user's config file"
    return None, f"no {LOCAL_CONFIG} here and no {user}"


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """The config `find_config` chooses, else the built-in defaults (the same as the bundled config.yaml)."""
    file, _ = find_config(path)
    if file is None:
        return Config()
    return read_config(file)


def read_config(file: Path) -> Config:
    """One config file, validated; a file needs only the keys it changes."""
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{file}: config file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file}: cannot read config file ({exc})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{file}: invalid YAML{where}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{file}: the top level must be a mapping of sections")
    return config_from_mapping(data, str(file))
