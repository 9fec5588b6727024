"""Positions: every citation's offsets and line lead back into the file as written."""

from __future__ import annotations

import html
import random
import re
import unicodedata
from pathlib import Path

import pytest

from citecheck.config import Config, InputSettings
from citecheck.ingest import document_from_bytes
from citecheck.models import Span
from citecheck.pipeline import extract_run
from citecheck.report.json import to_dict

SETTINGS = InputSettings()


@pytest.mark.parametrize(
    ("source", "kept"),
    [
        # the address that prompted the rule: an underscore before "?" looked like closing emphasis
        ('<img src="https://media.example.com/pic/Ab12Cd_?size=large&kind=png">', "Ab12Cd_?size"),
        ("[chart](https://example.org/files/_draft_/chart.png) shows it", "/_draft_/chart.png"),
        ("See https://example.org/a__b__c for *more*.", "a__b__c"),
    ],
)
def test_markdown_emphasis_marks_inside_an_address_stay(source: str, kept: str) -> None:
    document = document_from_bytes("notes.md", source.encode(), SETTINGS)
    assert kept in document.text


def test_markdown_emphasis_next_to_an_address_is_still_taken_out() -> None:
    # near miss: the emphasis stands apart from the address, after a space
    source = "Read https://example.org/a_b and _The Example Times_ too."
    document = document_from_bytes("notes.md", source.encode(), SETTINGS)
    assert document.text == "Read https://example.org/a_b and The Example Times too."


def _visible(markup: str) -> str:
    """What a reader sees of a piece of markup, spaces collapsed (as the tests' own plain reading)."""
    markup = re.sub(r"<script.*?</script>|<!--.*?-->", "", markup, flags=re.DOTALL)
    return " ".join(unicodedata.normalize("NFC", html.unescape(re.sub(r"<[^>]*>", "", markup))).split())


def _slice(source: str, document, start: int, end: int) -> str:  # type: ignore[no-untyped-def]
    found_start, found_end = document.original_span(Span(start, end))
    return source[found_start:found_end]


@pytest.mark.parametrize(
    ("source", "name"),
    [
        # the name inside inline markup: its span ends before the closing tag
        ("<p>As <b>Example Wire</b> reported.</p>", "Example Wire"),
        # an entity inside the name, and a line break and indentation collapsed to one space
        (
            "<div>\n  <p>Data from <i>Hart &amp; Osei\n      Analytics</i>, 2021.</p>\n</div>",
            "Hart & Osei Analytics",
        ),
        # a decomposed accent that NFC composes, after a list marker the browser draws
        ("<ol><li>Le Monde says Cafe\u0301 Central</li></ol>", "Caf\u00e9 Central"),
        # near miss for the map: a numeric reference at the very end of the name
        ("<p>Call it Example&#160;Wire&#x2122; now</p>", "Example\u00a0Wire\u2122"),
    ],
)
def test_html_spans_lead_back_to_the_markup(source: str, name: str) -> None:
    document = document_from_bytes("page.html", source.encode(), SETTINGS)
    start = document.text.index(name.replace("\u00a0", " "))
    found = _slice(source, document, start, start + len(name))
    assert found.startswith(name[0]) and not found.endswith(("<", ">")), found
    assert _visible(found) == " ".join(name.split())


def test_html_offsets_and_lines_survive_any_markup() -> None:
    rng = random.Random(14)
    pieces = ["<p>", "</p>", "<b>", "</b>", "<br>", "<li>", "<ol>", "</ol>", "&amp;", "&#233;", "e\u0301"]
    pieces += [
        "\n",
        "  ",
        "Reuters",
        "x",
        "<script>var a = '<b>';</script>",
        "<!-- c -->",
        "&nbsp;",
        "\u00e9",
    ]
    pieces += ["<a href='https://example.org/a'>", "</a>", "<nav>", "</nav>", "</div>", "&bogus;"]
    for _ in range(2000):
        source = "<body>" + "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 16)))
        document = document_from_bytes("r.html", source.encode(), SETTINGS)
        for index, character in enumerate(document.text):
            if character.isspace() or character in "-." or character.isdigit() and character not in source:
                continue
            at = document.original_offset(index)
            assert source[at] in (character, "&", "e", "<"), (source, index)
            line = document.original_line(index)
            assert line == source.count("\n", 0, at) + 1, (source, index)
        for link in document.links:
            found = _slice(source, document, link.anchor.start, link.anchor.end)
            visible = document.text[link.anchor.start : link.anchor.end]
            # a line break (<br>) and a list marker are drawn by the browser, not written in the markup
            drawn = re.compile(r"\s|-|\d+\.")
            assert drawn.sub("", _visible(found)) == drawn.sub("", visible), source


def test_the_json_report_points_into_the_html_file(tmp_path: Path) -> None:
    source = (
        "<html>\n<head><title>Digest</title></head>\n<body>\n"
        "  <p>First paragraph.</p>\n"
        "  <p>According to\n      <b>Reuters</b>, the dam held\n"
        '      (<a href="https://example.org/2021/03/05/dam">the &quot;dam&quot; report</a>).</p>\n'
        "</body>\n</html>\n"
    )
    path = tmp_path / "digest.html"
    path.write_text(source, encoding="utf-8")
    [document] = to_dict(extract_run([str(path)], Config()))["documents"]
    by_text = {citation["text"]: citation for citation in document["citations"]}
    lines = source.split("\n")
    reuters = by_text["Reuters"]
    assert source[reuters["start"] : reuters["end"]] == "Reuters" and "Reuters" in lines[reuters["line"] - 1]
    link = by_text["https://example.org/2021/03/05/dam"]
    assert source[link["start"] : link["end"]] == "the &quot;dam&quot; report"
    assert "dam&quot; report" in lines[link["line"] - 1] and link["date"] == "2021-03-05"


def test_a_stored_html_run_gives_back_the_same_spans(tmp_path: Path) -> None:
    from citecheck.pipeline import run_check
    from citecheck.store.repository import Store

    path = tmp_path / "page.html"
    path.write_text(
        "<p>As <b>Reuters</b> and <i>Le&nbsp;Monde</i> reported,\n  the caf&eacute; closed.</p>",
        encoding="utf-8",
    )
    url = f"sqlite:///{tmp_path / 'c.db'}"
    made = run_check([str(path)], Config(), offline=True, database_url=url)
    store = Store(url)
    try:
        [document] = list(store.load_run(made.run_id or 0).documents)
    finally:
        store.close()
    assert document.document is not None
    names = {item.citation.text for item in document.citations}
    assert {"Reuters", "Le Monde"} <= names
    for item in document.citations:
        span = item.citation.span
        assert document.document.text[span.start : span.end] == item.citation.text
