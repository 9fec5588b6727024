"""Writes the input-format fixtures in this folder from texts copied out of the development corpus.

    .venv/bin/python tests/data/documents/generate.py

Each fixture has a plain-text twin written from the same source, so a test can check that a PDF or
a Word file gives the citations, with page and line, of the same document as text:

* report.pdf / report.txt: the UK Intelligence and Security Committee's "China" report, page 53
  (corpus-dev/reports/isc-china-report-media.txt: the Media paragraphs) and the endnotes of the
  State Department's "The Elements of the China Challenge" (state-dept-china-challenge-endnotes.txt),
  laid out on two A4 pages: footnote markers set as raised small numbers, one footnote at the foot of
  page 1 (written for this fixture: the stored page has no footnote texts), endnotes on page 2 with
  the long CSIS address broken across two lines by the layout, and a link annotation over the title
  "The Long Telegram" (its address is not printed: only the annotation holds it). The text twin has
  form feeds between pages, as pdftotext writes them.
* scanned.pdf: a page of the same report as a picture only, no text layer.
* memo.docx / memo.txt: Full Fact's check of Daily Express employment headlines
  (corpus-dev/news/fullfact-express-foreign-workers.txt), with two hyperlinks on words, one footnote and
  one endnote (the notes and link targets were written for this fixture).
* reference-news.wiki: the Wikipedia article "Reference News" (wikipedia-reference-news.txt) as
  wikitext, its references rewritten as {{cite news}}, {{cite web}}, {{cite journal}} and
  {{cite book}} templates (one with an archive-url) and one bare <ref>URL</ref>; addresses and
  archive dates were written for this fixture.

The web-page fixture (Polygraph.info's check of a Sputnik report as a page with navigation, related
stories and a footer) is not written here: tests/servers/article.py serves it, and its answer key is
GOLD in tests/ingest/test_web.py.

reportlab draws the PDFs, Pillow the scanned page, python-docx the Word file (its notes parts are
added here as XML, which python-docx cannot write itself). The output is deterministic.
"""

from __future__ import annotations

import io
from pathlib import Path

HERE = Path(__file__).resolve().parent

# -- the report (PDF) ----------------------------------------------------------------------------------

REPORT_TITLE = "Intelligence and Security Committee of Parliament: China (extract)"
PAGE_ONE = [
    "Media",
    "Chinese interference in UK media has many facets\u2014from the use of the UK media for the publication "
    "of Chinese content, to the expansion in the number of Chinese media outlets and journalists in the UK.",
    "The Chinese government looks to use the UK\u2019s own media to its advantage. The Telegraph was "
    "reportedly paid \u00a3750,000 p.a. to carry the China Daily newspaper supplement (effectively a CCP "
    "mouthpiece), and it has been noted that since 2016 The Telegraph has carried twice the number of "
    "signed articles by the Chinese ambassador to the UK than the Daily Mail, The Guardian and the "
    "Financial Times put together.^8 In April 2020, content from the China Daily disappeared from The "
    "Telegraph website: when Buzzfeed and The Guardian asked The Telegraph to comment on its removal, "
    "The Telegraph refused to do so.^9",
]
PAGE_ONE_FOOTNOTES = [
    "8 Written for this test fixture: the Committee counted the signed articles itself.",
    "9 Written for this test fixture: the removal was reported by BuzzFeed News on 9 April 2020, "
    "https://www.buzzfeed.com/alexwickham/telegraph-china-daily-supplement-removed.",
]
PAGE_TWO = [
    "Endnotes",
    "1 For another turn to authoritative assumptions and governing ideas to explain the conduct of a "
    "great-power rival, see George Kennan, {link}\u201cThe Long Telegram,\u201d{/link} February 22, 1946.",
    "2 Commission on Unalienable Rights, Report of the Commission on Unalienable Rights, U.S. Department "
    "of State, August 2020, https://www.state.gov/report-of-the-commission-on-unalienable-rights/.",
    "3 Daniel J. Tobin, \u201cHow Xi Jinping\u2019s \u2018New Era\u2019 Should Have Ended U.S. Debate on "
    "Beijing\u2019s Ambitions,\u201d Center for Strategic & International Studies, May 8, 2020, "
    "https://www.csis.org/analysis/how-xi-jinpings-new-era-should-have-ended-us-debate-beijings-ambitions.",
    "4 On constructive engagement with China, see \u201cClinton Defends \u2018Constructive Engagement\u2019 "
    "of China,\u201d CNN, October 24, 1997, http://www.cnn.com/ALLPOLITICS/1997/10/24/clinton.china/.",
]
KENNAN = "https://nsarchive2.gwu.edu//coldwar/documents/episode-1/kennan.htm"

LEFT, RIGHT, TOP = 72.0, 523.0, 770.0
BODY, NOTE = ("Helvetica", 11.0, 15.0), ("Helvetica", 8.0, 10.0)  # font, size, leading


