"""Extraction measured against a hand-made answer key (gold.yaml): `citecheck eval`.

Outlets match by canonical name, alias or abbreviation; a language service counts as its parent
(BBC Chinese for BBC) and the other way round. Cited-outlet precision comes two ways: lenient, where a
cited outlet the key lists only as mentioned is forgiven, and strict, where it is an error (the held-out
scorer's rule). Type and country accuracy read the labels on the extractor's own citations of each key
entry it found, not the registry's entry for the key's name. Vague recall counts key phrases with a
vague citation over any of their occurrences; vague precision counts vague citations that overlap an
occurrence of some key phrase. Dates compare as ISO strings, with "June 11" meaning --06-11.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz

from .config import Config
from .extract.dates import parse_date
from .extract.outlets import fold_punctuation
from .models import Citation, CitationKind, Document, Outlet, Role
from .pipeline import extract_document
from .resolve.registry import Registry, load_registry

__all__ = ["Evaluation", "evaluate", "format_table", "score_document"]


@dataclass
class Counts:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    def add(self, other: Counts) -> None:
        self.true_positive += other.true_positive
        self.false_positive += other.false_positive
        self.false_negative += other.false_negative

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positive + self.false_negative
        return self.true_positive / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Ratio:
    right: int = 0
    total: int = 0

    def add(self, other: Ratio) -> None:
        self.right += other.right
        self.total += other.total

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 1.0


@dataclass
class DocumentScores:
    urls: Counts = field(default_factory=Counts)
    outlets: Counts = field(default_factory=Counts)
    strict_outlets: Counts = field(default_factory=Counts)  # mentioned-only names reported cited count wrong
    types: Ratio = field(default_factory=Ratio)
    countries: Ratio = field(default_factory=Ratio)
    dates: Ratio = field(default_factory=Ratio)
    vague: Ratio = field(default_factory=Ratio)
    vague_precision: Ratio = field(default_factory=Ratio)
    truncated_flagged: Ratio = field(default_factory=Ratio)
    misses: list[str] = field(default_factory=list)


@dataclass
class Evaluation:
    documents: dict[str, DocumentScores]

    @property
    def overall(self) -> DocumentScores:
        total = DocumentScores()
        for scores in self.documents.values():
            total.urls.add(scores.urls)
            total.outlets.add(scores.outlets)
            total.strict_outlets.add(scores.strict_outlets)
            total.types.add(scores.types)
            total.countries.add(scores.countries)
            total.dates.add(scores.dates)
            total.vague.add(scores.vague)
            total.vague_precision.add(scores.vague_precision)
            total.truncated_flagged.add(scores.truncated_flagged)
            total.misses.extend(scores.misses)
        return total

    def to_dict(self) -> dict[str, Any]:
        def one(scores: DocumentScores) -> dict[str, Any]:
            return {
                "urls": {
                    "precision": scores.urls.precision,
                    "recall": scores.urls.recall,
                    "f1": scores.urls.f1,
                },
                "cited_outlets": {
                    "precision": scores.outlets.precision,
                    "recall": scores.outlets.recall,
                    "f1": scores.outlets.f1,
                    "strict_precision": scores.strict_outlets.precision,
                    "strict_f1": scores.strict_outlets.f1,
                },
                "outlet_type_accuracy": scores.types.value,
                "country_accuracy": scores.countries.value,
                "date_accuracy": scores.dates.value,
                "vague_recall": scores.vague.value,
                "vague_precision": scores.vague_precision.value,
                "truncated_flagged": scores.truncated_flagged.value,
                "misses": scores.misses,
            }

        return {
            "documents": {name: one(s) for name, s in self.documents.items()},
            "overall": one(self.overall),
        }


def _names(entry_name: str) -> list[str]:
    """ "Security Information Service (BIS)" -> the full name, the name before the brackets, BIS."""
    names = [entry_name]
    inner = re.findall(r"\(([^)]+)\)", entry_name)
    outer = re.sub(r"\s*\([^)]*\)", "", entry_name).strip()
    return [*names, outer, *inner]


def gold_outlet(
    name: str, registry: Registry, country: str | None = None, aliases: list[str] | tuple[str, ...] = ()
) -> Outlet | None:
    """The registry entry an answer-key name means; a shared abbreviation is settled by country."""
    for candidate in [*_names(name), *aliases]:
        found = registry.by_name(candidate)
        if found:
            same_country = [o for o in found if country and o.country == country]
            return (same_country or found)[0]
    folded = name.casefold()
    best: tuple[float, Outlet] | None = None
    for outlet in registry.outlets.values():
        # token_set_ratio lets "Central Organization Department of the CCP" meet "Central Organization
        # Department"; aliases of one word are too loose for it.
        score = max(
            (fuzz.token_set_ratio(folded, a.casefold()) for a in outlet.aliases if " " in a.strip()),
            default=0.0,
        )
        if country and outlet.country != country:
            score -= 5
        if score >= 90 and (best is None or score > best[0]):
            best = (score, outlet)
    return best[1] if best else None


def _entry_outlet(entry: dict[str, Any], registry: Registry) -> Outlet | None:
    return gold_outlet(entry["name"], registry, entry.get("country"), entry.get("aliases") or ())


def _same(a: Outlet, b: Outlet) -> bool:
    return (
        a.id == b.id
        or a.parent == b.id
        or b.parent == a.id
        or (a.parent is not None and a.parent == b.parent)
    )


def _gold_date(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    parsed = parse_date(text)
    return parsed.iso() if parsed else None


def _score_urls(scores: DocumentScores, citations: list[Citation], gold: dict[str, Any]) -> None:
    predicted_urls = {c.url for c in citations if c.kind is CitationKind.URL and c.url}
    gold_urls = {entry["url"] for entry in gold.get("urls") or []}
    scores.urls.true_positive = len(predicted_urls & gold_urls)
    scores.urls.false_positive = len(predicted_urls - gold_urls)
    scores.urls.false_negative = len(gold_urls - predicted_urls)
    scores.misses += [f"url missed: {u}" for u in sorted(gold_urls - predicted_urls)]
    scores.misses += [f"url not in key: {u}" for u in sorted(predicted_urls - gold_urls)]
    for entry in gold.get("urls") or []:
        if entry.get("truncated"):
            flagged = any(c.url == entry["url"] and c.malformed for c in citations)
            scores.truncated_flagged.add(Ratio(int(flagged), 1))


_NOT_NAME = re.compile(r"[^\w\s]")


def _folded_name(name: str) -> str:
    """ "The Valley Times'", "valley times": case, punctuation, a leading "the" and a possessive aside."""
    folded = " ".join(_NOT_NAME.sub(" ", fold_punctuation(name).casefold().replace("'s ", " ")).split())
    return folded.removeprefix("the ").removesuffix(" s")


def _unregistered_named(citation: Citation, entry: dict[str, Any]) -> bool:
    """An organisation the registry does not know (or a work cited by author and year), reported under
    a name the key gives: its name, a part of it in or out of brackets, or an alias."""
    outlet = citation.outlet
    if outlet is None or outlet.registered:
        return False
    wanted = {_folded_name(name) for name in [*_names(entry["name"]), *(entry.get("aliases") or [])]}
    return _folded_name(outlet.name) in wanted


def _score_cited(
    scores: DocumentScores, citations: list[Citation], gold: dict[str, Any], registry: Registry
) -> None:
    """Cited-outlet recall, lenient and strict precision, and the dates of the cited entries."""
    cited = [c for c in citations if c.role in (Role.CITED, Role.SELF) and c.outlet is not None]
    gold_cited = [(entry, _entry_outlet(entry, registry)) for entry in gold.get("cited") or []]
    gold_mentioned = [_entry_outlet(entry, registry) for entry in gold.get("mentioned") or []]
    matched_ids: set[str] = set()
    seen_gold: set[str] = set()
    for entry, outlet in gold_cited:
        key = outlet.id if outlet else entry["name"]
        if outlet is None:  # not in the registry: an organisation or an author-year work, by its name
            hits = [c for c in cited if _unregistered_named(c, entry)]
        else:
            hits = [c for c in cited if c.outlet is not None and _same(c.outlet, outlet)]
        if key not in seen_gold:
            seen_gold.add(key)
            if hits:
                scores.outlets.true_positive += 1
                matched_ids.update(c.outlet.id for c in hits if c.outlet)
            else:
                scores.outlets.false_negative += 1
                scores.misses.append(f"cited outlet missed: {entry['name']}")
        wanted_date = _gold_date(entry.get("date"))
        if wanted_date is not None:
            right = any(c.date is not None and c.date.iso() == wanted_date for c in hits)
            scores.dates.add(Ratio(int(right), 1))
            if not right:
                got = sorted({c.date.iso() for c in hits if c.date})
                scores.misses.append(f"date wrong: {entry['name']} {wanted_date} (got {got or 'none'})")
    extra = {c.outlet.id: c for c in cited if c.outlet and c.outlet.id not in matched_ids}
    mentioned_entries = gold.get("mentioned") or []
    for citation in extra.values():
        outlet = citation.outlet
        assert outlet is not None
        if any(_same(outlet, o) for _, o in gold_cited if o):
            continue  # another citation of an outlet the key cites (a language service of it)
        if any(o is not None and _same(outlet, o) for o in gold_mentioned) or any(
            _unregistered_named(citation, entry) for entry in mentioned_entries
        ):
            scores.strict_outlets.false_positive += 1
            scores.misses.append(f"cited but the key has it only as mentioned: {outlet.name}")
        else:
            scores.outlets.false_positive += 1
            scores.strict_outlets.false_positive += 1
            scores.misses.append(f"cited but not in key: {outlet.name}")
    scores.strict_outlets.true_positive = scores.outlets.true_positive
    scores.strict_outlets.false_negative = scores.outlets.false_negative


def _score_labels(
    scores: DocumentScores, citations: list[Citation], gold: dict[str, Any], registry: Registry
) -> None:
    """Type and country as the extractor labelled each key entry it found (any role)."""
    labelled = [c for c in citations if c.outlet is not None]
    for entry in [*(gold.get("cited") or []), *(gold.get("mentioned") or [])]:
        outlet = _entry_outlet(entry, registry)
        if outlet is None:  # not in the registry: the type inferred for an organisation found by name
            found = [c.outlet for c in labelled if c.outlet is not None and _unregistered_named(c, entry)]
        else:
            found = [c.outlet for c in labelled if c.outlet is not None and _same(c.outlet, outlet)]
        if not found:
            continue
        given = next((o for o in found if outlet is not None and o.id == outlet.id), found[0])
        scores.types.add(Ratio(int(given.type.value == entry["type"]), 1))
        if given.type.value != entry["type"]:
            got = given.type.value
            scores.misses.append(f"type: {entry['name']} is {entry['type']}, extractor says {got}")
        if entry.get("country"):
            scores.countries.add(Ratio(int(given.country == entry["country"]), 1))


def _occurrences(text: str, phrase: str) -> list[tuple[int, int]]:
    folded_text = text.casefold()
    wanted = fold_punctuation(phrase).casefold()
    found, at = [], folded_text.find(wanted)
    while at >= 0 and wanted:
        found.append((at, at + len(wanted)))
        at = folded_text.find(wanted, at + 1)
    return found


def _score_vague(scores: DocumentScores, citations: list[Citation], gold: dict[str, Any], text: str) -> None:
    spans = [(c.span.start, c.span.end, c.text) for c in citations if c.kind is CitationKind.VAGUE]
    phrases = {phrase: _occurrences(text, phrase) for phrase in gold.get("vague") or []}

    def overlaps(start: int, end: int, where: list[tuple[int, int]]) -> bool:
        return any(s < end and start < e for s, e in where)

    for phrase, where in phrases.items():
        found = any(overlaps(s, e, where) for s, e, _ in spans)
        scores.vague.add(Ratio(int(found), 1))
        if not found:
            scores.misses.append(f"vague missed: {phrase}")
    every = [span for where in phrases.values() for span in where]
    for start, end, found_text in spans:
        right = overlaps(start, end, every)
        scores.vague_precision.add(Ratio(int(right), 1))
        if not right:
            scores.misses.append(f"vague not in key: {found_text}")


def _evaluate_document(
    text_path: Path, gold: dict[str, Any], config: Config, registry: Registry
) -> DocumentScores:
    result = extract_document(str(text_path), config, registry)
    return score_document(result.document, [item.citation for item in result.citations], gold, registry)


def score_document(
    document: Document | None, citations: list[Citation], gold: dict[str, Any], registry: Registry
) -> DocumentScores:
    """A document's citations scored against its answer-key entry (also for one read from the web)."""
    scores = DocumentScores()
    text = fold_punctuation(document.text) if document else ""
    _score_urls(scores, citations, gold)
    _score_cited(scores, citations, gold, registry)
    _score_labels(scores, citations, gold, registry)
    _score_vague(scores, citations, gold, text)
    return scores


