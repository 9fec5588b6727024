"""Ingestion turns every input into a Document or a clear error for that one document."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from citecheck.config import InputSettings
from citecheck.errors import InputError
from citecheck.ingest import document_from_bytes, expand_inputs, read_document

SETTINGS = InputSettings()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\t ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"text with a NUL \x00 byte", "binary"),
        (bytes(range(0x80, 0x100)) * 40 + b"\xff\xfe\xfd" * 10, "decode"),
    ],
)
def test_bad_input_gives_a_clear_error(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as caught:
        document_from_bytes("doc.txt", data, SETTINGS)
    assert message in str(caught.value)
    assert caught.value.path == "doc.txt"


def test_oversized_file_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 2048)
    with pytest.raises(InputError, match="too large"):
        read_document(str(big), InputSettings(max_bytes=1024))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_document(str(tmp_path / "absent.txt"), SETTINGS)


def test_legacy_encoding_is_detected() -> None:
    text = "Le Monde a publié un article sur la diplomatie française et les élections régionales. " * 5
    document = document_from_bytes("fr.txt", text.encode("cp1252"), SETTINGS)
    assert "publié" in document.text
    assert document.encoding.replace("_", "").lower() != "utf8"


def test_utf16_with_bom() -> None:
    document = document_from_bytes("u16.txt", "Source: Xinhua, March 20, 2021".encode("utf-16"), SETTINGS)
    assert document.text == "Source: Xinhua, March 20, 2021"
    assert document.encoding == "utf-16"


def test_nfc_normalisation_keeps_original_offsets() -> None:
    decomposed = "Cafe\u0301 reported: Le Monde"
    document = document_from_bytes("nfc.txt", decomposed.encode(), SETTINGS)
    assert document.text == "Café reported: Le Monde"
    position = document.text.index("Le Monde")
    assert decomposed[document.original_offset(position) :].startswith("Le Monde")


def test_markdown_emphasis_is_taken_out_and_offsets_still_lead_back() -> None:
    source = "A 2018 investigation by *The New York Times* found it (**Nikkei Asia**, May 2).\n* a bullet\n"
    document = document_from_bytes("notes.md", source.encode(), SETTINGS)
    expected = "A 2018 investigation by The New York Times found it (Nikkei Asia, May 2)."
    assert document.text.startswith(expected)
    assert "* a bullet" in document.text  # a list mark is not emphasis
    for name in ("The New York Times", "Nikkei Asia", "May 2", "a bullet"):
        position = document.text.index(name)
        assert source[document.original_offset(position) :].startswith(name), name
    # The same text as plain text keeps its marks: only Markdown has emphasis.
    assert "*The New York Times*" in document_from_bytes("notes.txt", source.encode(), SETTINGS).text


def test_markdown_offsets_survive_emphasis_and_nfc_together() -> None:
    rng = random.Random(7)
    pieces = ["*", "_", "**", " ", "e\u0301", "\u00e9", "a", "Reuters", "\n", "(", ",", "\u0301"]
    pieces.append("snake_case")
    for _ in range(3000):
        raw = "x" + "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 14)))
        document = document_from_bytes("r.md", raw.encode(), SETTINGS)
        for index, character in enumerate(document.text):
            if character.isascii():
                assert raw[document.original_offset(index)] == character, (raw, index)


def test_html_visible_text_and_links_with_anchor_offsets() -> None:
    markup = (
        b"<html><head><title>Digest</title><style>p{}</style></head><body>"
        b"<p>As <a href='https://www.bbc.com/zhongwen/simp/1'>BBC Chinese</a> reported.</p>"
        b"<script>document.write('<a href=\"https://evil.example/\">x</a>')</script>"
        b"<div>Source: Xinhua</div></body></html>"
    )
    document = document_from_bytes("page.html", markup, SETTINGS)
    assert document.title == "Digest"
    assert "document.write" not in document.text
    assert document.text.splitlines() == ["As BBC Chinese reported.", "Source: Xinhua"]
    [link] = document.links
    assert link.url == "https://www.bbc.com/zhongwen/simp/1"
    assert document.text[link.anchor.start : link.anchor.end] == "BBC Chinese"


def test_deeply_nested_html_does_not_recurse() -> None:
    markup = b"<div>" * 5000 + b"deep text" + b"</div>" * 5000
    document = document_from_bytes("deep.html", markup, SETTINGS)
    assert document.text == "deep text"


def test_directories_expand_recursively_to_known_extensions(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("x")
    (tmp_path / "two.md").write_text("x")
    (tmp_path / "image.png").write_bytes(b"x")
    found = list(expand_inputs([str(tmp_path)], SETTINGS))
    assert [Path(p).name for p in found] == ["one.txt", "two.md"]


def test_html_that_looks_like_a_url_is_still_a_page() -> None:
    document = document_from_bytes("link.html", b"https://example.org/only-a-link", SETTINGS)
    assert document.text == "https://example.org/only-a-link"


def test_html_lists_keep_their_markers() -> None:
    markup = b"<ol start='3'><li>Three</li><li>Four</li></ol><ul><li>Dot</li></ul>"
    document = document_from_bytes("list.html", markup, SETTINGS)
    assert document.text.splitlines() == ["3. Three", "4. Four", "- Dot"]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("# Weekly digest\n\nBody", "Weekly digest"),
        ("\n" * 5000 + "## Late title\nBody", "Late title"),  # past the first few lines read
        (" " * 1018 + "A title that crosses the first block\nBody", "A title that crosses the first block"),
        ("\n" + "\r\n" * 511 + "\r\nCRLF title", "CRLF title"),  # a CRLF split by the first block's end
        ("# #\nSecond", "#"),  # a line of hashes is a title once its first run is stripped
        ("\n \t\n", None),
    ],
)
def test_the_title_is_the_first_line_with_words(text: str, title: str | None) -> None:
    from citecheck.ingest.text import first_line_title

    assert first_line_title(text) == title


def test_ascii_text_is_nfc_as_it_stands() -> None:
    """nfc_with_offsets() returns ASCII text without asking unicodedata: every ASCII string is NFC."""
    import random
    import unicodedata

    from citecheck.ingest.text import nfc_with_offsets

    rng = random.Random(3)
    for _ in range(2000):
        text = "".join(chr(rng.randrange(128)) for _ in range(rng.randrange(0, 40)))
        assert unicodedata.is_normalized("NFC", text)
        assert nfc_with_offsets(text) == (text, ())
    assert all(unicodedata.is_normalized("NFC", chr(code)) for code in range(128))


def test_html_anchor_at_the_end_stays_inside_the_text() -> None:
    # Found by hypothesis: the anchor stood on a trailing space that the text loses.
    document = document_from_bytes("end.html", b"Source: <a href='Source: '> </a>", SETTINGS)
    assert document.text == "Source:"
    assert all(0 <= link.anchor.start <= link.anchor.end <= len(document.text) for link in document.links)


def test_navigation_page_footer_and_in_page_links_are_not_sources() -> None:
    markup = (
        b"<html><body><nav><a href='/'>Home</a> <a href='https://twitter.com/share'>Share</a></nav>"
        b"<article><p>As <a href='https://www.scmp.com/a/1'>the Post</a> reported."
        b"<sup><a href='#fn1'>1</a></sup></p>"
        b"<footer><p>Sources: <a href='https://www.reuters.com/x'>Reuters</a></p></footer></article>"
        b"<footer><a href='https://example-media.invalid/privacy'>Privacy</a></footer></body></html>"
    )
    document = document_from_bytes("page.html", markup, SETTINGS)
    assert [link.url for link in document.links] == ["https://www.scmp.com/a/1", "https://www.reuters.com/x"]
    assert "Home" in document.text and "Privacy" in document.text  # the text is still there
