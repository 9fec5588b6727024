"""No input crashes the extractor or the HTML ingester (hypothesis, CI-sized runs)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citecheck.config import InputSettings
from citecheck.errors import InputError
from citecheck.extract import extract_citations
from citecheck.ingest import document_from_bytes
from citecheck.resolve.registry import load_registry

REGISTRY = load_registry()
FRAGMENTS = st.sampled_from(
    [
        "Source: ",
        "(Nikkei Asia, November 15, 2024)",
        "According to ",
        "Xinhua",
        " reported ",
        "https://",
        "www.",
        "%E5%91",
        "example.com",
        "\n",
        "\u201c",
        "\u201d",
        "’s ",
        "BIS",
        "U.S. media revealed",
        "<a href='",
        "'>",
        "</a>",
        "<script>",
        "(",
        ")",
        "1. ",
        "June 11",
        ":",
        "GoaChronicle.com",
        "新华社",
        "\u202e",
        "\x00",
        "&amp;",
        "<!--",
        "-->",
        "<div>",
        "</div>",
    ]
)
TEXT = st.lists(st.one_of(FRAGMENTS, st.text(max_size=20)), max_size=40).map("".join)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(name: str, text: str) -> None:
    try:
        document = document_from_bytes(name, text.encode("utf-8", "surrogatepass"), InputSettings())
    except InputError:
        return
    for citation in extract_citations(document, REGISTRY):
        assert 0 <= citation.span.start <= citation.span.end <= len(document.text)
        assert citation.line >= 1


@FUZZ
@given(TEXT)
def test_extractor_never_crashes_on_text(text: str) -> None:
    _check("fuzz.txt", text)


@FUZZ
@given(TEXT)
def test_html_ingester_never_crashes(text: str) -> None:
    _check("fuzz.html", text)


@FUZZ
@given(st.binary(max_size=400))
def test_arbitrary_bytes_give_a_document_or_an_input_error(data: bytes) -> None:
    try:
        document = document_from_bytes("bytes.txt", data, InputSettings())
    except InputError:
        return
    extract_citations(document, REGISTRY)


def test_long_link_lists_stay_linear() -> None:
    """2,000 links in one HTML list: every one is found, without quadratic look-backs."""
    items = "".join(
        f"<li><a href='http://127.0.0.{2 + i % 50}:8080/p/{i}'>link {i}</a></li>" for i in range(2000)
    )
    document = document_from_bytes("links.html", f"<ul>{items}</ul>".encode(), InputSettings())
    urls = [c for c in extract_citations(document, REGISTRY) if c.url]
    assert len(urls) == 2000