def evaluate(gold_path: Path, corpus: Path, config: Config) -> Evaluation:
    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    registry = load_registry(config.registry)
    documents = {
        name: _evaluate_document(corpus / name, entry or {}, config, registry)
        for name, entry in sorted((gold.get("documents") or {}).items())
    }
    return Evaluation(documents)


def format_table(evaluation: Evaluation) -> str:
    rows = [
        f"{'document':28} {'URL F1':>7} {'out P':>6} {'str P':>6} {'out R':>6} "
        f"{'type':>6} {'date':>6} {'vag R':>6} {'vag P':>6}"
    ]

    def row(name: str, s: DocumentScores) -> str:
        return (
            f"{name[:28]:28} {s.urls.f1:7.2f} {s.outlets.precision:6.2f} {s.strict_outlets.precision:6.2f} "
            f"{s.outlets.recall:6.2f} {s.types.value:6.2f} {s.dates.value:6.2f} {s.vague.value:6.2f} "
            f"{s.vague_precision.value:6.2f}"
        )

    for name, scores in evaluation.documents.items():
        rows.append(row(name, scores))
    overall = evaluation.overall
    rows.append(row("OVERALL", overall))
    if overall.misses:
        rows.append("")
        rows.extend(f"  - {miss}" for miss in overall.misses)
    return "\n".join(rows)
