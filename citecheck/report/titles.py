"""The title a report gives a document: the line that names it, not whatever stood first.

A plain-text or Markdown document saved from a web page often opens with page furniture ("Skip to
content"), a weather widget ("35.1 C"), a date line or a breadcrumb glued to the headline
("HomeNewsBriefSinaloa Cartel ..."), and a document without a headline opens with its first paragraph.
Its ingested title is simply its first line. Reports choose among the first lines instead, by shape:

- Markdown: the `title:` of YAML front matter, else the first level-1 or level-2 heading;
- else the first line that reads as a title: three or more words of which three have three letters or
  more, at most TITLE_CHARS characters and 30 words, starting with a capital, digit or quote, not a
  sentence of body text (more than eight words ending in . ! or ?), not a line that runs on into the
  next (which starts in lower case), and not a menu whose first two words come back ("Jump to
  navigation Jump to search");
- a title line that ends with a later, shorter line gives that line: the breadcrumb is dropped;
- a short line (one to three words) that the next line opens with is the title of an encyclopedic lead
  ("Reference News" / "Reference News (Chinese: ...) is a newspaper").

When no line qualifies the report shows no title (the path says which document it is) rather than a
paragraph. HTML, PDF, Word and web documents keep the title their metadata gives.
"""

from __future__ import annotations

import re

from ..models import Document

__all__ = ["LINES_LOOKED_AT", "TITLE_CHARS", "display_title", "title_from_text"]

TITLE_CHARS = 200
LINES_LOOKED_AT = 15
_HEAD_CHARS = 4096
_WORD = re.compile(r"[^\W\d_]{3,}")
_SENTENCE_END = re.compile(r"[.!?\u3002\uff01\uff1f]['\"\u201d\u2019)\]]*$")
_FRONT_MATTER_TITLE = re.compile(r"^title:\s*(?P<title>.+?)\s*$", re.MULTILINE)
_HEADING = re.compile(r"#{1,2}\s+(?P<title>\S.*)")
_PLAIN_TYPES = ("text/plain", "text/markdown")


def _reads_as_title(line: str) -> bool:
    words = line.split()
    if not 3 <= len(words) <= 30 or len(line) > TITLE_CHARS or len(_WORD.findall(line)) < 3:
        return False
    if line[0].islower():
        return False
    if len(words) > 8 and _SENTENCE_END.search(line):
        return False
    return not (len(words) >= 4 and " ".join(words[:2]) in " ".join(words[2:]))


def _markdown_title(head: str, lines: list[str]) -> str | None:
    if head.startswith("---"):
        end = head.find("\n---", 3)
        found = _FRONT_MATTER_TITLE.search(head[3:end]) if end > 0 else None
        if found:
            return found.group("title").strip().strip("'\"")[:TITLE_CHARS] or None
    for line in lines[:LINES_LOOKED_AT]:
        heading = _HEADING.fullmatch(line)
        if heading:
            return heading.group("title").strip()[:TITLE_CHARS]
    return None


def title_from_text(text: str, markdown: bool = False) -> str | None:
    """The document's title chosen by the shape of its first lines (see the module docstring)."""
    head = text[:_HEAD_CHARS]
    lines = [line.strip() for line in head.splitlines() if line.strip()]
    if markdown:
        found = _markdown_title(head, lines)
        if found:
            return found
    for index, line in enumerate(lines[:LINES_LOOKED_AT]):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if 1 <= len(line.split()) <= 3 and re.match(re.escape(line) + r"[\s(,]", following):
            return line
        if following[:1].islower():
            continue
        if _reads_as_title(line):
            for later in lines[index + 1 : index + 6]:
                if len(later) < len(line) and line.endswith(later) and _reads_as_title(later):
                    return later
            return line
    return None


def display_title(document: Document | None) -> str | None:
    """The title a report shows for a document (None when it has none worth showing)."""
    if document is None:
        return None
    if document.media_type in _PLAIN_TYPES and document.text:
        return title_from_text(document.text, markdown=document.media_type == "text/markdown")
    return document.title
