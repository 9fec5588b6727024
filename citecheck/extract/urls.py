"""URLs in running text and in link targets, normalised, with any damage named.

Trailing punctuation and unbalanced closing brackets or quotes are not part of a URL; balanced
parentheses are (Wikipedia-style). A Markdown link's "](" always ends the address before it, so an image
inside a link ("[![alt](img.png)](https://target)") gives two URLs. A host name with a path but no scheme
("example.org/news/1") is a URL too, repaired with https:// as a reader typing it would be served today.
The normalised form lower-cases scheme and host, turns an IDN into punycode and drops a default port and
the fragment, but keeps the path exactly as written: re-encoding it would hide the damage we want to
report. An address cut with "..." or "…" is named as truncated, though the dots themselves are not kept.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

from .domains import find_domains

__all__ = ["FoundUrl", "diagnose", "find_urls", "normalise_url"]

# Stops at whitespace, angle brackets, quotes that cannot be inside a URL, CJK punctuation, and a
# Markdown "](" (a "]" followed by anything else stays: "?a[]=1", IPv6 hosts).
_URL_CHARACTER = r"""[^\s<>"\u201c\u201d\u2018\u2019\u3001\u3002\uff0c\uff08\uff09\]]"""
URL_PATTERN = re.compile(
    r"(?:\b(?:https?|ftp|file|javascript|data|mailto):(?://)?|\bwww\d{0,3}\.)"
    rf"(?:{_URL_CHARACTER}+|\](?!\())+",
    re.IGNORECASE,
)
# Every URL starts at a scheme followed by a colon, or at "www": look for those, then try the pattern there.
_SCHEME_LAST_LETTERS = frozenset("speatoSPEATO\u017f")  # long s matches s case-insensitively
_SCHEME_BEFORE_COLON = re.compile(r"\b(?:https?|ftp|file|javascript|data|mailto)\Z", re.IGNORECASE)
_LONGEST_SCHEME = len("javascript")
_TRAILING = ".,;:!?*'\u2026"
_PAIRS = {")": "(", "]": "[", "}": "{"}
_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")
# Compiled once here: re.search(pattern, ...) looks each pattern up in re's cache, in Python, every call.
_PERCENT_CUT = re.compile(r"%[0-9A-Fa-f]?$")
_PERCENT_RUN_AT_END = re.compile(r"(?:%[0-9A-Fa-f]{2})+$")  # see _percent_run_at_end()
_HEX = "0123456789ABCDEFabcdef"
_DIGITS_AND_DOTS = re.compile(r"[\d.]+")
_PATH_CHARACTERS = re.compile(r"[A-Za-z0-9%/_\-.~?=&#+]+")
# Invisible characters no real address needs: bidirectional marks, embeddings, overrides and isolates
# (which reorder how the rest displays: "/\u202efdp.exe" reads as "/exe.pdf") and zero-width ones.
_HIDDEN = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


@dataclass(frozen=True, slots=True)
class FoundUrl:
    start: int
    end: int
    raw: str
    url: str | None  # normalised; None when it cannot be normalised at all
    malformed: str | None
    image: bool = False  # the source of a Markdown image ("![alt](URL)"): shown, not cited


_ELLIPSIS_AFTER = re.compile(r"\.{3}|\u2026")
_TRUNCATED = "truncated: ends with an ellipsis"


def _trim(candidate: str) -> str:
    """Drop trailing punctuation and closing brackets that have no opening partner inside the URL."""
    while candidate:
        last = candidate[-1]
        if last in _TRAILING:
            candidate = candidate[:-1]
        elif last in _PAIRS and candidate.count(last) > candidate.count(_PAIRS[last]):
            candidate = candidate[:-1]
        else:
            break
    return candidate


def _percent_damage(text: str) -> str | None:
    """Name a percent-encoding cut short: '%E5%91' at the end is two bytes of a three-byte character."""
    if "%" not in text:
        return None  # both patterns need one; sre would try the second at every position
    tail = _PERCENT_CUT.search(text)
    if tail:
        return f"truncated: ends in an incomplete percent escape ({tail.group()})"
    run = _percent_run_at_end(text)
    if run:
        data = bytes(int(h, 16) for h in _PERCENT.findall(run))
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.reason == "unexpected end of data":
                cut = run[exc.start * 3 :]
                return f"truncated: cut inside a percent-encoded UTF-8 character ({cut})"
    return None


def _percent_run_at_end(text: str) -> str | None:
    """What _PERCENT_RUN_AT_END.search(text) matches, read back from the end three characters at a
    time: sre tries the pattern from every escape of a long run, to its end, which is quadratic."""
    if text.endswith("\n"):  # $ also matches before a final line break
        match = _PERCENT_RUN_AT_END.search(text)
        return match.group() if match else None
    start = len(text)
    while start >= 3 and text[start - 3] == "%" and text[start - 2] in _HEX and text[start - 1] in _HEX:
        start -= 3
    return text[start:] if start < len(text) else None


def diagnose(raw: str) -> str | None:
    """What is wrong with a URL as written, or None."""
    if raw.endswith(("...", "\u2026")):
        return _TRUNCATED
    scheme = raw.split(":", 1)[0].lower()
    if not raw.lower().startswith("www") and scheme not in ("http", "https"):
        return f"unsupported scheme: {scheme}"
    hidden = _HIDDEN.search(raw)
    if hidden:
        character = hidden.group()
        name = unicodedata.name(character, "format character").lower()
        return f"hidden character U+{ord(character):04X} ({name}): the address may display as another"
    damage = _percent_damage(raw)
    if damage:
        return damage
    try:
        parts = urlsplit(raw if "://" in raw else "http://" + raw)
        port = parts.port
    except ValueError as exc:
        message = str(exc)
        if "port" in message.lower():
            return "impossible port"
        return f"unparseable: {message}"
    if port is not None and not 0 < port <= 65535:
        return "impossible port"
    host = parts.hostname or ""
    if not host:
        return "invalid host: empty"
    if ":" in host:  # only a bracketed IPv6 literal can hold one: "http://[2001:db8::1]/"
        return None if _is_ipv6(host) else f"invalid host: {host}"
    try:
        ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return f"invalid host: {host}"
    labels = ascii_host.rstrip(".").split(".")
    if _DIGITS_AND_DOTS.fullmatch(ascii_host):
        if len(labels) != 4 or any(int(label) > 255 for label in labels if label):
            return f"invalid host: {host}"
        return None
    if ascii_host != "localhost" and (len(labels) < 2 or labels[-1].isdigit()):
        return f"invalid host: {host}"
    if any(not _HOST_LABEL.match(label) for label in labels):
        return f"invalid host: {host}"
    return None


def _is_ipv6(host: str) -> bool:
    """An IPv6 literal; a zone index ("fe80::1%25eth0") names a local interface, no host on the web."""
    if "%" in host:
        return False
    try:
        ipaddress.IPv6Address(host)
    except ValueError:
        return False
    return True


def normalise_url(raw: str) -> str | None:
    if "://" not in raw:
        if not raw.lower().startswith("www"):
            return None
        raw = "https://" + raw
    try:
        parts = urlsplit(raw)
        port = parts.port
        host = parts.hostname
    except ValueError:
        return None
    if not host:
        return None
    scheme = parts.scheme.lower()
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host.lower()
    except UnicodeError:
        host = host.lower()
    default = {"http": 80, "https": 443}.get(scheme)
    netloc = host if ":" not in host else f"[{host}]"
    if port is not None and port != default:
        netloc = f"{netloc}:{port}"
    if parts.username:
        userinfo = parts.username + (f":{parts.password}" if parts.password else "")
        netloc = f"{userinfo}@{netloc}"
    normal = urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))
    # hidden characters percent-encoded, so the stored and reported address shows they are there
    return _HIDDEN.sub(lambda found: quote(found.group()), normal) if _HIDDEN.search(normal) else normal


