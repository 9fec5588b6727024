"""Does the archived copy say what the document cites it for?

In: the archived page (HTML bytes, fetched raw through ``id_``) and the citing paragraph, the outlet's
domains and the cited date. Out: `matched`, `partial`, `mismatch` or `not_checked`, with evidence strings
a reader can verify (the page title, the terms both share, which quotes were found).

A cited URL can point at a page that changed, moved or never said the quoted thing, so a capture
existing is not enough. The signals, strongest first:

* Quoted passages in the paragraph ("…", “…”, «…», at least three words): found in the page's main text,
  exactly or nearly (rapidfuzz partial ratio ≥ 90, to survive curly quotes and small edits).
* Title terms: the headline's significant words that the paragraph also uses (crudely stemmed, so
  "passes" meets "passed"). Half the headline's terms and at least two is a match: headlines are what
  citing paragraphs paraphrase. The headline is the title without the site's name: "Weather warning |
  Daily Example" must not match a paragraph because the paragraph names the Daily Example.
* Outlet domain: the capture's address on a domain the registry gives for the cited outlet, or not
  (an article URL that now redirects to a parked or different domain).
* Date: a publication date in the page's metadata, and how far it is from the cited date. It is
  reported, never counted: any page of a daily outlet was published near some cited date.

Verdict: a found quote or a strong title match is `matched`, unless the copy sits on another outlet's
domain; some overlap of words is `partial`; quotes that are absent with no title overlap, or no shared
terms at all, is `mismatch`. Without a paragraph or a readable HTML page it is `not_checked`, and so is
a would-be `mismatch` on a copy read only in part: what was not read may hold the quote.

Archived pages come from servers citecheck does not control, so they are read as live pages are
(check/page.py): the title by a linear scan, the rest by lxml from at most the first 512 KiB, in a worker
thread with a deadline (`read_archived_page`), so a hostile copy never holds up the run's other look-ups.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from lxml import etree  # type: ignore[import-untyped]
from rapidfuzz import fuzz

from ..check.page import PARSE_BYTES, PARSE_SECONDS, page_title, parse_html, read_blocks, read_off_loop
from ..models import ArchivedPage, ArchiveMatch

__all__ = [
    "ArchivedPage",
    "ContentJudgement",
    "headline",
    "judge_content",
    "quoted_passages",
    "read_archived_page",
    "read_page",
    "terms",
]

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", ""})
_BOILERPLATE = tuple("head script style noscript template svg nav header footer aside form".split())
_QUOTE = re.compile(r"\"([^\"]+)\"|“([^”]+)”|«([^»]+)»|„([^“”]+)[“”]")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_QUOTE_MIN_WORDS = 3
_QUOTE_SIMILARITY = 90.0
_MAX_TEXT = 200_000
# Where a title joins its headline to the site's name: "Headline | Site", "Site - Headline", "A » B".
# Spaces around a hyphen or dash are required, so "all-night" stays one word; colons are left alone
# ("Budget: what changes" is one headline).
_TITLE_SEPARATOR = re.compile(r"\s+(?:[|\-\u2013\u2014\u00b7\u00bb]|::)\s+|\s*\|\s*")
_SITE_NAME_WORDS = 4  # a trailing segment this short is taken to be the site's name
_SITE_NAME_META = ("og:site_name", "application-name", "apple-mobile-web-app-title")
_STOPWORDS = frozenset(
    """
    about above after again against also among because been before being below between both but
    could does doing down during each every from further have having here hers herself himself into
    itself just more most much must myself only other ours ourselves over same says said should some
    such than that their theirs them themselves then there these they this those through under until
    very were what when where which while whom will with would your yours yourself according told
    reported report reports today yesterday week year years news article page home
    """.split()
)
_SUFFIXES = ("ingly", "edly", "ings", "ing", "ied", "ies", "ed", "es", "ly", "s")
_DATE_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "dc.date",
    "dc.date.issued",
    "sailthru.date",
)


@dataclass(frozen=True, slots=True)
class ContentJudgement:
    match: ArchiveMatch
    evidence: tuple[str, ...] = ()


def read_page(body: bytes, media_type: str | None, deadline: float | None = None) -> ArchivedPage | None:
    """Title, main text and publication date of an HTML page; None for anything else.

    Blocking, bounded by check/page.py's caps and `deadline`: call it through `read_archived_page`.
    """
    if not _is_html(body, media_type):
        return None
    deadline = deadline if deadline is not None else time.monotonic() + PARSE_SECONDS
    title = page_title(body)
    root = parse_html(body)
    if root is None:
        return ArchivedPage(title=title, headline=headline(title), text="", complete=len(body) <= PARSE_BYTES)
    published = _published_date(root)
    site_names = _site_names(root)
    etree.strip_elements(root, *_BOILERPLATE, with_tail=False)
    blocks, complete = read_blocks(_main_element(root), deadline)
    text = " ".join(block.text for block in blocks)
    return ArchivedPage(
        title=title,
        headline=headline(title, site_names),
        text=text[:_MAX_TEXT],
        published=published,
        complete=complete and len(body) <= PARSE_BYTES and len(text) <= _MAX_TEXT,
    )


async def read_archived_page(body: bytes | None, media_type: str | None) -> ArchivedPage | None:
    """`read_page` in check/page.py's worker threads, within its deadline. A page not read in time keeps
    only its title (a linear scan of its start) and is marked as read in part."""
    if body is None or not _is_html(body, media_type):
        return None
    page = await read_off_loop(lambda deadline: read_page(body, media_type, deadline))
    if page is None:
        title = page_title(body)
        return ArchivedPage(title=title, headline=headline(title), text="", complete=False)
    return page


def _is_html(body: bytes, media_type: str | None) -> bool:
    return (media_type or "") in _HTML_TYPES and bool(body.strip())


def _meta_key(element: Any, *attributes: str) -> str:
    return str(next((element.get(name) for name in attributes if element.get(name)), "")).lower()


def _site_names(root: Any) -> list[str]:
    return [
        str(meta.get("content"))
        for meta in root.iter("meta")
        if _meta_key(meta, "property", "name") in _SITE_NAME_META and meta.get("content")
    ]


def headline(title: str, site_names: Sequence[str] = ()) -> str:
    """The title without the site's name.

    A segment equal to a name the page gives itself (og:site_name and the like) goes; without one, a
    short last segment does ("Weather warning for Sunday | Daily Example"), the layout most news sites
    use. What is left, if several segments, is the longest.
    """
    parts = [part.strip() for part in _TITLE_SEPARATOR.split(title) if part.strip()]
    if len(parts) < 2:
        return title
    names = {_normal(name) for name in site_names}
    kept = [part for part in parts if _normal(part) not in names]
    if len(kept) == len(parts) and len(_WORD.findall(parts[-1])) <= _SITE_NAME_WORDS:
        kept = parts[:-1]
    if not kept:
        return title
    return max(kept, key=len)


def _main_element(root: Any) -> Any:
    """The article body if the page marks it, else the whole body: navigation is already removed."""
    for path in (".//article", ".//main", ".//*[@role='main']", ".//body"):
        found = root.find(path)
        if found is not None:  # an element without children is false: compare with None
            return found
    return root


def _published_date(root: Any) -> date | None:
    for meta in root.iter("meta"):
        if _meta_key(meta, "property", "name", "itemprop") in _DATE_META:
            found = _parse_date(str(meta.get("content") or ""))
            if found:
                return found
    for script in root.iter("script"):
        if str(script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        for value in _json_values(script.text or "", "datePublished"):
            found = _parse_date(value)
            if found:
                return found
    for time_tag in root.iter("time"):
        if time_tag.get("datetime"):
            return _parse_date(str(time_tag.get("datetime")))
    return None


def _json_values(text: str, key: str) -> Iterator[str]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: arrays nested thousands deep
        return
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get(key), str):
                yield item[key]
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _parse_date(value: str) -> date | None:
    match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = text.replace("’", "'").replace("‘", "'")
    return " ".join(text.split())


def quoted_passages(context: str) -> list[str]:
    """Quotations of at least three words in the citing paragraph."""
    found: list[str] = []
    for match in _QUOTE.finditer(context):
        passage = next(group for group in match.groups() if group is not None).strip(" ,.;:")
        if len(_WORD.findall(passage)) >= _QUOTE_MIN_WORDS:
            found.append(passage)
    return found


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def terms(text: str) -> dict[str, str]:
    """Significant words of `text` as {stem: first spelling}: four letters or more, no stopwords."""
    found: dict[str, str] = {}
    for word in _WORD.findall(_normal(text)):
        word = word.replace("'s", "")
        if len(word) >= 4 and word not in _STOPWORDS:
            found.setdefault(_stem(word), word)
    return found


def _on_domain(url: str, domains: Sequence[str]) -> bool:
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in (d.lower().strip(".") for d in domains))


def judge_content(
    page: ArchivedPage | None,
    *,
    context: str,
    original_url: str,
    outlet_domains: Sequence[str] = (),
    cited: datetime | None = None,
) -> ContentJudgement:
    """Compare an archived page with the citation that points at it (see the module docstring)."""
    if page is None:
        return ContentJudgement(ArchiveMatch.NOT_CHECKED, ("archived copy is not an HTML page",))
    evidence = [f"title: {page.title!r}" if page.title else "page has no title"]
    if not context.strip():
        return ContentJudgement(ArchiveMatch.NOT_CHECKED, (*evidence, "no citing paragraph to compare with"))

    page_text = _normal(page.text)
    quotes = quoted_passages(context)
    quotes_found = 0
    for quote in quotes:
        wanted = _normal(quote)
        present = wanted in page_text or fuzz.partial_ratio(wanted, page_text) >= _QUOTE_SIMILARITY
        quotes_found += present
        evidence.append(f"quote {'found' if present else 'not found'}: {quote!r}")

    context_terms = terms(context)
    title_terms = terms(page.headline)
    shared = [spelling for stem, spelling in title_terms.items() if stem in context_terms]
    title_share = len(shared) / len(title_terms) if title_terms else 0.0
    if shared:
        evidence.append("matched terms: " + ", ".join(shared))
    page_terms = terms(page.text)
    text_share = (
        sum(1 for stem in context_terms if stem in page_terms) / len(context_terms) if context_terms else 0.0
    )
    evidence.append(f"{text_share:.0%} of the paragraph's terms appear in the page")

    other_domain = False
    if outlet_domains:
        if _on_domain(original_url, outlet_domains):
            evidence.append(f"copy is on the outlet's domain ({urlsplit(original_url).hostname})")
        else:
            other_domain = True
            evidence.append(
                f"copy is on {urlsplit(original_url).hostname}, not the outlet's domain "
                f"({', '.join(outlet_domains)})"
            )
    if not page.complete:
        evidence.append("the copy was read only in part (too large or too costly to read whole)")
    if page.published is not None:
        note = f"published {page.published.isoformat()}"
        if cited is not None:
            note += f", {abs((page.published - cited.date()).days)} days from the cited date"
        evidence.append(note)

    strong_title = len(shared) >= 2 and title_share >= 0.5
    some_overlap = bool(shared) or text_share >= 0.3
    if quotes:
        if quotes_found:
            verdict = ArchiveMatch.PARTIAL if other_domain else ArchiveMatch.MATCHED
        else:
            verdict = ArchiveMatch.PARTIAL if strong_title else ArchiveMatch.MISMATCH
    elif strong_title:
        verdict = ArchiveMatch.PARTIAL if other_domain else ArchiveMatch.MATCHED
    elif some_overlap and not other_domain:
        verdict = ArchiveMatch.PARTIAL
    else:
        verdict = ArchiveMatch.MISMATCH
    if verdict is ArchiveMatch.MISMATCH and not page.complete:
        verdict = ArchiveMatch.NOT_CHECKED  # what was not read may hold what the citation says
    return ContentJudgement(verdict, tuple(evidence))
