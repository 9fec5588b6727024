"""Extraction throughput: MB/s of plain text per core with the full registry loaded.

Builds a synthetic corpus by perturbing the example documents (shuffled paragraphs, swapped outlet
names and dates, so the matcher cannot coast on repeats), then times extract_citations() on one core.
Target (issue 14): >= 3 MB/s per core, plain Python. Run: .venv/bin/python bench/extraction.py
[--megabytes 50] [--stages]

--stages also times each stage of extraction on its own over the same documents (CPU time, MB/s),
to show where the time goes.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from pathlib import Path

from citecheck.config import InputSettings
from citecheck.extract import extract_citations
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
    """CPU seconds of each extraction stage run alone over all documents."""
    from citecheck.extract.domains import find_domains
    from citecheck.extract.lexicon import load_lexicon
    from citecheck.extract.outlets import fold_punctuation, matcher_for
    from citecheck.extract.reading import read_document
    from citecheck.extract.textindex import TextIndex
    from citecheck.extract.urls import find_urls

    lexicon = load_lexicon()
    matcher = matcher_for(registry)
    settings = InputSettings()
    documents = [document_from_bytes(f"synthetic-{i}.txt", data, settings) for i, data in enumerate(encoded)]
    texts = [document.text for document in documents]
    folded = [fold_punctuation(text) for text in texts]
    lowered = [text.lower() for text in folded]
    indexes = [TextIndex(text, lexicon) for text in folded]
    exact = [matcher.exact_hits(text) for text in folded]

    # (name, the stage)
    stages: list[tuple[str, Callable[[], object]]] = [
        ("ingest (document_from_bytes)", lambda: [document_from_bytes("x", b, settings) for b in encoded]),
        ("fold_punctuation", lambda: [fold_punctuation(text) for text in texts]),
        ("TextIndex (lines, sentences, quotes)", lambda: [TextIndex(text, lexicon) for text in folded]),
        ("outlet names (AC pass, checks)", lambda: [matcher.exact_hits(text) for text in folded]),
        ("URLs", lambda: [find_urls(text, low) for text, low in zip(texts, lowered, strict=True)]),
        ("bare domains", lambda: [find_domains(text, []) for text in texts]),
        (
            "attribution grammar (read_document)",
            lambda: [
                read_document(index, low, hits, lexicon, registry, matcher)
                for index, low, hits in zip(indexes, lowered, exact, strict=True)
            ],
        ),
        ("extract_citations(), all of it", lambda: [extract_citations(d, registry) for d in documents]),
    ]
    times = []
    for name, run in stages:
        started = time.process_time()
        run()
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
    print(f"corpus:   {total / 1_000_000:.1f} MB in {len(documents)} documents, {citations} citations")
    print(f"speed:    {rate:.2f} MB/s per core (CPU time {cpu:.1f} s; target >= 3 MB/s)")
    if args.stages:
        print("stages (each alone over the same documents, CPU time):")
        megabytes = total / 1_000_000
        for name, seconds in stage_times(encoded, registry):
            rate, per_megabyte = megabytes / seconds, seconds * 1000 / megabytes
            print(f"  {name:42s} {seconds:6.2f} s {rate:7.1f} MB/s {per_megabyte:6.1f} ms/MB")


if __name__ == "__main__":
    main()
