"""Configuration details that the CLI tests do not reach."""

from __future__ import annotations

import pytest

from citecheck.config import Config, SavePageNow, config_from_mapping, load_config
from citecheck.errors import ConfigError


def test_save_page_now_keys_come_from_file_or_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CITECHECK_SPN_ACCESS_KEY", raising=False)
    monkeypatch.delenv("CITECHECK_SPN_SECRET_KEY", raising=False)
    assert SavePageNow().keys() is None
    assert SavePageNow(access_key="a", secret_key="s").keys() == ("a", "s")
    monkeypatch.setenv("CITECHECK_SPN_ACCESS_KEY", "env-a")
    monkeypatch.setenv("CITECHECK_SPN_SECRET_KEY", "env-s")
    assert SavePageNow().keys() == ("env-a", "env-s")
    assert Config().archive.save_page_now.enabled is False  # off by default, keys or not


def test_database_url_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CITECHECK_DATABASE_URL", raising=False)
    assert Config().database_url().startswith("sqlite:///") and Config().database_url().endswith(
        "citecheck.db"
    )
    configured = config_from_mapping({"database": {"url": "sqlite:///x.db"}})
    assert configured.database_url() == "sqlite:///x.db"
    monkeypatch.setenv("CITECHECK_DATABASE_URL", "sqlite:///env.db")
    assert configured.database_url() == "sqlite:///env.db"


def test_wrong_type_in_a_provider_names_the_key() -> None:
    with pytest.raises(ConfigError, match=r"archive\.providers\.0\.kind"):
        config_from_mapping({"archive": {"providers": [{"name": "x", "kind": "ftp"}]}}, "c.yaml")


def test_empty_file_means_defaults(tmp_path) -> None:  # type: ignore[no-untyped-def]
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    assert load_config(empty) == Config()


def test_retry_statuses_must_be_error_statuses() -> None:
    assert config_from_mapping({"network": {"retry_statuses": [500, 503]}}).network.retry_statuses == (
        500,
        503,
    )
    with pytest.raises(ConfigError, match=r"network\.retry_statuses\.0"):
        config_from_mapping({"network": {"retry_statuses": [200]}}, "c.yaml")
