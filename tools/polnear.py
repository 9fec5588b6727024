"""Read the PolNeAR attribution corpus (train split only) for the dev tools beside this file.

PolNeAR: Political News Attribution Relations corpus, Edward Newell, Drew Margolin, Derek Ruths,
"An Attribution Relations Corpus for Political News", LREC 2018; https://github.com/networkdynamics/PolNeAR.
It ships without a licence, so the tools take statistics from it and nothing of its text is kept.

PATH is either a bare git directory of the repository (as brought by the search tool's fetch) or a
directory holding an extracted `data/train`. Only paths under data/train/ are ever read: dev and test
are the held-out splits the product is scored on. Articles annotated by several annotators (the
agreement sample) are read once, with the annotation file that sorts first.

Standard library only; the CoreNLP XML is read with regular expressions (it is regular, and this is
several times faster than building an element tree of 800 MB).
"""

from __future__ import annotations

import html
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

SPLIT = "data/train"
CITATION = "PolNeAR v1.0.0 (Newell, Margolin & Ruths, LREC 2018), https://github.com/networkdynamics/PolNeAR"


PRONOUN_TAGS = {"PRP", "PRP$", "WP", "WP$", "WDT"}
PROPER_TAGS = {"NNP", "NNPS"}
COMMON_TAGS = {"NN", "NNS"}
NER_NAMES = {"PERSON", "ORGANIZATION", "LOCATION", "MISC"}


@dataclass(frozen=True, slots=True)
class Token:
    index: int  # 1-based within its sentence, as in CoreNLP
    word: str
    lemma: str
    start: int
    end: int
    pos: str
    ner: str


@dataclass(slots=True)
class Sentence:
    tokens: list[Token]
    heads: dict[int, tuple[int, str]] = field(default_factory=dict)  # dependent -> (governor, relation)

    def children(self, index: int) -> list[tuple[int, str]]:
        return [(dep, rel) for dep, (gov, rel) in self.heads.items() if gov == index]


@dataclass(frozen=True, slots=True)
class Attribution:
    sources: tuple[tuple[int, int], ...]  # character spans; a span may be discontinuous
    cues: tuple[tuple[int, int], ...]
    contents: tuple[tuple[int, int], ...]


@dataclass(slots=True)
class Article:
    name: str
    text: str
    attributions: list[Attribution]
    sentences: list[Sentence] | None  # None when the CoreNLP file is absent


class _Files:
    """Text of files under data/train, from a bare git directory or an extracted tree."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.git = (root / "HEAD").is_file() and (root / "objects").is_dir()

    def names(self, folder: str) -> list[str]:
        path = f"{SPLIT}/{folder}"
        if self.git:
            out = subprocess.run(
                ["git", "--git-dir", str(self.root), "ls-tree", "--name-only", f"HEAD:{path}"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            return sorted(out.split())
        return sorted(p.name for p in (self.root / path).iterdir())

    def read_many(self, folder: str, names: list[str]) -> Iterator[tuple[str, str | None]]:
        """(name, text or None if absent), in the order given; git reads go through one process."""
        if not self.git:
            for name in names:
                path = self.root / SPLIT / folder / name
                yield name, path.read_text(encoding="utf-8") if path.is_file() else None
            return
        proc = subprocess.Popen(
            ["git", "--git-dir", str(self.root), "cat-file", "--batch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        assert proc.stdin is not None and proc.stdout is not None
        try:
            for name in names:
                proc.stdin.write(f"HEAD:{SPLIT}/{folder}/{name}\n".encode())
                proc.stdin.flush()
                header = proc.stdout.readline().decode().split()
                if len(header) < 3:
                    yield name, None  # listed in the tree but its object is not in this copy
                    continue
                body = proc.stdout.read(int(header[2]))
                proc.stdout.read(1)  # the newline after each object
                yield name, body.decode("utf-8") if header[1] == "blob" else None
        finally:
            proc.stdin.close()
            proc.wait()


def _spans(field_text: str) -> tuple[tuple[int, int], ...]:
    return tuple((int(a), int(b)) for a, b in (part.split() for part in field_text.split(";")))


def parse_ann(text: str) -> list[Attribution]:
    """brat standoff: T lines are spans, E lines link Source/Cue/Content spans into one attribution."""
    spans: dict[str, tuple[tuple[int, int], ...]] = {}
    events: list[dict[str, list[str]]] = []
    for line in text.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            _label, _, offsets = parts[1].partition(" ")
            spans[parts[0]] = _spans(offsets)
        elif line.startswith("E") and len(parts) >= 2:
            roles: dict[str, list[str]] = {}
            for arg in parts[1].split()[1:]:
                role, _, ref = arg.partition(":")
                roles.setdefault(role.rstrip("0123456789"), []).append(ref)
            events.append(roles)
    found = []
    for roles in events:

        def joined(role: str, roles: dict[str, list[str]] = roles) -> tuple[tuple[int, int], ...]:
            return tuple(s for ref in roles.get(role, []) for s in spans.get(ref, ()))

        found.append(Attribution(joined("Source"), joined("Cue"), joined("Content")))
    return found


_SENTENCE = re.compile(r"<sentence id=\"\d+\">(.*?)</sentence>", re.S)
_TOKEN = re.compile(
    r"<token id=\"(\d+)\">\s*<word>(.*?)</word>\s*<lemma>(.*?)</lemma>\s*"
    r"<CharacterOffsetBegin>(\d+)</CharacterOffsetBegin>\s*<CharacterOffsetEnd>(\d+)</CharacterOffsetEnd>\s*"
    r"<POS>(.*?)</POS>\s*<NER>(.*?)</NER>",
    re.S,
)
_BASIC = re.compile(r"<dependencies type=\"basic-dependencies\">(.*?)</dependencies>", re.S)
_DEP = re.compile(r"<dep type=\"([^\"]+)\">\s*<governor idx=\"(\d+)\">.*?<dependent idx=\"(\d+)\">", re.S)


def parse_corenlp(xml: str, with_dependencies: bool = True) -> list[Sentence]:
    sentences = []
    for block in _SENTENCE.finditer(xml):
        body = block.group(1)
        tokens = [
            Token(int(i), html.unescape(w), html.unescape(lem), int(b), int(e), pos, ner)
            for i, w, lem, b, e, pos, ner in _TOKEN.findall(body)
        ]
        sentence = Sentence(tokens)
        basic = _BASIC.search(body) if with_dependencies else None
        if basic:
            for rel, gov, dep in _DEP.findall(basic.group(1)):
                sentence.heads[int(dep)] = (int(gov), rel)
        sentences.append(sentence)
    return sentences


def pos_class(tag: str) -> str:
    if tag.startswith("VB"):
        return "verb"
    if tag.startswith("NN"):
        return "noun"
    if tag in {"IN", "TO"}:
        return "preposition"
    return "other"


def covered(sentences: list[Sentence], spans: tuple[tuple[int, int], ...]) -> list[tuple[int, int]]:
    """(sentence number, token index) of the tokens inside the character spans."""
    return [
        (si, t.index)
        for si, sentence in enumerate(sentences)
        for t in sentence.tokens
        if any(t.start >= a and t.end <= b for a, b in spans)
    ]


def head_of(sentences: list[Sentence], inside: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The token of the span whose governor lies outside it; nouns and verbs win ties."""
    members = set(inside)
    heads = [(si, i) for si, i in inside if (si, sentences[si].heads.get(i, (0, ""))[0]) not in members]
    if not heads:
        return None
    ranked = sorted(heads, key=lambda h: pos_class(sentences[h[0]].tokens[h[1] - 1].pos) == "other")
    return ranked[0]


