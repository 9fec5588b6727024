"""Soft 404s: pages that answer 200 but are really "not found".

Many sites never send 404. A vanished article redirects to the home page, or the site serves its error
page with status 200, or every unknown path returns the same page. A status code alone would call all
of these alive. Three tests, cheapest first:

1. The redirect ended on the site's home page although the cited address was a deeper page.
2. The page title reads like an error page ("Page not found", "404", "Seite nicht gefunden", ...).
3. The page looks like what the same host returns for a path that cannot exist. One random path per host
   is fetched (`HostProbes`, cached for the run) and compared: the same final address, or the same
   title and nearly the same text, means the cited page is the site's catch-all. This is the method of
   Bar-Yossef et al., "Sic transit gloria telae" (WWW 2004), which found soft 404s on a large share of
   sites; the similarity thresholds below are deliberately strict so that a normal page that merely
   shares a site template does not match.
"""

from __future__ import annotations

import asyncio
import codecs
import html
import re
import secrets
import warnings
from urllib.parse import urlsplit, urlunsplit

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning
from rapidfuzz import fuzz

from ..net import FetchResult, NetClient

__all__ = [
    "HTML_TYPES",
    "HostProbes",
    "PageFingerprint",
    "fingerprint",
    "is_home_path",
    "looks_like_error_title",
    "soft_404_reason",
]

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", ""})

_HOME_PATHS = frozenset({"", "/", "/index.html", "/index.htm", "/index.php", "/home", "/default.aspx"})
# language-home pages such as /en/ or /de-de/
_LANGUAGE_HOME = re.compile(r"/[a-z]{2}(?:[-_][a-z]{2})?/?", re.IGNORECASE)

# An error title is one whose segment (titles are split at "|", " - ", ":" ...) consists only of
# error-page words and contains at least one error marker. Matching whole segments, not substrings,
# keeps "Missing plane not found after ten days" an article title.
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—·:»]+\s+|\s*[|·»]\s*|:\s+")
_TITLE_WORDS = re.compile(r"[^\W_]+(?:'[^\W_]+)?", re.UNICODE)
_ERROR_VOCABULARY = frozenset(
    """
    404 410 error http oops sorry whoops uh oh the this that a we you your page pages file article
    document content resource url link not no found cannot can't could couldn't be been is was are
    does doesn't do exist exists longer available unavailable removed gone missing requested looking
    for find which seems it there here an of has have moved deleted
    seite nicht gefunden existiert page introuvable página no encontrada pagina non trovata niet
    gevonden страница не найдена
    """.split()
)
_ERROR_MARKERS = (
    re.compile(r"\b(404|410)\b"),
    re.compile(r"\bnot\s+found\b|\b(could\s*n[o']t|can\s*n[o']t|can't|could\s+not)\s+(be\s+found|find)\b"),
    re.compile(r"\b(does\s*n[o']t|does\s+not|no\s+longer)\s+(exist|available)"),
    re.compile(r"^(an\s+)?error\b|\berror$"),
    re.compile(r"nicht\s+gefunden|introuvable|no\s+encontrada|non\s+trovata|niet\s+gevonden|не\s+найдена"),
)

# Thresholds for "this page is the catch-all": identical titles plus texts at least this similar, or
# texts alone nearly identical (rapidfuzz ratio, 0-100).
_SAME_TITLE_TEXT_SIMILARITY = 85.0
_TEXT_SIMILARITY = 95.0
_TEXT_SAMPLE = 6000


class PageFingerprint:
    """Just enough of a page to recognise it again: its title and the start of its visible text.

    The title comes from a quick scan of the markup; the text needs a full parse, which only the third
    test needs (when the host's random path answered 2xx), so it is worked out on first use.
    """

    __slots__ = ("_body", "_text", "title")

    def __init__(self, body: bytes) -> None:
        self._body = body
        self._text: str | None = None
        self.title = _title_of(body)

    @property
    def text(self) -> str:
        if self._text is None:
            with warnings.catch_warnings():
                # bs4 warns about inputs that look like file names or XML; both are just odd pages here
                warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
                warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
                soup = BeautifulSoup(self._body, "html.parser")
            for hidden in soup(["script", "style", "noscript", "template"]):
                hidden.decompose()
            self._text = " ".join(soup.get_text(" ").split())[:_TEXT_SAMPLE]
        return self._text


