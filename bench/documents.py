"""PDF and Word ingestion: pages per second against the same text as .txt, and peak memory by page count.

Draws a report of N pages with reportlab (paragraphs from the example documents, a footnote with a URL
and a link annotation on every page, so each page is read the way a real report's is), writes the same
pages as a .docx with python-docx and as plain text with form feeds, then times `read_document` and
`extract_citations` on each, one core, and measures the peak memory of reading the PDF in a fresh
process for several page counts (memory should stay flat in the page count: pages are read one at a
time). Target (#18): a 300-page PDF in under 30 s on one core.

    .venv/bin/python bench/documents.py                   # 300 pages; memory at 50, 150 and 300
    .venv/bin/python bench/documents.py --pages 60 --memory 20 60
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _paragraphs(seed: int = 11) -> list[str]:
    found = [
        " ".join(p.split())
        for path in sorted(EXAMPLES.glob("*.txt"))
        for p in path.read_text(encoding="utf-8").split("\n\n")
        if len(p.split()) > 12
    ]
    random.Random(seed).shuffle(found)
    return found


def _page_texts(pages: int) -> list[tuple[list[str], str]]:
    """(body paragraphs, footnote) for each page, cycling through the examples' paragraphs."""
    paragraphs = _paragraphs()
    result = []
    for number in range(pages):
        body = [paragraphs[(number * 3 + k) % len(paragraphs)] for k in range(3)]
        url = f"https://example.org/reports/{number + 1}/annex.pdf"
        note = f"{number + 1} Source: Example Agency, 3 March 2021, {url}"
        result.append((body, note))
    return result


def write_pdf(path: Path, pages: list[tuple[list[str], str]]) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas as pdf_canvas

    canvas = pdf_canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for body, note in pages:
        y = 780.0
        for paragraph in body:
            for line in simpleSplit(paragraph, "Helvetica", 10, 450):
                if y < 90:
                    break
                canvas.setFont("Helvetica", 10)
                canvas.drawString(72, y, line)
                y -= 13
            y -= 13
        canvas.linkURL("https://example.org/linked", (72, 770, 200, 790), relative=0)
        canvas.setFont("Helvetica", 7)
        canvas.drawString(72, 50, note)
        canvas.showPage()
    canvas.save()


def write_docx(path: Path, pages: list[tuple[list[str], str]]) -> None:
    import docx

    document = docx.Document()
    for body, note in pages:
        for paragraph in body:
            document.add_paragraph(paragraph)
        document.add_paragraph(note)
    document.save(str(path))


def write_text(path: Path, pages: list[tuple[list[str], str]]) -> None:
    path.write_text("\n\f".join("\n\n".join(body) + "\n\n" + note for body, note in pages), encoding="utf-8")


def _timed(path: Path, repeat: int) -> tuple[float, float, int]:
    """(best seconds to read, best seconds to read and extract, citations) over `repeat` runs, CPU time."""
    from citecheck.config import Config
    from citecheck.extract import extract_citations
    from citecheck.ingest import read_document
    from citecheck.resolve.registry import load_registry

    config = Config(input={"max_bytes": 200 * 1024 * 1024})
    registry = load_registry(config.registry)
    read_best = total_best = float("inf")
    count = 0
    for _ in range(repeat):
        started = time.process_time()
        document = read_document(str(path), config.input)
        read = time.process_time() - started
        count = len(extract_citations(document, registry))
        total = time.process_time() - started
        read_best, total_best = min(read_best, read), min(total_best, total)
    return read_best, total_best, count


def _peak_memory_child(path: str) -> None:
    from citecheck.config import InputSettings
    from citecheck.ingest import read_document

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    read_document(path, InputSettings(max_bytes=200 * 1024 * 1024))
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(before, after)


def _peak_memory(path: Path) -> tuple[float, float]:
    """(MiB before reading, peak MiB after reading) of a fresh process reading `path` once."""
    answer = subprocess.run(
        [sys.executable, __file__, "--child", str(path)], capture_output=True, text=True, check=True
    ).stdout.split()
    return int(answer[0]) / 1024, int(answer[1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--memory", type=int, nargs="*", default=[50, 150, 300])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        _peak_memory_child(arguments.child)
        return
    with tempfile.TemporaryDirectory(prefix="citecheck-bench-documents-") as folder:
        root = Path(folder)
        pages = _page_texts(arguments.pages)
        write_pdf(root / "report.pdf", pages)
        write_docx(root / "report.docx", pages)
        write_text(root / "report.txt", pages)
        print(f"{arguments.pages} pages; CPU seconds, best of {arguments.repeat}")
        header = ("input", "size KB", "read s", "pages/s", "+extract s", "pages/s", "cites")
        print(f"{header[0]:8} " + " ".join(f"{h:>9}" for h in header[1:]))
        for name in ("report.txt", "report.pdf", "report.docx"):
            path = root / name
            read, total, count = _timed(path, arguments.repeat)
            size = path.stat().st_size / 1024
            figures = (f"{size:.0f}", f"{read:.2f}", f"{arguments.pages / read:.0f}", f"{total:.2f}")
            figures += (f"{arguments.pages / total:.0f}", str(count))
            print(f"{path.suffix[1:]:8} " + " ".join(f"{figure:>9}" for figure in figures))
        print("peak memory reading the PDF in a fresh process (MiB): pages, before, after reading")
        for count in arguments.memory:
            path = root / f"memory-{count}.pdf"
            write_pdf(path, _page_texts(count))
            before, after = _peak_memory(path)
            print(f"  {count:5d} {before:8.1f} {after:8.1f}")


if __name__ == "__main__":
    main()