def noun_below_quantifier(sentence: Sentence, index: int) -> int | None:
    """ "some of the officials": the head is "some"; the noun it quantifies hangs below by nmod."""
    for child, rel in sentence.children(index):
        if (
            rel.startswith("nmod")
            and sentence.tokens[child - 1].pos in COMMON_TAGS | PROPER_TAGS | PRONOUN_TAGS
        ):
            return child
    return None


def source_head(
    sentences: list[Sentence], spans: tuple[tuple[int, int], ...]
) -> tuple[int, int, str | None] | None:
    """(sentence number, head token index, quantifier lemma) of a source span; "some of X" gives X."""
    inside = covered(sentences, spans)
    members = set(inside)
    heads = [(si, i) for si, i in inside if (si, sentences[si].heads.get(i, (0, ""))[0]) not in members]
    if not heads:
        return None
    # a noun or pronoun wins over a verb: in "We've" both "We" and "'ve" hang outside the span
    nominal = COMMON_TAGS | PROPER_TAGS | PRONOUN_TAGS
    si, index = min(heads, key=lambda h: sentences[h[0]].tokens[h[1] - 1].pos not in nominal)
    token = sentences[si].tokens[index - 1]
    if token.pos not in COMMON_TAGS | PROPER_TAGS | PRONOUN_TAGS:
        below = noun_below_quantifier(sentences[si], index)
        if below is not None:
            return si, below, token.lemma.lower()
    return si, index, None


def articles(path: str | Path, limit: int | None = None, with_dependencies: bool = True) -> Iterator[Article]:
    files = _Files(Path(path))
    ann_by_article: dict[str, str] = {}
    for ann in files.names("attributions"):
        article = re.sub(r"_[0-9a-f]{4}\.ann$", "", ann)
        ann_by_article.setdefault(article, ann)  # first annotator in sorted order
    names = sorted(n.removesuffix(".txt") for n in files.names("text"))[:limit]
    texts = files.read_many("text", [f"{n}.txt" for n in names])
    anns = files.read_many("attributions", [ann_by_article.get(n, "") for n in names])
    xmls = files.read_many("corenlp", [f"{n}.txt.xml" for n in names])
    for name, (_, text), (_, ann), (_, xml) in zip(names, texts, anns, xmls, strict=True):
        if text is None:
            continue
        sentences = parse_corenlp(xml, with_dependencies) if xml else None
        yield Article(name, text, parse_ann(ann or ""), sentences)
