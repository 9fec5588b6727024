"""A web page read as an article: its main text and in-text links, its own date and publisher.

HTML bytes and the page's address in; a Document out. trafilatura finds the article in the page and
drops what is around it (site navigation, related-story boxes, footers, comments), so the links that
remain are the ones the article's text makes; the kept markup is then read by html.py like any HTML
document, and relative links are resolved against the page's address. The page's own metadata
(Open Graph, JSON-LD, meta tags; read by trafilatura and htmldate) give the document's date and its
publisher, which becomes the `self` outlet (see citecheck/extract/structure.py).

A page trafilatura finds no article in is read whole by html.py, navigation and footers excepted.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import replace
from urllib.parse import urljoin

from ..errors import InputError
from ..models import CitedDate, Document, SourceLink
from .html import html_document
from .text import decode

__all__ = ["web_document"]


def _article(markup: str, url: str) -> tuple[str | None, str | None, str | None, str | None]:
    """(article HTML, date YYYY-MM-DD, publisher, title) as trafilatura reads the page."""
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # it logs what it could not find
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    article = trafilatura.extract(
        markup, url=url, output_format="html", include_links=True, include_comments=False, include_tables=True
    )
    metadata = trafilatura.extract_metadata(markup, default_url=url)
    if metadata is None:
        return article, None, None, None
    return article, metadata.date, metadata.sitename, metadata.title


def _iso_date(value: str | None) -> CitedDate | None:
    """trafilatura's dates are YYYY-MM-DD."""
    try:
        year, month, day = (int(part) for part in (value or "").split("-"))
        return CitedDate(year, month, day)
    except ValueError:
        return None


def web_document(url: str, data: bytes, *, media_type: str = "text/html") -> Document:
    """`url` is the page's own address (for relative links and the `self` outlet); `data` its HTML."""
    if not data.strip():
        raise InputError(url, "the page is empty")
    markup, encoding = decode(url, data)
    article, date, publisher, title = _article(markup, url)
    sha256 = hashlib.sha256(data).hexdigest()
    document = html_document(url, article or markup, sha256=sha256, size=len(data), encoding=encoding)
    links = tuple(SourceLink(url=urljoin(url, link.url), anchor=link.anchor) for link in document.links)
    if not document.text.strip():
        raise InputError(url, "the page has no text to read")
    return replace(
        document,
        links=links,
        title=title or document.title,
        date=_iso_date(date),
        publisher=publisher or None,
        media_type=media_type,
    )
