#!/usr/bin/env python3
"""Measure citecheck's extraction against the Source spans of PolNeAR's train split.

Usage: python tools/polnear_eval.py PATH [--limit N] [--misses N]

A development measure, not the product's score: train is the part of PolNeAR the project may read
(dev and test are held out and never opened here). Each article's text goes through citecheck's own
extraction (citecheck.extract.extract_citations with the default registry); each annotated Source span
is put in one category, from the corpus's CoreNLP tokens and the registry:

  registry     the span holds a name the registry knows (runs of proper nouns not tagged PERSON)
               -> expect a cited citation of that entity overlapping the span or its sentence
  unnamed      no proper name but adjectives of origin (MISC/LOCATION, "Republican officials") or a
               person's name as modifier ("Trump aides"); head not a pronoun
               -> expect a vague citation overlapping the span or its cue
  person       a person's name heads the span and no registry name is in it
               -> expect no cited citation overlapping the span
  other named  an organisation or place not in the registry heads or names the span; where CoreNLP
               tags its head ORGANIZATION -> expect a cited citation of an organisation the registry
               does not know (citecheck reports it under its own name) overlapping the span
  pronoun      he, she, they, who ... (not scored)

Precision, approximately: a cited citation whose entity is named by no registry Source span of the
article is a false hit; a vague citation overlapping no Source or Cue span is a false hit. Misses are
printed as categories with entity names or head words, never as sentences.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import polnear  # noqa: E402

from citecheck.extract import extract_citations  # noqa: E402
from citecheck.models import Citation, CitationKind, Document, Role  # noqa: E402
from citecheck.resolve.registry import Registry, load_registry  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
NAME_TAGS = polnear.PROPER_TAGS
JOINERS = {"of", "for", "and", "&", "the", "on", "'s"}  # inside a name: "Bureau of Labor Statistics"
ENTITY_TAGS = {"ORGANIZATION", "LOCATION", "MISC"}
WORDS = yaml.safe_load((REPO / "citecheck" / "data" / "lexicon.yaml").read_text(encoding="utf-8"))
HEAD_KINDS = {  # how the miss list and the breakdown name an unnamed source's head
    "person/group": set(WORDS["person_nouns"]),
    "document": set(WORDS["document_nouns"]),
    "body": set(WORDS["group_nouns"]),
}
Spans = tuple[tuple[int, int], ...]


@dataclass(slots=True)
class Tally:
    sources: collections.Counter = field(default_factory=collections.Counter)
    found: collections.Counter = field(default_factory=collections.Counter)
    misses: collections.Counter = field(default_factory=collections.Counter)
    near_misses: collections.Counter = field(default_factory=collections.Counter)
    cited: int = 0
    cited_false: int = 0
    false_cited_names: collections.Counter = field(default_factory=collections.Counter)
    vague: int = 0
    vague_false: int = 0
    person_with_cited: int = 0
    articles: int = 0
    skipped: int = 0


def overlaps(a: tuple[int, int], spans: Spans) -> bool:
    return any(a[0] < end and start < a[1] for start, end in spans)


def name_runs(tokens: list[polnear.Token]) -> list[list[polnear.Token]]:
    """Candidate names: whole runs of proper nouns not tagged PERSON, joined across "of", "for", "&" ...
    ("Bureau of Labor Statistics"), and whole CoreNLP entity runs (ORGANIZATION, LOCATION, MISC) inside
    them ("Fox News" in "Fox News host"). A word from inside a longer name is not tried on its own:
    "National" in "National Security Council" is not the newspaper The National."""
    runs, run = [], []
    for token in tokens:
        if token.pos in NAME_TAGS and token.ner != "PERSON":
            run.append(token)
        elif run and token.word.lower() in JOINERS:
            run.append(token)
        else:
            runs.append(run)
            run = []
    runs.append(run)
    candidates = []
    for run in runs:
        while run and run[-1].pos not in NAME_TAGS:
            run = run[:-1]
        if run:
            candidates.append(run)
        entity: list[polnear.Token] = []
        for token in run + [None]:
            if token is not None and token.ner in ENTITY_TAGS and (not entity or entity[-1].ner == token.ner):
                entity.append(token)
                continue
            if entity and len(entity) < len(run):
                candidates.append(entity)
            entity = [token] if token is not None and token.ner in ENTITY_TAGS else []
    return candidates


def registry_entities(text: str, tokens: list[polnear.Token], registry: Registry) -> dict[str, str]:
    """Registry entities named inside the tokens: {outlet id: outlet name}, longest names first."""
    found: dict[str, str] = {}
    taken: set[int] = set()
    for run in sorted(name_runs(tokens), key=len, reverse=True):
        if taken & {t.start for t in run}:
            continue
        written = text[run[0].start : run[-1].end]
        outlets = registry.by_name(written) or registry.by_name("the " + written)
        if outlets:
            found.update((o.id, o.name) for o in outlets)
            taken.update(t.start for t in run)
    return found


def tokens_in(sentences: list[polnear.Sentence], spans: Spans) -> list[polnear.Token]:
    return [t for s in sentences for t in s.tokens if overlaps((t.start, t.end), spans)]


def categorise(
    article: polnear.Article, att: polnear.Attribution, registry: Registry
) -> tuple[str, str, dict[str, str]]:
    """(category, label for misses, registry entities) of one Source span."""
    assert article.sentences is not None
    tokens = tokens_in(article.sentences, att.sources)
    entities = registry_entities(article.text, tokens, registry)
    if entities:
        return "registry", "registry: " + " / ".join(sorted(entities.values())), entities
    head = polnear.source_head(article.sentences, att.sources)
    if head is None:
        return "no head", "", {}
    token = article.sentences[head[0]].tokens[head[1] - 1]
    if token.pos in polnear.PRONOUN_TAGS:
        return "pronoun", "", {}
    if token.ner == "PERSON" or (token.pos in NAME_TAGS and token.ner == "O"):
        return "person", "person", {}
    if token.pos in NAME_TAGS or token.ner in polnear.NER_NAMES:
        return "other named", f"other named: {token.ner}", {}
    if any(t.ner == "ORGANIZATION" for t in tokens):
        return "other named", "other named: ORGANIZATION modifier", {}
    lemma = token.lemma.lower()
    kind = next((kind for kind, heads in HEAD_KINDS.items() if lemma in heads), "other common noun")
    return "unnamed", f"unnamed {kind}: {head[2] + ' of ' if head[2] else ''}{lemma}", {}


def sentence_span(article: polnear.Article, spans: Spans) -> tuple[int, int]:
    """From the start of the sentence where the span starts to the end of the one where it ends."""
    assert article.sentences is not None
    start, end = min(a for a, _ in spans), max(b for _, b in spans)
    bounds = [(s.tokens[0].start, s.tokens[-1].end) for s in article.sentences if s.tokens]
    first = max((a for a, _ in bounds if a <= start), default=start)
    last = min((b for _, b in bounds if b >= end), default=end)
    return first, last


def score_article(
    article: polnear.Article, citations: list[Citation], registry: Registry, tally: Tally
) -> None:
    assert article.sentences is not None
    cited = [c for c in citations if c.role == Role.CITED and c.outlet is not None]
    vague = [c for c in citations if c.kind == CitationKind.VAGUE]
    others = [c for c in citations if c.outlet is not None and c.role != Role.CITED]
    entities_named: set[str] = set()
    organisation_spans: list[tuple[int, int]] = []
    for att in article.attributions:
        if not att.sources:
            tally.sources["no source span"] += 1
            continue
        category, label, entities = categorise(article, att, registry)
        tally.sources[category] += 1
        entities_named.update(entities)
        if category == "registry":
            sentence = (sentence_span(article, att.sources),)
            hit = any(
                c.outlet.id in entities and overlaps((c.span.start, c.span.end), sentence + att.sources)
                for c in cited
                if c.outlet
            )
            if hit:
                tally.found[category] += 1
            else:
                tally.misses[label] += 1
                if any(
                    c.outlet and c.outlet.id in entities and overlaps((c.span.start, c.span.end), sentence)
                    for c in others
                ):
                    tally.near_misses[f"{label} (found, role not cited)"] += 1
        elif category == "unnamed":
            kind = label.partition(":")[0]
            tally.sources[kind] += 1
            if any(overlaps((c.span.start, c.span.end), att.sources + att.cues) for c in vague):
                tally.found[category] += 1
                tally.found[kind] += 1
            else:
                tally.misses[label] += 1
        elif category == "person":
            if any(overlaps((c.span.start, c.span.end), att.sources) for c in cited):
                tally.person_with_cited += 1
        elif label == "other named: ORGANIZATION":
            tally.sources["unregistered organisation"] += 1
            organisation_spans.extend(att.sources)
            if any(
                c.outlet and not c.outlet.registered and overlaps((c.span.start, c.span.end), att.sources)
                for c in cited
            ):
                tally.found["unregistered organisation"] += 1
    spans_all = tuple(s for att in article.attributions for s in att.sources + att.cues)
    for c in cited:
        tally.cited += 1
        if c.outlet and not c.outlet.registered:
            if not overlaps((c.span.start, c.span.end), tuple(organisation_spans)):
                tally.cited_false += 1
                tally.false_cited_names[f"{c.outlet.name} (not in the registry)"] += 1
        elif c.outlet and c.outlet.id not in entities_named:
            tally.cited_false += 1
            tally.false_cited_names[c.outlet.name] += 1
    for c in vague:
        tally.vague += 1
        if not overlaps((c.span.start, c.span.end), spans_all):
            tally.vague_false += 1


def ratio(part: int, whole: int) -> str:
    return f"{part / whole:.3f} ({part}/{whole})" if whole else "n/a (0)"


def report(tally: Tally, misses: int, seconds: float) -> None:
    print(
        f"PolNeAR train: {tally.articles} articles scored, {tally.skipped} without CoreNLP skipped, "
        f"{seconds:.0f} s"
    )
    main_categories = ("registry", "unnamed", "person", "other named", "pronoun", "no source span", "no head")
    print("Source spans by category:", {k: tally.sources[k] for k in main_categories})
    print(f"recall, registry entity cited:  {ratio(tally.found['registry'], tally.sources['registry'])}")
    found, wanted = tally.found["unregistered organisation"], tally.sources["unregistered organisation"]
    print(f"recall, unregistered org cited: {ratio(found, wanted)}")
    print(f"recall, unnamed source vague:   {ratio(tally.found['unnamed'], tally.sources['unnamed'])}")
    for kind in HEAD_KINDS | {"other common noun": set()}:
        key = f"unnamed {kind}"
        print(f"  {key + ':':29s} {ratio(tally.found[key], tally.sources[key])}")
    print(
        f"named person with a cited outlet overlapping (lower is better): "
        f"{ratio(tally.person_with_cited, tally.sources['person'])}"
    )
    print(f"cited precision (approx.):      {ratio(tally.cited - tally.cited_false, tally.cited)}")
    print(f"vague precision (approx.):      {ratio(tally.vague - tally.vague_false, tally.vague)}")
    print(f"\n{misses} most common misses:")
    for label, n in tally.misses.most_common(misses):
        print(f"  {n:5d}  {label}")
    print("\nregistry misses the extractor found with another role:")
    for label, n in tally.near_misses.most_common(10):
        print(f"  {n:5d}  {label}")
    print("\ncited outlets matching no Source span (most common):")
    for name, n in tally.false_cited_names.most_common(15):
        print(f"  {n:5d}  {name}")


def as_document(article: polnear.Article) -> Document:
    """The text as the corpus has it, so the annotation offsets hold. Not through citecheck's ingest:
    some articles carry mojibake that ingest repairs, which would move every offset after it."""
    data = article.text.encode("utf-8")
    return Document(
        path=f"{article.name}.txt",
        sha256=hashlib.sha256(data).hexdigest(),
        text=article.text,
        size=len(data),
        encoding="utf-8",
        media_type="text/plain",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="PolNeAR as a bare git directory or an extracted tree")
    parser.add_argument("--limit", type=int, default=None, help="read only the first N articles")
    parser.add_argument("--misses", type=int, default=30, help="how many of the commonest misses to print")
    args = parser.parse_args()
    started = time.monotonic()
    registry = load_registry()
    tally = Tally()
    for n, article in enumerate(polnear.articles(args.path, limit=args.limit), 1):
        if article.sentences is None:
            tally.skipped += 1
            continue
        tally.articles += 1
        score_article(article, extract_citations(as_document(article), registry), registry, tally)
        if n % 100 == 0:
            print(f"{n} articles", file=sys.stderr)
    report(tally, args.misses, time.monotonic() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