def fingerprint(body: bytes, media_type: str) -> PageFingerprint | None:
    """Title and visible text of an HTML page; None for other media types or an empty body."""
    if media_type not in HTML_TYPES or not body.strip():
        return None
    return PageFingerprint(body)


_TITLE = re.compile(rb"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?([A-Za-z0-9._:\-]+)""", re.IGNORECASE)


def _title_of(body: bytes) -> str:
    """The first <title>'s text, entities resolved, in the page's declared charset (else UTF-8)."""
    found = _TITLE.search(body, 0, 262144)
    if found is None:
        return ""
    raw = found.group(1)
    declared = _META_CHARSET.search(body, 0, 4096)
    encoding = "utf-8"
    if declared is not None and not body.startswith(b"\xef\xbb\xbf"):
        try:
            encoding = codecs.lookup(declared.group(1).decode("ascii")).name
        except LookupError:
            pass  # an unknown charset name: read it as UTF-8, replacing what does not decode
    text = raw.decode(encoding, errors="replace")
    return " ".join(html.unescape(_TAG.sub(" ", text)).split())


def is_home_path(url: str) -> bool:
    path = urlsplit(url).path
    return path.lower() in _HOME_PATHS or bool(_LANGUAGE_HOME.fullmatch(path))


def looks_like_error_title(title: str) -> bool:
    """True if some segment of the title is an error message and nothing else."""
    for segment in _TITLE_SEPARATORS.split(title.lower()):
        words = _TITLE_WORDS.findall(segment)
        if not words or not all(word in _ERROR_VOCABULARY for word in words):
            continue
        normal = " ".join(words)
        if any(marker.search(normal) for marker in _ERROR_MARKERS):
            return True
    return False


def soft_404_reason(
    cited_url: str, page: FetchResult, page_print: PageFingerprint | None, probe: FetchResult | None
) -> str | None:
    """Why a 2xx answer for `cited_url` is really "not found", or None if it looks like the page.

    `probe` is the host's answer for a random path (see `HostProbes`), None when not fetched.
    """
    if page.redirects and is_home_path(page.final_url) and not is_home_path(cited_url):
        return f"redirected to the home page {page.final_url}"
    if page_print is not None and looks_like_error_title(page_print.title):
        return f"page title reads as an error: {page_print.title!r}"
    if probe is None or not probe.ok or is_home_path(cited_url):
        return None
    if probe.redirects and probe.final_url == page.final_url:
        return f"a random path on this host lands on the same page ({probe.final_url})"
    probe_print = fingerprint(probe.body, probe.media_type)
    if page_print is None or probe_print is None:
        return None
    probe_text = probe_print.text.replace(_probe_token(probe.url), "")
    page_text = page_print.text.replace(urlsplit(cited_url).path, "")
    similarity = fuzz.ratio(page_text, probe_text)
    same_title = bool(page_print.title) and page_print.title == probe_print.title
    if similarity >= _TEXT_SIMILARITY or (same_title and similarity >= _SAME_TITLE_TEXT_SIMILARITY):
        return (
            f"same page as a random path on this host (title {page_print.title!r}, {similarity:.0f}% similar)"
        )
    return None


def _probe_token(probe_url: str) -> str:
    return urlsplit(probe_url).path.rsplit("/", 1)[-1]


class HostProbes:
    """One random-path fetch per host (scheme, host and port), shared by every link to that host."""

    def __init__(self, client: NetClient) -> None:
        self._client = client
        self._probes: dict[str, asyncio.Task[FetchResult]] = {}

    def probe_url(self, url: str) -> str:
        parts = urlsplit(url)
        # 24 hex digits: no real page has this path, and the token is easy to strip from echoed text
        return urlunsplit((parts.scheme, parts.netloc, f"/{secrets.token_hex(12)}", "", ""))

    async def for_url(self, url: str) -> FetchResult:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        probe = self._probes.get(origin)
        if probe is None:
            probe = self._probes[origin] = asyncio.ensure_future(self._client.fetch(self.probe_url(url)))
        return await asyncio.shield(probe)

    @property
    def hosts_probed(self) -> int:
        return len(self._probes)