def _continuation(text: str, end: int) -> bool:
    """A URL broken by a line break: the next line starts with more URL path and no spaces."""
    if end >= len(text) or text[end] != "\n":
        return False
    line_end = text.find("\n", end + 1)
    next_line = text[end + 1 : line_end if line_end >= 0 else len(text)]
    stripped = next_line.strip()
    return (
        bool(stripped)
        and " " not in stripped
        and bool(_PATH_CHARACTERS.fullmatch(stripped))
        and (
            "/" in stripped
            or "%" in stripped
            or stripped.endswith((".htm", ".html", ".shtml", ".php"))
            # a slug cut at one of its hyphens: ".../china-" then "says-talks-stalled"
            or (text[end - 1] in "-_" and ("-" in stripped or "_" in stripped))
        )
    )


def _candidate_starts(text: str, lowered: str) -> list[int]:
    """Where a URL_PATTERN match can start: a scheme right before a colon, or "www" in any case."""
    starts = []
    colon = text.find(":")
    while colon >= 0:
        if colon > 0 and text[colon - 1] in _SCHEME_LAST_LETTERS:
            scheme = _SCHEME_BEFORE_COLON.search(text, max(0, colon - _LONGEST_SCHEME - 1), colon)
            if scheme:
                starts.append(scheme.start())
        colon = text.find(":", colon + 1)
    www = lowered.find("www")
    while www >= 0:
        starts.append(www)
        www = lowered.find("www", www + 3)  # "wwww": a second "www" inside has no word boundary before it
    return sorted(starts)


