"""PDF, Word and wikitext inputs: each reads like the same document as plain text, plus what only the
format holds (pages, link annotations, hyperlink targets, footnotes, structured references).

The fixtures in tests/data/documents/ are written by generate.py there, each with a plain-text twin.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import jsonschema
import pytest

from citecheck.config import Config, InputSettings
from citecheck.errors import InputError
from citecheck.evaluate import evaluate
from citecheck.ingest import document_from_bytes, expand_inputs, read_document
from citecheck.models import Citation, CitationKind, Role
from citecheck.pipeline import extract_document, extract_run, run_check
from citecheck.resolve.registry import load_registry

DOCUMENTS = Path(__file__).resolve().parents[1] / "data" / "documents"
SETTINGS = InputSettings()
TWINS = [
    ("report.pdf", "report.txt"),
    ("memo.docx", "memo.txt"),
    ("reference-news.wiki", "reference-news.txt"),
]


def _citations(name: str) -> list[Citation]:
    config = Config()
    result = extract_document(str(DOCUMENTS / name), config, load_registry(config.registry))
    assert result.error is None, result.error
    return [item.citation for item in result.citations]


def _key(citation: Citation) -> tuple[object, ...]:
    return (citation.kind, citation.text, citation.url, citation.line, citation.page)


@pytest.mark.parametrize(("fixture", "twin"), TWINS[:2])
def test_the_text_is_the_text_twin(fixture: str, twin: str) -> None:
    document = read_document(str(DOCUMENTS / fixture), SETTINGS)
    assert document.text == (DOCUMENTS / twin).read_text(encoding="utf-8").rstrip("\n")


@pytest.mark.parametrize(("fixture", "twin"), TWINS)
def test_citations_with_page_and_line_agree_with_the_text_twin(fixture: str, twin: str) -> None:
    from_fixture, from_twin = _citations(fixture), _citations(twin)
    fixture_keys = {_key(c) for c in from_fixture}
    assert {_key(c) for c in from_twin} <= fixture_keys
    extra = [c for c in from_fixture if _key(c) not in {_key(t) for t in from_twin}]
    # What the twin cannot have: link targets that are not printed (annotation, hyperlink).
    assert all(c.kind is CitationKind.URL and c.url not in (DOCUMENTS / twin).read_text() for c in extra)
    if fixture.endswith(".pdf"):
        assert extra and {c.page for c in from_fixture} == {1, 2}


def test_eval_scores_each_fixture_as_its_text_twin() -> None:
    evaluation = evaluate(DOCUMENTS / "gold.yaml", DOCUMENTS, Config()).to_dict()["documents"]
    for fixture, twin in TWINS:
        scores, twin_scores = evaluation[fixture], evaluation[twin]
        assert scores["urls"]["f1"] == 1.0, scores["misses"]
        assert scores["cited_outlets"]["precision"] == 1.0, scores["misses"]
        assert scores["date_accuracy"] == 1.0, scores["misses"]
        # The same scores; the strict ones count every cited outlet, and a format can hold one more (the
        # PDF's link annotation names the National Security Archive).
        plain = ("precision", "recall", "f1")
        assert [scores["cited_outlets"][k] for k in plain] == [twin_scores["cited_outlets"][k] for k in plain]
        assert scores["vague_recall"] == twin_scores["vague_recall"]


# -- PDF ---------------------------------------------------------------------------------------------


def test_pdf_keeps_the_link_annotation_target_with_its_anchor() -> None:
    document = read_document(str(DOCUMENTS / "report.pdf"), SETTINGS)
    (link,) = document.links
    assert link.url == "https://nsarchive2.gwu.edu//coldwar/documents/episode-1/kennan.htm"
    assert document.text[link.anchor.start : link.anchor.end] == "\u201cThe Long Telegram,\u201d"
    assert "kennan" not in document.text  # only the annotation holds the address
    (cited,) = [c for c in _citations("report.pdf") if c.url == link.url]
    assert (cited.page, cited.line, cited.date and cited.date.iso()) == (2, 11, "1946-02-22")


def test_pdf_pages_footnotes_and_a_url_broken_by_the_layout() -> None:
    document = read_document(str(DOCUMENTS / "report.pdf"), SETTINGS)
    assert document.page_starts == (document.text.index("\fEndnotes"),)
    assert document.page_at(0) == 1 and document.page_at(len(document.text) - 1) == 2
    assert "put together.[8] In April 2020" in document.text  # a raised footnote number, bracketed
    footnote = "9 Written for this test fixture: the removal was reported by BuzzFeed News on 9 April 2020,"
    assert footnote in document.text
    by_url = {c.url: c for c in _citations("report.pdf") if c.url}
    csis = (
        "https://www.csis.org/analysis/how-xi-jinpings-new-era-should-have-ended-us-debate-beijings-ambitions"
    )
    assert by_url[csis].page == 2 and not by_url[csis].malformed
    # broken after a hyphen of its own: PDFium marks the break as hyphenation, the hyphen stays
    assert "https://www.state.gov/report-of-the-commission-on-unalienable-rights/" in by_url
    buzzfeed = by_url["https://www.buzzfeed.com/alexwickham/telegraph-china-daily-supplement-removed"]
    assert (buzzfeed.page, buzzfeed.date and buzzfeed.date.iso()) == (1, "2020-04-09")


def test_a_scanned_pdf_is_an_error_that_says_to_ocr_it() -> None:
    with pytest.raises(InputError, match="no text layer; OCR it first") as caught:
        read_document(str(DOCUMENTS / "scanned.pdf"), SETTINGS)
    assert caught.value.path.endswith("scanned.pdf")


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE compound file: Word 97-2003, Excel, PowerPoint


def _open_document() -> bytes:
    """An OpenDocument text as LibreOffice writes it: a zip whose first entry, stored, is its mimetype."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>", zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ntrailer garbage", "not a readable PDF"),
        ("cut.docx", b"PK\x03\x04" + b"\x00" * 200, "not a readable Word document"),
        ("old.doc", OLE + b"\x00" * 600, "save it as .docx"),
        # named on the command line, these were read as text ("unverifiable") or refused as undecodable
        ("renamed.docx", OLE + b"\x00" * 600, r"Word 97-2003 \(.doc\) files are not read; save it as .docx"),
        ("budget.xls", OLE + b"\x00" * 600, r"Office 97-2003 files \(.doc, .xls, .ppt\) are not read"),
        ("letter.rtf", b"{\\rtf1\\ansi See {\\field https://example.test/a}.}", "RTF files are not read"),
        ("draft.odt", _open_document(), r"OpenDocument files \(.odt\) are not read; save it as .docx"),
        ("saved.pdf", b"<!doctype html><html><body>Not found</body></html>", "not a PDF: no %PDF- header"),
    ],
)
def test_unreadable_documents_name_the_reason(name: str, data: bytes, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        document_from_bytes(name, data, SETTINGS)


def test_a_pdf_is_recognised_by_its_bytes_on_standard_input() -> None:
    document = document_from_bytes("-", (DOCUMENTS / "report.pdf").read_bytes(), SETTINGS)
    assert document.media_type == "application/pdf" and document.page_starts


# -- Word --------------------------------------------------------------------------------------------


def test_docx_keeps_hyperlink_targets_footnotes_and_endnotes() -> None:
    document = read_document(str(DOCUMENTS / "memo.docx"), SETTINGS)
    anchors = {
        link.url.rsplit("/", 1)[-1]: document.text[link.anchor.start : link.anchor.end]
        for link in document.links
    }
    assert anchors == {
        "employmentandemployeetypes": "Office for National Statistics says prominently",
        "feb2017": "estimates from the Office for National Statistics (ONS)",
    }
    assert "front page.[1]\n" in document.text
    notes = document.text[document.text.index("\n\nFootnotes\n") :]
    assert "1 Written for this test fixture: Daily Express" in notes
    assert "\n\nEndnotes\n1 Written for this test fixture: Office for National Statistics" in notes
    assert document.title == "Reports on employment figures are accurate, but not the whole picture"


def test_docx_links_in_the_body_are_cited_on_their_line() -> None:
    lines = {c.url: c.line for c in _citations("memo.docx") if c.kind is CitationKind.URL}
    assert lines == {
        "https://www.ons.gov.uk/employmentandlabourmarket/peopleinwork/employmentandemployeetypes": 7,
        "https://www.ons.gov.uk/employmentandlabourmarket/peopleinwork/employmentandemployeetypes/bulletins"
        "/uklabourmarket/feb2017": 8,
        "https://www.express.co.uk/news/uk/767541/british-workers-foreign-workers-rise": 11,
    }


def test_docx_in_a_folder_without_notes_or_links(tmp_path: Path) -> None:
    import docx

    plain = docx.Document()
    plain.add_paragraph("According to Reuters, the talks failed.")
    table = plain.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "Source: Xinhua, March 20, 2021"
    plain.save(str(tmp_path / "plain.docx"))
    document = read_document(str(tmp_path / "plain.docx"), SETTINGS)
    assert document.text == "According to Reuters, the talks failed.\nSource: Xinhua, March 20, 2021"
    assert document.links == ()


# -- wikitext ----------------------------------------------------------------------------------------


def test_wiki_references_are_numbered_as_editors_read_them() -> None:
    document = read_document(str(DOCUMENTS / "reference-news.wiki"), SETTINGS)
    assert [r.number for r in document.references] == [1, 2, 3, 4, 5]
    assert [r.template for r in document.references] == [
        "cite news",
        "cite web",
        None,
        "cite book",
        "cite journal",
    ]
    assert "with 3 million.[1]" in document.text and "as well.[1]" in document.text  # a named ref reused
    assert "Infobox" not in document.text and "Category" not in document.text
    second = document.references[1]
    line = document.text[second.span.start : second.span.end]
    assert line.startswith("2. Toporochan, Yulya (2013). \u201cMain Media Players in China\u201d. AHK.")
    assert second.archive_url == (
        "https://web.archive.org/web/20141101093000/http://china.ahk.de/fileadmin/media-players-china.pdf"
    )


def test_wiki_cite_templates_give_outlet_date_and_archived_copy() -> None:
    citations = _citations("reference-news.wiki")
    by_url = {c.url: c for c in citations if c.kind is CitationKind.URL}
    first = by_url["http://en.people.cn/200503/xinhua-profile.html"]
    assert first.cue == "reference [1] (cite news)" and first.date and first.date.iso() == "2005-03-09"
    second = by_url["http://china.ahk.de/fileadmin/media-players-china.pdf"]
    assert second.cue == "reference [2] (cite web)"
    assert second.archive_url and second.archive_url.startswith("https://web.archive.org/web/20141101093000/")
    bare = by_url["http://www.xinhuanet.com/english/about/cankaoxiaoxi.htm"]
    assert bare.cue == "reference [3]" and bare.archive_url is None
    cited = {(c.outlet.name, c.cue) for c in citations if c.outlet and c.role is Role.CITED and c.cue}
    assert ("People's Daily", "reference [1] (cite news)") in cited
    assert ("Library of Congress", "reference [5] (cite journal)") in cited
    # Xinhua's name as the title of reference 1 is not the work cited there
    assert not any(c.text == "新华通讯社" and c.role is Role.CITED for c in citations)


YEAR_ONLY_WIKI = """The port reopened.<ref>{{cite news |url=https://www.bbc.co.uk/news/uk-1
 |title=Port reopens |work=BBC News |date=2013}}</ref> Trade grew.<ref>{{cite web |url=https://www.reuters.com/article/trade-2
 |title=Trade grows |website=Reuters |year=c. 2014}}</ref> Ships came back.<ref>{{cite news
 |url=https://www.theguardian.com/world/ships-3 |title=Ships return |newspaper=The Guardian
 |date=Spring 2015}}</ref> Twice that year.<ref>{{cite news |url=https://www.theguardian.com/world/ships-4
 |title=Ships again |newspaper=The Guardian |date=15 March 2016b}}</ref> Over a winter.<ref>{{cite news
 |url=https://www.theguardian.com/world/ships-5 |title=Winter trade |newspaper=The Guardian
 |date=Winter 2016–2017}}</ref> And a season.<ref>{{cite news |url=https://www.theguardian.com/world/ships-6
 |title=Season trade |newspaper=The Guardian |date=2017–18}}</ref>

== References ==
{{reflist}}
"""


@pytest.mark.parametrize(
    ("url", "date"),
    [
        ("https://www.bbc.co.uk/news/uk-1", "2013"),  # a bare year, read since #14
        ("https://www.reuters.com/article/trade-2", "2014"),  # "c. 2014"
        ("https://www.theguardian.com/world/ships-3", "2015"),  # a season: the year
        ("https://www.theguardian.com/world/ships-4", "2016-03-15"),  # "b": the author's second work of 2016
        ("https://www.theguardian.com/world/ships-5", None),  # two years: no date rather than a guess
        ("https://www.theguardian.com/world/ships-6", None),  # "2017–18": two years, the second shortened
    ],
)
def test_wiki_cite_templates_carry_year_only_dates(url: str, date: str | None, tmp_path: Path) -> None:
    """Citation styles write a year alone in many ways ("2013", "c. 2014", "Spring 2015", "2016b"); all
    but the bare year were dropped, and "15 March 2016b" lost its year."""
    (tmp_path / "port.wiki").write_text(YEAR_ONLY_WIKI, encoding="utf-8")
    config = Config()
    result = extract_document(str(tmp_path / "port.wiki"), config, load_registry(config.registry))
    citations = [item.citation for item in result.citations]
    (link,) = [c for c in citations if c.url == url]
    assert (link.date.iso() if link.date else None) == date
    works = [c for c in citations if c.kind is CitationKind.OUTLET and c.cue == link.cue]
    assert works and all(c.date == link.date for c in works)  # the template's work carries the date too


# -- every kind ----------------------------------------------------------------------------------------


def test_plain_text_with_form_feeds_has_pages() -> None:
    document = document_from_bytes(
        "pages.txt", b"Page one cites Reuters.\n\fPage two cites Xinhua.\n", SETTINGS
    )
    assert document.page_starts == (24,)
    assert (document.page_at(0), document.page_at(30)) == (1, 2)
    assert document_from_bytes("one.txt", b"No pages here.", SETTINGS).page_at(3) is None


def test_a_folder_walk_picks_up_the_new_kinds(tmp_path: Path) -> None:
    for name in ("report.pdf", "memo.docx", "reference-news.wiki"):
        (tmp_path / name).write_bytes((DOCUMENTS / name).read_bytes())
    (tmp_path / "picture.png").write_bytes(b"\x89PNG")
    assert sorted(Path(p).name for p in expand_inputs([str(tmp_path)], SETTINGS)) == [
        "memo.docx",
        "reference-news.wiki",
        "report.pdf",
    ]


def test_a_bad_document_is_an_error_for_it_alone(tmp_path: Path) -> None:
    (tmp_path / "good.pdf").write_bytes((DOCUMENTS / "report.pdf").read_bytes())
    (tmp_path / "scanned.pdf").write_bytes((DOCUMENTS / "scanned.pdf").read_bytes())
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("word/nothing.xml", "<x/>")
    (tmp_path / "broken.docx").write_bytes(broken.getvalue())
    result = extract_run([str(tmp_path)], Config())
    errors = {Path(d.path).name: d.error for d in result.documents}
    assert errors["good.pdf"] is None
    assert errors["scanned.pdf"] == "no text layer; OCR it first (the PDF holds only images)"
    assert errors["broken.docx"] and errors["broken.docx"].startswith("not a readable Word document")


def test_page_and_archive_url_reach_the_json_report_and_the_store(db_url: str) -> None:
    from citecheck.report.json import to_dict

    result = run_check(
        [str(DOCUMENTS / "report.pdf"), str(DOCUMENTS / "reference-news.wiki")],
        Config(),
        offline=True,
        database_url=db_url,
    )
    report = to_dict(result)
    schema = json.loads(
        (Path(__file__).resolve().parents[2] / "citecheck/data/report-v1.schema.json").read_text()
    )
    jsonschema.validate(report, schema)
    pdf, wiki = report["documents"]
    assert {c["page"] for c in pdf["citations"]} == {1, 2}
    assert any(c["archive_url"] for c in wiki["citations"])
    stored = [item.citation for item in result.documents[0].citations]
    assert [c.page for c in stored] == [c.page for c in _citations("report.pdf")]
