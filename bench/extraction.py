"""Extraction throughput: MB/s of plain text per core with the full registry loaded.

Builds a synthetic corpus by perturbing the example documents (shuffled paragraphs, swapped outlet
names and dates, so the matcher cannot coast on repeats), then times extract_citations() on one core.
Target (extraction issue): >= 5 MB/s. Run: .venv/bin/python bench/extraction.py [--megabytes 50]
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from citecheck.config import InputSettings
from citecheck.extract import extract_citations
from citecheck.ingest import document_from_bytes
from citecheck.resolve.registry import load_registry

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SWAPS = ["Reuters", "Le Monde", "Kyodo News", "the BBC", "Xinhua", "Nikkei Asia", "Al Jazeera", "TASS"]
MONTHS = ["January", "March", "June", "November"]


def synthetic_documents(megabytes: float, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    paragraphs = [p for path in sorted(EXAMPLES.glob("*.txt")) for p in path.read_text().split("\n\n") if p.strip()]
    documents, size = [], 0
    while size < megabytes * 1_000_000:
        chosen = rng.sample(paragraphs, k=min(12, len(paragraphs)))
        text = "\n\n".join(chosen)
        text = text.replace("Xinhua", rng.choice(SWAPS)).replace("March", rng.choice(MONTHS))
        text += f"\n\nSource: {rng.choice(SWAPS)}, {rng.choice(MONTHS)} {rng.randint(1, 28)}, {rng.randint(2000, 2025)}\n"
        documents.append(text)
        size += len(text.encode())
    return documents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=50.0)
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
    print(f"speed:    {rate:.2f} MB/s per core (CPU time {cpu:.1f} s; target >= 5 MB/s)")


if __name__ == "__main__":
    main()
