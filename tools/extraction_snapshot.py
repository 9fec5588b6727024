#!/usr/bin/env python3
"""Record every citation extraction gives on a set of documents, or compare with a recording.

Usage:
  python tools/extraction_snapshot.py record OUT.jsonl [--shared ../shared] [--megabytes 3]
  python tools/extraction_snapshot.py compare BASELINE.jsonl [--shared ../shared] [--megabytes 3]

For performance work on citecheck/extract: a change that only makes extraction faster must give the
same citations, field for field (kind, role, text, span, line, url, malformed, date, outlet id, cue,
context, page, archive URL). The documents: examples/, tests/data, ../shared/corpus and
../shared/corpus-dev/* as files (read as the CLI reads them, so HTML, Markdown, wiki, PDF and Word go
through their readers), bench/extraction.py's synthetic corpus, and variants of every text document
that stress the places a shortcut could cut a corner: joined onto one line, lower-cased, upper-cased,
and random pieces cut out and joined together.

Keep the recording outside the repository (it is several megabytes, and specific to one commit).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))  # bench/ is not a package

from bench.extraction import synthetic_documents  # noqa: E402
from citecheck.config import InputSettings  # noqa: E402
from citecheck.errors import InputError  # noqa: E402
from citecheck.extract import extract_citations  # noqa: E402
from citecheck.ingest import document_from_bytes  # noqa: E402
from citecheck.models import Citation  # noqa: E402
from citecheck.resolve.registry import Registry, load_registry  # noqa: E402

_SUFFIXES = {".txt", ".md", ".html", ".htm", ".wiki", ".pdf", ".docx", ".csv"}
_PIECES = 40  # random cut-and-joined variants per document


def _files(shared: Path) -> list[tuple[str, Path]]:
    """Every document file with its name, in the order of the names: the random variants depend on
    the order, which must not depend on where the repository stands."""
    roots = [REPOSITORY / "examples", REPOSITORY / "tests" / "data", shared / "corpus"]
    roots += sorted(path for path in (shared / "corpus-dev").glob("*") if path.is_dir())
    paths = [path for root in roots if root.is_dir() for path in root.rglob("*") if path.suffix in _SUFFIXES]
    return sorted((_name(path, shared), path) for path in paths)


def _name(path: Path, shared: Path) -> str:
    return str(path.relative_to(shared if shared in path.parents else REPOSITORY))


def _variants(name: str, text: str, rng: random.Random) -> Iterator[tuple[str, str]]:
    yield f"{name}#one-line", text.replace("\n", " ")
    yield f"{name}#lower", text.lower()
    yield f"{name}#upper", text.upper()
    for number in range(_PIECES):
        pieces = []
        for _ in range(rng.randint(1, 4)):
            start = rng.randrange(len(text))
            pieces.append(text[start : start + rng.randint(1, 3000)])
        yield f"{name}#pieces-{number}", "\n".join(pieces) if rng.random() < 0.5 else "".join(pieces)


def _inputs(shared: Path, megabytes: float) -> Iterator[tuple[str, bytes]]:
    rng = random.Random(14)
    for name, path in _files(shared):
        data = path.read_bytes()
        yield name, data
        if path.suffix in (".txt", ".md"):
            for variant, text in _variants(name, data.decode("utf-8", "replace"), rng):
                yield variant + path.suffix, text.encode()
    for number, text in enumerate(synthetic_documents(megabytes)):
        yield f"synthetic-{number}.txt", text.encode()


def _row(citation: Citation) -> list[object]:
    date = citation.date
    return [
        citation.kind.value,
        citation.role.value,
        citation.span.start,
        citation.span.end,
        citation.outlet.id if citation.outlet else None,
        [date.year, date.month, date.day] if date else None,
        citation.cue,
        citation.text,
        citation.line,
        citation.url,
        citation.malformed,
        citation.context,
        citation.page,
        citation.archive_url,
    ]


def _record(shared: Path, megabytes: float, registry: Registry) -> Iterator[dict[str, object]]:
    settings = InputSettings()
    for name, data in _inputs(shared, megabytes):
        try:
            document = document_from_bytes(name, data, settings)
        except InputError as error:
            yield {"name": name, "error": str(error)}
            continue
        yield {"name": name, "citations": [_row(c) for c in extract_citations(document, registry)]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["record", "compare"])
    parser.add_argument("file", type=Path)
    parser.add_argument("--shared", type=Path, default=REPOSITORY.parent.parent / "shared")
    parser.add_argument("--megabytes", type=float, default=3.0, help="of bench/extraction.py's corpus")
    parser.add_argument("--show", type=int, default=5, help="differing documents to print")
    args = parser.parse_args()
    registry = load_registry()
    rows = _record(args.shared.resolve(), args.megabytes, registry)
    if args.mode == "record":
        count = 0
        with args.file.open("w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += len(row.get("citations", []))  # type: ignore[arg-type]
        print(f"recorded {count} citations to {args.file}")
        return 0
    baseline = {
        row["name"]: row for row in map(json.loads, args.file.read_text(encoding="utf-8").splitlines())
    }
    documents = differing = 0
    seen = set()
    for row in rows:
        documents += 1
        name = row["name"]
        seen.add(name)
        expected = baseline.get(name)
        if expected == json.loads(json.dumps(row, ensure_ascii=False)):
            continue
        differing += 1
        if differing <= args.show:
            _show(name, expected, row)
    missing = set(baseline) - seen
    print(f"{documents} documents compared: {differing} differ; {len(missing)} in the baseline only")
    return 1 if differing or missing else 0


def _show(name: str, expected: dict[str, object] | None, found: dict[str, object]) -> None:
    print(f"--- {name}")
    if expected is None:
        print("    not in the baseline")
        return
    old = {json.dumps(c, ensure_ascii=False) for c in expected.get("citations", [])}  # type: ignore[attr-defined]
    new = {json.dumps(c, ensure_ascii=False) for c in json.loads(json.dumps(found)).get("citations", [])}
    for line in sorted(old - new)[:6]:
        print(f"    - {line[:300]}")
    for line in sorted(new - old)[:6]:
        print(f"    + {line[:300]}")
    if expected.get("error") != found.get("error"):
        print(f"    error: {expected.get('error')!r} -> {found.get('error')!r}")


if __name__ == "__main__":
    sys.exit(main())
