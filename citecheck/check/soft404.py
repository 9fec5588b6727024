"""Soft 404s: pages that answer 200 but are really "not found".

Many sites never send 404. A vanished article redirects to the home page or to its section, or the site
serves its error page, or the section page, with status 200, or every unknown path returns the same page.
A status code alone would call all of these alive. The tests, cheapest first:

1. The redirect ended on the site's home page, or on a section above the cited page (``/world/`` for
   ``/world/2020/budget-talks``), although the cited address was a deeper page.
2. The page is what the same host returns for a path that cannot exist. One random path per host is
   fetched (`HostProbes`, cached for the run) and, when it answered 2xx, compared: the same final
   address, or the same content, means the cited page is the site's catch-all (the method of
   Bar-Yossef et al., "Sic transit gloria telae", WWW 2004).
3. The title reads like an error page ("Page not found", "404", "Seite nicht gefunden", ...) and the page
   has no prose of its own. A headline that says "Page Not Found" over a real article is an article.
4. The cited address names an article (a slug of several words) that neither the title nor the headings
   mention, and the page is the section above it: a missing article served as its section page.

"Content" means the page's own content, not the site's template. Blocks of text a page shares with the
page it is compared with (navigation, footers, cookie notices) are the template and are set aside; what
remains on each side is compared. Comparing the first few thousand characters of visible text instead
called healthy articles on sites with heavy navigation "not found", because the navigation was all that
was compared.

Pages are read by page.py: bounded, linear-time and in a worker thread, each probe page once per host.
"""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from rapidfuzz import fuzz

from ..net import FetchResult, NetClient
from .page import PageContent, page_content, page_title, read_off_loop

__all__ = [
    "HTML_TYPES",
    "HostProbes",
    "content_reason",
    "is_home_path",
    "looks_like_error_title",
    "redirect_reason",
    "section_above",
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
_MAX_TITLE_CHECKED = 1000

# Own content (outside the shared template) at least this similar (rapidfuzz ratio, 0-100) is the same
# page; with the same title, a looser bar. A page with fewer words of prose of its own than
# _NO_CONTENT_WORDS has nothing that makes it an article.
_SAME_CONTENT = 85.0
_SAME_TITLE_CONTENT = 60.0
_NO_CONTENT_WORDS = 20
# An error title over at least this many words of own prose is a headline, not an error page.
_ARTICLE_WORDS = 50
_COMPARED_CHARS = 20_000
# A slug is the last path segment of an article address: words joined by hyphens or underscores.
_SLUG_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
_SECTION_SEGMENT = re.compile(r"[^\W\d_]{2,20}", re.UNICODE)


def is_home_path(url: str) -> bool:
    path = urlsplit(url).path
    return path.lower() in _HOME_PATHS or bool(_LANGUAGE_HOME.fullmatch(path))


def looks_like_error_title(title: str) -> bool:
    """True if some segment of the title is an error message and nothing else."""
    for segment in _TITLE_SEPARATORS.split(title[:_MAX_TITLE_CHECKED].lower()):
        words = _TITLE_WORDS.findall(segment)
        if not words or not all(word in _ERROR_VOCABULARY for word in words):
            continue
        normal = " ".join(words)
        if any(marker.search(normal) for marker in _ERROR_MARKERS):
            return True
    return False


# -- addresses ----------------------------------------------------------------------------------------


def _segments(url: str) -> list[str]:
    return [segment for segment in urlsplit(url).path.split("/") if segment]


def _slug_words(url: str) -> list[str]:
    """The words of the cited page's slug ("budget-talks-collapse" -> budget, talks, collapse)."""
    segments = _segments(url)
    if not segments:
        return []
    last = segments[-1].rsplit(".", 1)[0]
    words = [word.lower() for word in _SLUG_WORD.findall(last.replace("-", " ").replace("_", " "))]
    return words if len(words) >= 3 else []


def _is_section_segment(segment: str) -> bool:
    return bool(_SECTION_SEGMENT.fullmatch(segment))


def redirect_reason(cited_url: str, page: FetchResult) -> str | None:
    """Why a redirect's destination says the cited page is gone: the home page, or a section above it."""
    if not page.redirects or is_home_path(cited_url):
        return None
    if is_home_path(page.final_url):
        return f"redirected to the home page {page.final_url}"
    cited, final = _segments(cited_url), _segments(page.final_url)
    if urlsplit(cited_url).netloc.lower() != urlsplit(page.final_url).netloc.lower() or len(final) >= len(
        cited
    ):
        return None
    if cited[: len(final)] == final:
        return f"redirected to the section page {page.final_url}"
    if len(final) == 1 and _is_section_segment(final[0]) and _slug_words(cited_url):
        return f"redirected to the section page {page.final_url}"
    return None


def section_above(cited_url: str) -> str | None:
    """The nearest section above an article address (``/world/`` for ``/world/2020/05/slug``), if any."""
    segments = _segments(cited_url)[:-1]
    while segments and segments[-1].isdigit():
        segments.pop()
    if not segments:
        return None
    parts = urlsplit(cited_url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + "/".join(segments) + "/", "", ""))


