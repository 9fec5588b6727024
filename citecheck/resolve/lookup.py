"""Finding an outlet the way a person types it: `citecheck outlets search` and `show`.

In: a Registry and what the user typed ("Nikei Asia", "xinhua", "bbc.com/zhongwen"), with optional type
and country filters. Out: `Lookup`, the matching outlets best first and how many matched in all, so a
listing can say "20 of 57 shown".

Matches are ranked in three tiers: a name, alias, abbreviation, id or domain that is exactly what was
typed (case and spacing folded); then names in which it starts a word; then names that are close to it,
by rapidfuzz's similarity ratio, so a misspelling ("Nikei Asia", "Reuter") still finds the outlet. `show`
uses the same ranking, so anything `search` lists, `show` accepts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from urllib.parse import quote

import yaml
from rapidfuzz import fuzz, process

from ..models import Outlet, OutletType
from .registry import Registry

__all__ = ["FUZZY_CUTOFF", "Lookup", "SourceRecord", "find_outlets", "outlet_type", "source_record"]

SOURCE_RECORDS = Path(__file__).resolve().parents[1] / "data" / "source_records.yaml"
_WIKIPEDIA = re.compile(r"Wikipedia: (.+)")

# Lowest rapidfuzz ratio (normalised Indel similarity, 0-100) that counts as close: "Nikei Asia" scores 95
# against "Nikkei Asia" and "Reuter" 92 against "Reuters"; names that merely share words stay below.
FUZZY_CUTOFF = 82
MIN_FUZZY_CHARS = 4


def _fold(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").casefold().split())


def outlet_type(text: str) -> OutletType:
    """`state media`, `state-media` or `state_media` as the OutletType; ValueError names the choices."""
    wanted = _fold(text).replace(" ", "_").replace("-", "_")
    try:
        return OutletType(wanted)
    except ValueError:
        choices = ", ".join(kind.value for kind in OutletType)
        raise ValueError(f"unknown outlet type {text!r}; choose from {choices}") from None


@dataclass(frozen=True, slots=True)
class Lookup:
    outlets: tuple[Outlet, ...]  # best first, at most the limit asked for
    total: int  # how many matched before the limit


def _names(registry: Registry) -> list[tuple[str, str]]:
    """Every name the registry answers to, folded, with the id of the outlet it names."""
    pairs = []
    for outlet in registry.outlets.values():
        names = (outlet.id, outlet.name, *outlet.aliases, *outlet.abbreviations, *outlet.cue_aliases)
        pairs += [(_fold(name), outlet.id) for name in dict.fromkeys(names)]
        pairs += [(domain.lower(), outlet.id) for domain in outlet.domains]
    return pairs


def _ranked(registry: Registry, text: str) -> list[str]:
    """Outlet ids for `text`, best first: exact names, then names containing it, then close names."""
    wanted = _fold(text)
    pairs = _names(registry)
    exact = [outlet_id for name, outlet_id in pairs if name == wanted]
    by_url = registry.by_url(text) if "." in text else None
    if by_url is not None:
        exact.append(by_url.id)
    at_word = re.compile(r"(?<![\w])" + re.escape(wanted))
    containing = [outlet_id for name, outlet_id in pairs if wanted in name and at_word.search(name)]
    # The better known first ("Reuter": Reuters before Reuters Fact Check); the registry's order otherwise.
    containing.sort(key=lambda outlet_id: -registry.outlets[outlet_id].prominence)
    fuzzy: list[str] = []
    if len(wanted) >= MIN_FUZZY_CHARS:  # two or three letters are close to half the registry
        close = process.extract(
            wanted, [name for name, _ in pairs], scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None
        )
        fuzzy = [pairs[index][1] for _, _, index in sorted(close, key=lambda hit: (-hit[1], hit[2]))]
    return list(dict.fromkeys([*exact, *containing, *fuzzy]))


def find_outlets(
    registry: Registry,
    text: str = "",
    *,
    kind: OutletType | None = None,
    country: str | None = None,
    limit: int | None = 20,
) -> Lookup:
    """The outlets matching `text` (all of them when it is empty) that pass the filters."""
    if text.strip():
        ids = _ranked(registry, text)
    else:
        ids = sorted(registry.outlets, key=lambda outlet_id: registry.outlets[outlet_id].name.casefold())
    matches = [registry.outlets[outlet_id] for outlet_id in ids]
    if kind is not None:
        matches = [outlet for outlet in matches if outlet.type is kind]
    if country:
        matches = [outlet for outlet in matches if (outlet.country or "").upper() == country.upper()]
    shown = matches if limit is None else matches[:limit]
    return Lookup(outlets=tuple(shown), total=len(matches))


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """A registry entry's source with where to read it and when its facts are as of, where known."""

    text: str
    url: str | None = None
    path: str | None = None  # a file of this repository, for our own curation
    checked: date | None = None


@cache
def _records() -> dict[str, dict[str, object]]:
    data = yaml.safe_load(SOURCE_RECORDS.read_text(encoding="utf-8"))
    return dict(data["records"])


def source_record(text: str) -> SourceRecord:
    """What citecheck/data/source_records.yaml says of a source; a "Wikipedia: Title" source gets its
    article's address (its revision, and so a date, is not recorded)."""
    found = _records().get(text)
    if found is not None:
        checked = found.get("checked")
        return SourceRecord(
            text,
            url=str(found["url"]) if found.get("url") else None,
            path=str(found["path"]) if found.get("path") else None,
            checked=checked if isinstance(checked, date) else None,
        )
    article = _WIKIPEDIA.fullmatch(text.strip())
    if article:
        title = article.group(1).strip().replace(" ", "_")
        return SourceRecord(text, url=f"https://en.wikipedia.org/wiki/{quote(title, safe='_(),-.')}")
    return SourceRecord(text)
