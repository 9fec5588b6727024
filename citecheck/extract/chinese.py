"""Chinese-language cues: "据新华社报道" (according to Xinhua), "《人民日报》发表评论" (the People's Daily
published a commentary), "消息人士称" (sources said), "也有学者认为" (some scholars think).

The English cues work on words and the spaces between them; Chinese writes none, so its cue words are
matched here as character strings next to a registry name. The words are data (data/chinese_cues.yaml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ..models import CitedDate

__all__ = ["ChineseCue", "chinese_cue", "chinese_vague", "has_cjk", "starts_cjk"]

CUES_FILE = Path(__file__).resolve().parent.parent / "data" / "chinese_cues.yaml"
_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_HAS_CJK = re.compile(f"[{_CJK}]")
# Clause punctuation, Chinese and Western: a cue word past one of these belongs to another clause.
_CLAUSE_STOP = "，。；：！？、,.;:!?\n"
_DATE = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號]")
_LEAD_REACH = 5  # the longest lead, and an opening 《
_AFTER_REACH = 16  # characters between a name and its reporting word: a place and a date fit
_DESCRIPTION = 4  # characters describing an unnamed source before its noun ("多位宪政专家")


@dataclass(frozen=True, slots=True)
class ChineseCue:
    cue: str
    date: CitedDate | None


@dataclass(frozen=True, slots=True)
class _Cues:
    lead_before: re.Pattern[str]
    reporting_after: re.Pattern[str]
    passive: re.Pattern[str]
    vague: re.Pattern[str]


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))


def _vague_pattern(data: dict[str, list[str]]) -> str:
    """The standalone phrases, and the unnamed-source constructions built from the word lists."""
    sources, documents = _alternation(data["unnamed_sources"]), _alternation(data["unnamed_documents"])
    quantifiers, verbs = _alternation(data["chinese_quantifiers"]), _alternation(data["speech_verbs"])
    leads, venues = _alternation(data["source_leads"]), _alternation(data["media_venues"])
    description = f"[{_CJK}]{{0,{_DESCRIPTION}}}?"
    return "|".join(
        [
            _alternation(data["vague"]),
            f"(?:{leads})[过過了]?(?:{quantifiers})?{description}(?:{sources})",
            f"(?:{leads})(?:{quantifiers})?(?:{documents})",  # no description: "据新华社报道" names it
            f"(?:{quantifiers})?{description}(?:{sources})的?{description}(?:{verbs})",
            f"在[^{re.escape(_CLAUSE_STOP)}]{{0,8}}?(?:{venues})上?发表",
        ]
    )


@lru_cache(maxsize=1)
def _cues(path: Path = CUES_FILE) -> _Cues:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return _Cues(
        lead_before=re.compile(f"(?:{_alternation(data['leads'])})\\s*《?$"),
        reporting_after=re.compile(
            f"》?[^{re.escape(_CLAUSE_STOP)}]{{0,{_AFTER_REACH}}}?({_alternation(data['reporting'])})"
        ),
        vague=re.compile(_vague_pattern(data)),
        passive=re.compile(_alternation(data["passive_markers"])),
    )


def has_cjk(text: str) -> bool:
    try:
        text.encode("latin-1")  # for text Python stores one byte per character, a copy: no search needed
    except UnicodeEncodeError:
        return _HAS_CJK.search(text) is not None
    return False


def starts_cjk(text: str, index: int) -> bool:
    return index < len(text) and _HAS_CJK.match(text, index) is not None


def _date(text: str, start: int, end: int) -> CitedDate | None:
    found = _DATE.search(text, start, end)
    if found is None:
        return None
    year, month, day = found.groups()
    if not 1 <= int(month) <= 12 or not 1 <= int(day) <= 31:
        return None
    return CitedDate(int(year) if year else None, int(month), int(day))


def chinese_cue(text: str, start: int, end: int) -> ChineseCue | None:
    """The cue that cites the Chinese-written name at text[start:end], with a date between them if any."""
    cues = _cues()
    lead = cues.lead_before.search(text, max(0, start - _LEAD_REACH), start)
    after = cues.reporting_after.match(text, end, min(len(text), end + _AFTER_REACH + 4))
    if after is not None and cues.passive.search(text, end, after.start(1)):
        after = None  # "X被销号的社论": X was acted on (an editorial about it), not the one reporting
    if lead is None and after is None:
        return None
    reach = after.end() if after is not None else min(len(text), end + _AFTER_REACH)
    cue = after.group(1) if after is not None else ""
    if lead is not None:
        cue = text[lead.start() : start].rstrip("《 ") + ("……" + cue if cue else "")
    return ChineseCue(cue, _date(text, end, reach))


def chinese_vague(text: str) -> list[tuple[int, int]]:
    """Spans of Chinese vague attributions ("据报道", "消息人士称")."""
    return [match.span() for match in _cues().vague.finditer(text)]