# -- content ------------------------------------------------------------------------------------------


def _normal_blocks(page: PageContent, echoed: str) -> list[str]:
    """Block texts with an echoed address removed ("Nothing at /item/9" says the same on every path)."""
    if not echoed:
        return [block.text for block in page.blocks]
    return [" ".join(block.text.replace(echoed, " ").split()) for block in page.blocks]


@dataclass(frozen=True, slots=True)
class _Comparison:
    similarity: float  # of the two pages' own content, 0-100
    own_prose_words: int  # words of prose on the first page outside the shared template


def _compare(page: PageContent, page_echo: str, other: PageContent, other_echo: str) -> _Comparison:
    """How alike two pages of one site are once the template they share is set aside."""
    page_texts, other_texts = _normal_blocks(page, page_echo), _normal_blocks(other, other_echo)
    shared = set(page_texts) & set(other_texts)
    own_page = [
        (text, block) for text, block in zip(page_texts, page.blocks, strict=True) if text not in shared
    ]
    own_other = [text for text in other_texts if text not in shared]
    page_text = " ".join(text for text, _ in own_page)[:_COMPARED_CHARS]
    other_text = " ".join(own_other)[:_COMPARED_CHARS]
    similarity = 100.0 if not page_text and not other_text else fuzz.ratio(page_text, other_text)
    prose = sum(block.words for _, block in own_page if block.is_prose)
    return _Comparison(similarity, prose)


def _own_prose_words(page: PageContent, template: PageContent | None) -> int:
    if template is None:
        return sum(block.words for block in page.blocks if block.is_prose)
    return _compare(page, "", template, "").own_prose_words


def _path(url: str) -> str:
    return urlsplit(url).path


def content_reason(
    cited_url: str,
    page: PageContent,
    probe: PageContent | None,
    probe_url: str = "",
    probe_ok: bool = False,
    section: PageContent | None = None,
    section_url: str = "",
) -> str | None:
    """Tests 2-4 of the module docstring on pages already read. Pure: runs in a worker thread.

    `probe` is the host's answer for a random path (any status: a 404 page still shows the template),
    `probe_ok` whether that answer was 2xx; `section` the page of `section_above(cited_url)`, read only
    when the title does not mention the slug.
    """
    if probe is not None and probe_ok and not is_home_path(cited_url):
        alike = _compare(page, _path(cited_url), probe, _path(probe_url))
        same_title = bool(page.title) and page.title == probe.title
        if alike.similarity >= _SAME_CONTENT or (
            same_title
            and (alike.similarity >= _SAME_TITLE_CONTENT or alike.own_prose_words < _NO_CONTENT_WORDS)
        ):
            return (
                f"same page as a random path on this host (title {page.title!r}, "
                f"{alike.similarity:.0f}% of its own content alike)"
            )
    if looks_like_error_title(page.title) and _own_prose_words(page, probe) < _ARTICLE_WORDS:
        return f"page title reads as an error: {page.title!r}"
    if section is not None and section.blocks:
        alike = _compare(page, _path(cited_url), section, "")
        if alike.similarity >= _SAME_CONTENT:
            return f"serves the section page {section_url} instead of the article"
    return None