def _url_matches(text: str, lowered: str | None = None) -> list[re.Match[str]]:
    """URL_PATTERN.finditer(text), trying the pattern only where a URL can start.

    `lowered` is text.lower() (or the lower-cased text with punctuation folded) if the caller has it:
    any string of the same length whose letters are those of text, lower-cased.
    """
    if lowered is None or len(lowered) != len(text):
        lowered = text.lower()
        if len(lowered) != len(text):  # a capital dotted I grew: keep only the w's, in lower case
            lowered = re.sub(r"[^wW]", " ", text).lower()
    matches = []
    resume = 0
    for start in _candidate_starts(text, lowered):
        if start < resume:
            continue
        match = URL_PATTERN.match(text, start)
        if match:
            matches.append(match)
            resume = match.end()
    return matches


def _is_image_source(text: str, start: int) -> bool:
    """Whether the URL at `start` is the target of a Markdown image: "![alt](" right before it, the
    brackets matched (the link around an image, "[![alt](img)](URL)", is not an image)."""
    if not text.endswith("](", 0, start):
        return False
    depth = 0
    position = start - 2  # the "]"
    floor = max(0, start - 2000)  # alt text is short; a paragraph-long search would be a mistake
    while position >= floor:
        character = text[position]
        if character == "]":
            depth += 1
        elif character == "[":
            depth -= 1
            if depth == 0:
                return position > 0 and text[position - 1] == "!"
        elif character == "\n" and text.startswith("\n", position + 1):
            return False  # a blank line: no Markdown link spans paragraphs
        position -= 1
    return False


def _found(text: str, start: int, raw: str, url: str | None, repaired: str | None = None) -> FoundUrl:
    end = start + len(raw)
    malformed = diagnose(repaired or raw)
    if malformed is None and _ELLIPSIS_AFTER.match(text, end):
        malformed = _TRUNCATED  # "https://example.org/long-sto..." : the dots were trimmed as punctuation
    if malformed is None and _continuation(text, end):
        malformed = "broken by a line break: the address continues on the next line"
    return FoundUrl(start, end, raw, url, malformed, _is_image_source(text, start))


# What may follow a bare host name to make it an address: a path ("example.org/news/1").
_PATH_AFTER_HOST = re.compile(rf"/(?:{_URL_CHARACTER}+|\](?!\())*")


def _schemeless(text: str, taken: list[tuple[int, int]]) -> list[FoundUrl]:
    """Host names with a path and no scheme ("edition.cnn.com/2018/01/09/story.html"), outside `taken`.
    A host alone stays a bare domain (domains.py): only the path makes it an address to fetch."""
    found = []
    for domain in find_domains(text, taken):
        path = _PATH_AFTER_HOST.match(text, domain.end)
        if path is None:
            continue
        raw = _trim(text[domain.start : path.end()])
        if len(raw) <= len(domain.raw) + 1:
            continue  # "example.org/" has no path to keep: it stays a bare domain
        repaired = "https://" + raw
        found.append(_found(text, domain.start, raw, normalise_url(repaired), repaired))
    return found


def find_urls(text: str, lowered: str | None = None) -> list[FoundUrl]:
    """URLs in text, in order; `lowered` as for _url_matches()."""
    found = []
    for match in _url_matches(text, lowered):
        raw = _trim(match.group())
        if len(raw) < 8 or raw.lower() in ("http://", "https://"):
            continue
        found.append(_found(text, match.start(), raw, normalise_url(raw)))
    if "/" in text:
        bare = _schemeless(text, [(url.start, url.end) for url in found])
        if bare:
            found = sorted([*found, *bare], key=lambda url: url.start)
    return found
