"""A local pywb (`kind: pywb`): the same wayback protocol, pywb's CDX dialect, and the config it needs.

pywb answers the replay URLs the Wayback Machine does (``/<coll>/<timestamp>id_/<url>``) once its
config.yaml sets ``redirect_to_exact: true`` (redirect to the nearest capture's own timestamp instead of
serving it under the requested one) and ``framed_replay: false`` (serve the capture, not a frame page
around it); ``enable_memento: true`` adds the Memento-Datetime and Link headers the provider reads. Its
CDX endpoint is ``/<coll>/cdx``, which is the default `cdx_url` here, and it differs from the Internet
Archive's in two ways: filters are substring matches unless prefixed with ``~`` (regex), and fields
have pywb's own names (`url`, `status`, `mime`), which `parse_cdx` reads as well as the IA's.

`write_pywb_config` writes the config.yaml citecheck expects, for `citecheck archive` users and for the
test server alike.
"""

from __future__ import annotations

from pathlib import Path

from .wayback import CdxDialect, WaybackArchive

__all__ = ["PYWB_CDX", "PYWB_SETTINGS", "PywbArchive", "write_pywb_config"]

PYWB_CDX = CdxDialect(ok_status_filter="~status:2")

# What citecheck relies on; see the module docstring for why each is needed.
PYWB_SETTINGS: dict[str, bool] = {
    "framed_replay": False,
    "redirect_to_exact": True,
    "enable_memento": True,
}


class PywbArchive(WaybackArchive):
    """The wayback provider with pywb's CDX dialect and its default endpoint."""

    dialect = PYWB_CDX

    def _default_cdx_url(self) -> str | None:
        return f"{self._replay}/cdx" if self._replay else None


def write_pywb_config(root: Path) -> Path:
    """Write ``root/config.yaml`` for a pywb serving every collection under ``root/collections``."""
    lines = ["# written by citecheck: replay settings the archive providers rely on"]
    lines += [f"{key}: {'true' if value else 'false'}" for key, value in PYWB_SETTINGS.items()]
    config = root / "config.yaml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config
