"""Wikitext (MediaWiki markup): the article as a reader sees it, with its references structured.

Wikitext in (a .wiki file, or an article fetched through the MediaWiki API); a Document out whose text
is the rendered article: links as their labels, headings on lines of their own, infoboxes and other
templates dropped, each <ref> replaced by its number as "[3]", and the numbered reference list
("3. Author (date). "Title". Work. URL. Retrieved ...") where {{reflist}} or <references/> stands,
or at the end. Numbering follows MediaWiki's: by first use, a named ref reused keeps its number.

Each reference is also kept as a `Reference` with what its citation template says (url, work or
newspaper or website or journal, publisher, date, archive-url), so extraction can give the citation
the editor's outlet, date and archived copy (see citecheck/extract/structure.py), and reports can
say "reference [3]" as editors read them. A bare <ref>URL</ref> is a reference with only a URL.
mwparserfromhell parses the markup; nothing is expanded or fetched.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ..models import Document, Reference, Span

__all__ = ["wiki_document"]

_WORK = ("work", "newspaper", "website", "journal", "magazine", "periodical", "encyclopedia", "via")
_PUBLISHER = ("publisher", "agency", "institution")
_ARCHIVE = ("archive-url", "archiveurl", "archive_url")
_ACCESS = ("access-date", "accessdate")
_ARCHIVE_DATE = ("archive-date", "archivedate")
_REFERENCE_LISTS = {"reflist", "references", "refs", "notelist"}
_URL = re.compile(r"https?://[^\s\]|<>{}]+", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass(slots=True)
class _Entry:
    number: int
    template: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    text: str = ""  # the rendered entry, without its number


def _field(fields: dict[str, str], names: tuple[str, ...]) -> str | None:
    for name in names:
        value = fields.get(name, "").strip()
        if value:
            return value
    return None


def _plain(value: Any) -> str:
    import mwparserfromhell

    code = value if hasattr(value, "strip_code") else mwparserfromhell.parse(str(value))
    return " ".join(code.strip_code(normalize=True, collapse=True).split())


def _is_citation(name: str) -> bool:
    return name.startswith(("cite ", "cite_")) or name in ("citation", "cite")


def _template_name(template: Any) -> str:
    return " ".join(str(template.name).strip().lower().replace("_", " ").split())


def _authors(fields: dict[str, str]) -> str:
    names = []
    for suffix in ("", "1", "2", "3"):
        last, first = fields.get(f"last{suffix}", ""), fields.get(f"first{suffix}", "")
        author = fields.get(f"author{suffix}", "")
        if last:
            names.append(f"{last}, {first}" if first else last)
        elif author:
            names.append(author)
    return "; ".join(names)


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."


def _render_citation(fields: dict[str, str]) -> str:
    """A citation template as CS1 prints it, with the URL written out so a reader of the text has it."""
    parts: list[str] = []
    authors = _authors(fields)
    date = _field(fields, ("date", "year"))
    if authors:
        parts.append(f"{authors} ({date})." if date else _sentence(authors))
    title = _field(fields, ("title", "chapter"))
    if title:
        parts.append(f"\u201c{title}\u201d.")
    work = _field(fields, _WORK)
    if work:
        parts.append(_sentence(work))
    publisher = _field(fields, _PUBLISHER)
    if publisher and publisher != work:
        parts.append(_sentence(publisher))
    if date and not authors:
        parts.append(_sentence(date))
    for name in ("volume", "issue", "pages", "page"):
        if fields.get(name):
            parts.append(f"{name} {fields[name]}.")
    url = fields.get("url", "").strip()
    if url:
        parts.append(url)
    archive_date = _field(fields, _ARCHIVE_DATE)
    if _field(fields, _ARCHIVE):
        parts.append(f"Archived from the original on {archive_date}." if archive_date else "Archived.")
    accessed = _field(fields, _ACCESS)
    if accessed:
        parts.append(f"Retrieved {accessed}.")
    return " ".join(parts)


class _Renderer:
    def __init__(self) -> None:
        self.entries: dict[str, _Entry] = {}  # by ref name, or a key of its own for an unnamed ref
        self.order: list[_Entry] = []
        self.list_placed = False

    def reference(self, tag: Any) -> str:
        name = str(tag.get("name").value).strip() if tag.has("name") else None
        if name and name in self.entries:
            entry = self.entries[name]
            if not entry.text and tag.contents is not None and str(tag.contents).strip():
                self._fill(entry, tag.contents)
            return f"[{entry.number}]"
        entry = _Entry(number=len(self.order) + 1)
        self.entries[name or f"\x00{entry.number}"] = entry
        self.order.append(entry)
        if tag.contents is not None:
            self._fill(entry, tag.contents)
        return f"[{entry.number}]"

    def _fill(self, entry: _Entry, contents: Any) -> None:
        citation = next(
            (t for t in contents.filter_templates(recursive=False) if _is_citation(_template_name(t))), None
        )
        if citation is not None:
            entry.template = _template_name(citation)
            entry.fields = {
                str(param.name).strip().lower(): _plain(param.value)
                for param in citation.params
                if str(param.value).strip()
            }
            rest = _plain(_without(contents, citation))
            entry.text = " ".join(p for p in (_render_citation(entry.fields), rest) if p)
            return
        entry.text = self.render(contents, inside_reference=True).strip()
        found = _URL.search(str(contents))
        if found:
            entry.fields = {"url": found.group().rstrip(".,;")}

    def render(self, code: Any, inside_reference: bool = False) -> str:
        parts: list[str] = []
        for node in code.nodes:
            parts.append(self._node(node, inside_reference))
        return "".join(parts)

    def _node(self, node: Any, inside_reference: bool) -> str:
        from mwparserfromhell import nodes

        if isinstance(node, nodes.Text):
            return str(node)
        if isinstance(node, nodes.Tag):
            tag = str(node.tag).lower()
            if tag == "ref" and not inside_reference:
                return self.reference(node)
            if tag == "references":
                return self.reference_list()
            if tag in ("br",):
                return "\n"
            return self.render(node.contents, inside_reference) if node.contents is not None else ""
        if isinstance(node, nodes.Heading):
            return "\n" + _plain(node.title) + "\n"
        if isinstance(node, nodes.Wikilink):
            target = str(node.title).strip()
            if target.lower().startswith(("file:", "image:", "category:")):
                return ""
            return _plain(node.text) if node.text is not None else _plain(node.title)
        if isinstance(node, nodes.ExternalLink):
            url = str(node.url).strip()
            return f"{_plain(node.title)} {url}" if node.title is not None else url
        if isinstance(node, nodes.Template):
            name = _template_name(node)
            if name in _REFERENCE_LISTS:
                return self.reference_list()
            if _is_citation(name):  # a citation written inline, outside <ref>
                return _render_citation({str(p.name).strip().lower(): _plain(p.value) for p in node.params})
            return ""
        if isinstance(node, nodes.HTMLEntity):
            return str(node.normalize())
        return ""  # comments, arguments

    def reference_list(self) -> str:
        self.list_placed = True
        return "\x00REFERENCES\x00"


def _without(contents: Any, template: Any) -> Any:
    import mwparserfromhell

    copy = mwparserfromhell.parse(str(contents))
    for candidate in copy.filter_templates(recursive=False):
        if str(candidate) == str(template):
            copy.remove(candidate)
            break
    return copy


def _clean(text: str) -> str:
    lines = [" ".join(line.split()) if line.strip() else "" for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def wiki_document(
    name: str, markup: str, *, sha256: str, size: int, encoding: str, title: str | None = None
) -> Document:
    import mwparserfromhell

    renderer = _Renderer()
    body = renderer.render(mwparserfromhell.parse(markup))
    if not renderer.list_placed and renderer.order:
        body += "\n\nReferences\n\x00REFERENCES\x00"
    before, _, after = body.partition("\x00REFERENCES\x00")
    before, after = _clean(before), _clean(after.replace("\x00REFERENCES\x00", ""))
    text = unicodedata.normalize("NFC", before)
    references: list[Reference] = []
    lines = []
    offset = len(text) + 1 if renderer.order else len(text)
    for entry in renderer.order:
        line = unicodedata.normalize("NFC", f"{entry.number}. {' '.join(entry.text.split())}")
        fields = entry.fields
        references.append(
            Reference(
                number=entry.number,
                span=Span(offset, offset + len(line)),
                template=entry.template,
                url=fields.get("url") or None,
                work=_field(fields, _WORK),
                publisher=_field(fields, _PUBLISHER),
                date=_field(fields, ("date", "year")),
                archive_url=_field(fields, _ARCHIVE),
            )
        )
        lines.append(line)
        offset += len(line) + 1
    if lines:
        text += "\n" + "\n".join(lines)
    if after:
        text += "\n\n" + unicodedata.normalize("NFC", after)
    return Document(
        path=name,
        sha256=sha256,
        text=text,
        size=size,
        encoding=encoding,
        media_type="text/x-wiki",
        title=title,
        references=tuple(references),
    )
