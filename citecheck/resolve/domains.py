"""Host names against the Public Suffix List snapshot that tldextract bundles (never fetched)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

__all__ = ["host_and_path", "registered_domain", "split_host"]


@lru_cache(maxsize=1)
def _extractor() -> Any:
    # Made on first use: importing tldextract imports the requests library, and its suffix tree takes
    # a few hundredths of a second to build, which a short document often never needs.
    import tldextract

    # suffix_list_urls=() keeps tldextract on its bundled snapshot: no network access at run time.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=False)


@lru_cache(maxsize=65536)
def split_host(host: str) -> tuple[str, str, str]:
    """(subdomain, domain, suffix); suffix is empty when the name has no public suffix."""
    result = _extractor()(host)
    return result.subdomain, result.domain, result.suffix


def registered_domain(host: str) -> str | None:
    _, domain, suffix = split_host(host)
    if not domain or not suffix:
        return None
    return f"{domain}.{suffix}"


def host_and_path(url: str) -> tuple[str, str] | None:
    """Lower-cased host without `www.` and the path, for a URL with or without a scheme."""
    if "://" not in url:
        url = "http://" + url
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return None
    if not host:
        return None
    host = host.removeprefix("www.")
    return host, parts.path or "/"