def _pieces(paragraph: str) -> list[tuple[str, str]]:
    """(kind, text) runs: "word" text, "sup" footnote markers (^8), "link" the annotated title."""
    runs: list[tuple[str, str]] = []
    kind = "word"
    for token in paragraph.replace("{link}", "\x01").replace("{/link}", "\x02").split(" "):
        if "\x01" in token:
            before, token = token.split("\x01")
            if before:
                runs.append((kind, before))
            kind = "link"
        end_link = "\x02" in token
        token = token.replace("\x02", "")
        if "^" in token:
            word, marker = token.split("^", 1)
            runs.append((kind, word))
            runs.append(("sup", marker))
        else:
            runs.append((kind, token))
        if end_link:
            kind = "word"
    return runs


def _plain(paragraph: str) -> str:
    """The paragraph as the text twin has it: markers as [8], the link's title as plain words."""
    out = []
    for kind, text in _pieces(paragraph):
        if kind == "sup":
            out[-1] += f"[{text}]"
        else:
            out.append(text)
    return " ".join(out)


def _split_url(word: str, room: float, width: object) -> tuple[str, str] | None:
    """Cut a long address after its last slash or hyphen that fits in `room` points (no hyphen added)."""
    best = None
    for index, character in enumerate(word):
        if character in "/-" and width(word[: index + 1]) <= room:  # type: ignore[operator]
            best = index + 1
    return (word[:best], word[best:]) if best and best < len(word) else None


def _draw_paragraph(canvas: object, paragraph: str, y: float, style: tuple[str, float, float]) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    font, size, leading = style

    def width(text: str) -> float:
        return float(stringWidth(text, font, size))

    x = LEFT
    link_box: list[float] | None = None
    queue = _pieces(paragraph)
    while queue:
        kind, text = queue.pop(0)
        if kind == "sup":
            canvas.setFont(font, size * 0.6)  # type: ignore[attr-defined]
            canvas.drawString(x, y + size * 0.35, text)  # type: ignore[attr-defined]
            x += stringWidth(text, font, size * 0.6) + width(" ")
            continue
        needed = width(text)
        if x > LEFT and x + needed > RIGHT:
            parts = _split_url(text, RIGHT - x, width) if text.startswith("http") else None
            if parts:
                canvas.setFont(font, size)  # type: ignore[attr-defined]
                canvas.drawString(x, y, parts[0])  # type: ignore[attr-defined]
                queue.insert(0, (kind, parts[1]))
            x, y = LEFT, y - leading
            if parts:
                continue
        canvas.setFont(font, size)  # type: ignore[attr-defined]
        canvas.drawString(x, y, text)  # type: ignore[attr-defined]
        if kind == "link":
            box = [x, y - 2, x + needed, y + size]
            link_box = box if link_box is None else [link_box[0], box[1], box[2], link_box[3]]
        x += needed + width(" ")
    if link_box is not None:
        canvas.linkURL(KENNAN, tuple(link_box), relative=0)  # type: ignore[attr-defined]
    return y - leading


