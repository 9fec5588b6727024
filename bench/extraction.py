"""Extraction throughput: MB/s of plain text per core with the full registry loaded.

Builds a synthetic corpus by perturbing the example documents (shuffled paragraphs, swapped outlet
names and dates, so the matcher cannot coast on repeats), then times extract_citations() on one core.
Target (extraction issue): >= 5 MB/s. Run: .venv/bin/python bench/extraction.py [--megabytes 50] [--stages]
The build line says whether the compiled extraction modules ran (see setup.py); CITECHECK_PURE_PYTHON=1
times the plain Python ones.

--stages also times each stage of extraction on its own over the same documents (CPU time, MB/s),
to show where the time goes; a stage's figure includes the lazy work it triggers in TextIndex.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from citecheck.config import InputSettings
from citecheck.extract import COMPILED, extract_citations
from citecheck.ingest import document_from_bytes
from citecheck.resolve.registry import Registry, load_registry

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SWAPS = ["Reuters", "Le Monde", "Kyodo News", "the BBC", "Xinhua", "Nikkei Asia", "Al Jazeera", "TASS"]
MONTHS = ["January", "March", "June", "November"]


def synthetic_documents(megabytes: float, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    paragraphs = [
        p for path in sorted(EXAMPLES.glob("*.txt")) for p in path.read_text().split("\n\n") if p.strip()
    ]
    documents, size = [], 0
    while size < megabytes * 1_000_000:
        chosen = rng.sample(paragraphs, k=min(12, len(paragraphs)))
        text = "\n\n".join(chosen)
        text = text.replace("Xinhua", rng.choice(SWAPS)).replace("March", rng.choice(MONTHS))
        outlet = rng.choice(SWAPS)  # drawn in this order so the corpus stays the same from run to run
        when = f"{rng.choice(MONTHS)} {rng.randint(1, 28)}, {rng.randint(2000, 2025)}"
        text += f"\n\nSource: {outlet}, {when}\n"
        documents.append(text)
        size += len(text.encode())
    return documents


def stage_times(encoded: list[bytes], registry: Registry) -> list[tuple[str, float]]:
    """CPU seconds of each extraction stage run alone over all documents (fresh indexes for each)."""
    from citecheck.extract.citations import _fuzzy_hits
    from citecheck.extract.cues import TextIndex, classify, cue_word_hits
    from citecheck.extract.domains import find_domains
    from citecheck.extract.lexicon import load_lexicon
    from citecheck.extract.outlets import fold_punctuation, matcher_for
    from citecheck.extract.urls import find_urls
    from citecheck.extract.vague import find_vague

    lexicon = load_lexicon()
    matcher = matcher_for(registry)
    settings = InputSettings()
    documents = [document_from_bytes(f"synthetic-{i}.txt", data, settings) for i, data in enumerate(encoded)]
    texts = [document.text for document in documents]
    folded = [fold_punctuation(text) for text in texts]
    lowered = [TextIndex(text).lowered for text in folded]
    words = [cue_word_hits(lower, lexicon) if lower else (None, None) for lower in lowered]
    exact = [matcher.exact_hits(text) for text in folded]

    def indexes() -> list[TextIndex]:
        return [TextIndex(text) for text in folded]

    def classify_all(fresh: list[TextIndex]) -> None:
        for index, hits in zip(fresh, exact, strict=True):
            for hit in hits:
                classify(index, lexicon, hit.start, hit.end, hit.outlet)

    def fuzzy_all(fresh: list[TextIndex]) -> None:
        for index, text, hits, cue in zip(fresh, folded, exact, words, strict=True):
            _fuzzy_hits(index, text, lexicon, registry, hits, cue[0])

    def vague_all(_: object) -> None:
        for text, lower, cue in zip(folded, lowered, words, strict=True):
            find_vague(text, lexicon, lower, cue[1])

    def nothing() -> None:
        return None

    # (name, set-up not timed, the stage given what the set-up made)
    stages: list[tuple[str, Callable[[], Any], Callable[[Any], object]]] = [
        (
            "ingest (document_from_bytes)",
            nothing,
            lambda _: [document_from_bytes("x", b, settings) for b in encoded],
        ),
        ("fold_punctuation", nothing, lambda _: [fold_punctuation(text) for text in texts]),
        ("TextIndex (lines, quotes, lower case)", nothing, lambda _: [TextIndex(text) for text in folded]),
        (
            "cue words and vague triggers (one AC pass)",
            nothing,
            lambda _: [cue_word_hits(x, lexicon) for x in lowered if x],
        ),
        ("outlet names (AC pass, checks)", nothing, lambda _: [matcher.exact_hits(text) for text in folded]),
        ("URLs", nothing, lambda _: [find_urls(text, low) for text, low in zip(texts, lowered, strict=True)]),
        ("bare domains", nothing, lambda _: [find_domains(text, []) for text in texts]),
        ("misspelt names (cues, phrases, rapidfuzz)", indexes, fuzzy_all),
        ("classify() every name matched exactly", indexes, classify_all),
        ("vague attributions", nothing, vague_all),
        (
            "extract_citations(), all of it",
            nothing,
            lambda _: [extract_citations(d, registry) for d in documents],
        ),
    ]
    times = []
    for name, set_up, run in stages:
        made = set_up()
        started = time.process_time()
        run(made)
        times.append((name, time.process_time() - started))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=50.0)
    parser.add_argument("--stages", action="store_true", help="also time each stage on its own")
    args = parser.parse_args()
    started = time.perf_counter()
    registry = load_registry()
    load_seconds = time.perf_counter() - started
    documents = synthetic_documents(args.megabytes)
    encoded = [text.encode() for text in documents]
    total = sum(len(data) for data in encoded)
    citations = 0
    started = time.process_time()
    for index, data in enumerate(encoded):
        document = document_from_bytes(f"synthetic-{index}.txt", data, InputSettings())
        citations += len(extract_citations(document, registry))
    cpu = time.process_time() - started
    rate = total / 1_000_000 / cpu
    print(f"registry: {len(registry)} outlets, loaded in {load_seconds:.2f} s")
    print(f"build:    {'compiled with mypyc' if COMPILED else 'plain Python (no compiled build in use)'}")
    print(f"corpus:   {total / 1_000_000:.1f} MB in {len(documents)} documents, {citations} citations")
    print(f"speed:    {rate:.2f} MB/s per core (CPU time {cpu:.1f} s; target >= 5 MB/s)")
    if args.stages:
        print("stages (each alone over the same documents, CPU time):")
        megabytes = total / 1_000_000
        for name, seconds in stage_times(encoded, registry):
            rate, per_megabyte = megabytes / seconds, seconds * 1000 / megabytes
            print(f"  {name:42s} {seconds:6.2f} s {rate:7.1f} MB/s {per_megabyte:6.1f} ms/MB")


if __name__ == "__main__":
    main()