def mentions_slug(cited_url: str, title: str, headings: Sequence[str] = ()) -> bool:
    """Whether the title or headings name the article the address names (True when there is no slug)."""
    words = _slug_words(cited_url)
    if not words:
        return True
    shown = " ".join([title, *headings]).lower()
    return any(word in shown for word in words if len(word) >= 4) or not any(len(w) >= 4 for w in words)


# -- the check ----------------------------------------------------------------------------------------


async def soft_404_reason(cited_url: str, page: FetchResult, probes: HostProbes) -> str | None:
    """Why a 2xx answer for `cited_url` is really "not found", or None if it looks like the page."""
    reason = redirect_reason(cited_url, page)
    if reason is not None or page.media_type not in HTML_TYPES or not page.body.strip():
        return reason
    title = page_title(page.body)
    probe: FetchResult | None = None
    if not is_home_path(cited_url):
        probe = await probes.for_url(page.final_url)
        if probe.ok and probe.redirects and probe.final_url == page.final_url:
            return f"a random path on this host lands on the same page ({probe.final_url})"
    catch_all = probe is not None and probe.ok
    section_url = None if mentions_slug(cited_url, title) else section_above(page.final_url)
    if not catch_all and section_url is None and not looks_like_error_title(title):
        return None  # nothing suggests a soft 404: the page is not read at all
    content = await probes.read(page.body)
    if content is None:
        return None  # too costly to read: left as the status says, never guessed
    probe_content = await probes.probe_content(page.final_url) if probe is not None else None
    section = None
    if section_url is not None and not mentions_slug(cited_url, content.title, content.headings):
        section = await probes.section_content(section_url)
    return await read_off_loop(
        lambda _deadline: content_reason(
            cited_url,
            content,
            probe_content,
            probe.url if probe else "",
            catch_all,
            section,
            section_url or "",
        )
    )


class HostProbes:
    """Shared by every link of a run: one random-path fetch per host (scheme, host and port), read once;
    section pages fetched and read once each."""

    def __init__(self, client: NetClient) -> None:
        self._client = client
        self._probes: dict[str, asyncio.Task[FetchResult]] = {}
        self._contents: dict[str, asyncio.Task[PageContent | None]] = {}

    def probe_url(self, url: str) -> str:
        parts = urlsplit(url)
        # 24 hex digits: no real page has this path, and the token is easy to strip from echoed text
        return urlunsplit((parts.scheme, parts.netloc, f"/{secrets.token_hex(12)}", "", ""))

    async def for_url(self, url: str) -> FetchResult:
        origin = _origin(url)
        probe = self._probes.get(origin)
        if probe is None:
            probe = self._probes[origin] = asyncio.ensure_future(self._client.fetch(self.probe_url(url)))
        return await asyncio.shield(probe)

    async def read(self, body: bytes) -> PageContent | None:
        """A page's content, read in a worker thread; None past the deadline."""
        return await read_off_loop(lambda deadline: page_content(body, deadline))

    async def probe_content(self, url: str) -> PageContent | None:
        """The host's random-path page, read once however many links to the host need it."""
        key = "probe " + _origin(url)
        if key not in self._contents:
            self._contents[key] = asyncio.ensure_future(self._read_probe(url))
        return await asyncio.shield(self._contents[key])

    async def _read_probe(self, url: str) -> PageContent | None:
        probe = await self.for_url(url)
        if probe.media_type not in HTML_TYPES or not probe.body.strip():
            return None
        return await self.read(probe.body)

    async def section_content(self, section_url: str) -> PageContent | None:
        if section_url not in self._contents:
            self._contents[section_url] = asyncio.ensure_future(self._read_section(section_url))
        return await asyncio.shield(self._contents[section_url])

    async def _read_section(self, section_url: str) -> PageContent | None:
        answer = await self._client.fetch(section_url, body_types=HTML_TYPES)
        if not answer.ok or answer.media_type not in HTML_TYPES or not answer.body.strip():
            return None
        return await self.read(answer.body)

    @property
    def hosts_probed(self) -> int:
        return len(self._probes)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()