def write_report(pdf_path: Path, text_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas as pdf_canvas

    canvas = pdf_canvas.Canvas(str(pdf_path), pagesize=A4, invariant=1)
    canvas.setTitle(REPORT_TITLE)
    pages = [(PAGE_ONE, PAGE_ONE_FOOTNOTES), (PAGE_TWO, [])]
    twin_pages = []
    for body, notes in pages:
        y = TOP
        for paragraph in body:
            y = _draw_paragraph(canvas, paragraph, y, BODY) - BODY[2]  # a blank line after each
        y = 40 + NOTE[2] * (len(notes) + 2)
        for note in notes:
            y = _draw_paragraph(canvas, note, y, NOTE)
        canvas.showPage()
        lines = "\n\n".join(_plain(paragraph) for paragraph in body)
        if notes:
            lines += "\n\n" + "\n".join(_plain(note) for note in notes)
        twin_pages.append(lines)
    canvas.save()
    text_path.write_text("\n\f".join(twin_pages) + "\n", encoding="utf-8")


def write_scanned(path: Path) -> None:
    """A page of text as pixels only: what a scanner without OCR produces."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas as pdf_canvas

    image = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(image)
    for number, paragraph in enumerate(PAGE_ONE):
        draw.text((100, 120 + 60 * number), _plain(paragraph)[:90], fill=0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    canvas = pdf_canvas.Canvas(str(path), pagesize=A4, invariant=1)
    canvas.drawImage(ImageReader(buffer), 0, 0, width=A4[0], height=A4[1])
    canvas.showPage()
    canvas.save()


# -- the memo (Word) -----------------------------------------------------------------------------------

MEMO = [
    "Reports on employment figures are accurate, but not the whole picture",
    "Published: 16th Feb 2017",
    "Claim 1 of 2",
    "\u201cAnother 431,000 migrants working in Britain\u201d",
    "Daily Express, paper edition, 16 February 2017",
    "Several media outlets reported the most recent set of employment figures this morning, and the Daily "
    "Express featured the story on its front page.{footnote}",
    "As the {ons}Office for National Statistics says prominently{/ons}, these statistics don\u2019t tell "
    "us how many people have lost jobs or how many people have got a new one.",
    "The UK had 431,000 more foreign-born workers at the end of 2016 than it had a year beforehand, "
    "according to {lfs}estimates from the Office for National Statistics (ONS){/lfs}.{endnote}",
]
ONS_LINKS = {
    "ons": "https://www.ons.gov.uk/employmentandlabourmarket/peopleinwork/employmentandemployeetypes",
    "lfs": "https://www.ons.gov.uk/employmentandlabourmarket/peopleinwork/employmentandemployeetypes/bulletins"
    "/uklabourmarket/feb2017",
}
MEMO_FOOTNOTE = (
    "Written for this test fixture: Daily Express, \u201cBritish-born workers plunge\u201d, "
    "16 February 2017, https://www.express.co.uk/news/uk/767541/british-workers-foreign-workers-rise."
)
MEMO_ENDNOTE = (
    "Written for this test fixture: Office for National Statistics, UK labour market: February 2017, "
    "15 February 2017."
)

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NOTES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<w:{root}s xmlns:w="{ns}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<w:{root} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{root}>'
    '<w:{root} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
    "</w:{root}>"
    '<w:{root} w:id="1"><w:p><w:r><w:{root}Ref/></w:r><w:r><w:t xml:space="preserve">{text}</w:t></w:r>'
    "</w:p></w:{root}></w:{root}s>"
)


def _notes_part(document: object, root: str, text: str) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    content_type = f"application/vnd.openxmlformats-officedocument.wordprocessingml.{root}s+xml"
    blob = _NOTES_XML.format(root=root, ns=_W_NS, text=text).encode()
    part = Part(PackURI(f"/word/{root}s.xml"), content_type, blob, document.part.package)  # type: ignore[attr-defined]
    relationship = RT.FOOTNOTES if root == "footnote" else RT.ENDNOTES
    document.part.relate_to(part, relationship)  # type: ignore[attr-defined]


def _add_memo_paragraph(document: object, paragraph: str) -> str:
    """Adds one paragraph with its links and note references; returns its text-twin form."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    p = document.add_paragraph()  # type: ignore[attr-defined]
    twin = ""
    rest = paragraph
    while rest:
        start = rest.find("{")
        plain, rest = (rest, "") if start < 0 else (rest[:start], rest[start:])
        if plain:
            p.add_run(plain)
            twin += plain
        if not rest:
            break
        tag, rest = rest[1 : rest.index("}")], rest[rest.index("}") + 1 :]
        if tag in ("footnote", "endnote"):
            run = p.add_run()
            reference = OxmlElement(f"w:{tag}Reference")
            reference.set(qn("w:id"), "1")
            run._r.append(reference)
            twin += "[1]"
        elif tag in ONS_LINKS:
            closing = "{/" + tag + "}"
            anchor, rest = rest[: rest.index(closing)], rest[rest.index(closing) + len(closing) :]
            rel_id = p.part.relate_to(ONS_LINKS[tag], RT.HYPERLINK, is_external=True)
            hyperlink = OxmlElement("w:hyperlink")
            hyperlink.set(qn("r:id"), rel_id)
            run = OxmlElement("w:r")
            text = OxmlElement("w:t")
            text.text = anchor
            text.set(qn("xml:space"), "preserve")
            run.append(text)
            hyperlink.append(run)
            p._p.append(hyperlink)
            twin += anchor
    return twin


def _fix_zip_times(path: Path) -> None:
    """Rewrites the package with one fixed time stamp on every member (the zip format stores each)."""
    import zipfile

    with zipfile.ZipFile(path) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in members:
            fixed = zipfile.ZipInfo(info.filename, date_time=(2017, 2, 16, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, data)


def write_memo(docx_path: Path, text_path: Path) -> None:
    import docx

    document = docx.Document()
    document.core_properties.title = MEMO[0]
    # python-docx stamps the current time; fixed values keep the file the same on every run.
    from datetime import datetime

    document.core_properties.created = document.core_properties.modified = datetime(2017, 2, 16)
    twin = [_add_memo_paragraph(document, paragraph) for paragraph in MEMO]
    _notes_part(document, "footnote", MEMO_FOOTNOTE)
    _notes_part(document, "endnote", MEMO_ENDNOTE)
    document.save(str(docx_path))
    _fix_zip_times(docx_path)
    notes = f"\n\nFootnotes\n1 {MEMO_FOOTNOTE}\n\nEndnotes\n1 {MEMO_ENDNOTE}"
    text_path.write_text("\n".join(twin) + notes + "\n", encoding="utf-8")


def main() -> None:
    write_report(HERE / "report.pdf", HERE / "report.txt")
    write_scanned(HERE / "scanned.pdf")
    write_memo(HERE / "memo.docx", HERE / "memo.txt")


if __name__ == "__main__":
    main()
