"""Lines as the file was written.

Citations are found in a document's text; for HTML that text is not the file (tags are gone, blocks
became lines), so each citation's line is read again from where its first character stands in the
file. Start and end offsets need no such pass: reports map them through the Document's offset maps.
"""

from __future__ import annotations

import dataclasses

from ..models import Citation, Document

__all__ = ["with_source_lines"]


def with_source_lines(document: Document, citations: list[Citation]) -> list[Citation]:
    if not document.source_lines:
        return citations  # the text's lines are the file's
    result = []
    for citation in citations:
        line = document.original_line(citation.span.start)
        result.append(citation if line in (None, citation.line) else dataclasses.replace(citation, line=line))
    return result
