#!/usr/bin/env python3
"""Count attribution cues and source phrases in PolNeAR's train split.

Usage: python tools/polnear_stats.py PATH [--limit N] [--out FILE]

PATH is the corpus as a bare git directory or an extracted tree (see tools/polnear.py). Only
data/train is read. Writes tools/data/polnear-train-counts.yaml: counts of single words and short
lemma n-grams, never sentences (the corpus has no licence; statistics only).

What is counted, per attribution (one annotation file per article):
- the cue: its head token (the one whose governor lies outside the cue span, by CoreNLP's basic
  dependencies), by lemma and part of speech, with the surface forms seen; whether the content holds a
  quotation mark (speech verbs introduce quotes, verbs of thinking rarely do); every lemma n-gram of
  two or three tokens inside the cue span;
- the source: its head token, found the same way (a quantifier head such as "some of X" or "one of X"
  passes to X); its kind (pronoun / proper name by NER / common noun); for common nouns the lemma and
  the words attached to it (determiners, numbers, adjectives, compounds, possessors, and what follows
  it); for proper names the common nouns in compound or apposition with them (their titles); whether
  the source stands before or after the cue.
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import polnear  # noqa: E402

OUT = Path(__file__).resolve().parent / "data" / "polnear-train-counts.yaml"
from polnear import (  # noqa: E402
    COMMON_TAGS,
    NER_NAMES,
    PRONOUN_TAGS,
    PROPER_TAGS,
    covered,
    head_of,
    pos_class,
)

QUOTES = ('"', "\u201c", "\u201d", "''", "``")
# Relations that attach a word before the head noun of a source phrase.
DEFINITE = {"the", "this", "that"}
PRE_RELATIONS = {"det", "amod", "nummod", "compound", "nmod:poss", "det:predet", "advmod", "det:qmod"}


class Counts:
    def __init__(self) -> None:
        self.articles = 0
        self.articles_without_corenlp = 0
        self.attributions = 0
        self.cues: dict[str, dict[str, collections.Counter]] = collections.defaultdict(
            lambda: collections.defaultdict(collections.Counter)
        )
        self.cue_quoted: collections.Counter = collections.Counter()
        self.cue_ngrams: collections.Counter = collections.Counter()
        self.lead_phrases: collections.Counter = collections.Counter()
        self.lead_ngrams: collections.Counter = collections.Counter()
        self.position: collections.Counter = collections.Counter()
        self.kinds: collections.Counter = collections.Counter()
        self.heads: collections.Counter = collections.Counter()
        self.head_forms: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        self.head_before: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        self.head_after: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        self.head_cues: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        self.modifiers: collections.Counter = collections.Counter()
        self.titles: collections.Counter = collections.Counter()
        self.proper_possessed: collections.Counter = collections.Counter()
        self.occurrences: collections.Counter = collections.Counter()  # (pos class, lemma) over all tokens
        self.head_specific: collections.Counter = collections.Counter()
        self.head_modifiers: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)


def word_of(token: polnear.Token) -> str:
    if token.pos in PROPER_TAGS or token.ner in NER_NAMES:
        return f"<{token.ner if token.ner in NER_NAMES else 'NAME'}>"
    return token.lemma.lower()


def count_cue(
    counts: Counts, sentences: list[polnear.Sentence], att: polnear.Attribution, text: str
) -> str | None:
    inside = covered(sentences, att.cues)
    head = head_of(sentences, inside)
    if head is None:
        return None
    token = sentences[head[0]].tokens[head[1] - 1]
    lemma = token.lemma.lower()
    kind = pos_class(token.pos)
    counts.cues[kind][lemma][(token.word.lower(), token.pos)] += 1
    if any(q in text[a:b] for a, b in att.contents for q in QUOTES):
        counts.cue_quoted[(kind, lemma)] += 1
    first = sentences[inside[0][0]].tokens[inside[0][1] - 1]
    if first.pos in {"IN", "TO", "VBG"} and len(inside) <= 4:
        counts.lead_phrases[" ".join(sentences[s].tokens[i - 1].word.lower() for s, i in inside)] += 1
    for si in {si for si, _ in inside}:
        count_lead_phrases(counts, [sentences[si].tokens[i - 1] for s, i in inside if s == si])
        lemmas = [sentences[si].tokens[i - 1].lemma.lower() for s, i in inside if s == si]
        for n in (2, 3):
            for k in range(len(lemmas) - n + 1):
                counts.cue_ngrams[" ".join(lemmas[k : k + n])] += 1
    return lemma


def count_lead_phrases(counts: Counts, tokens: list[polnear.Token]) -> None:
    """Two- or three-word runs of a cue that open with a preposition or participle and end on a noun
    ("in a statement") or are a participle and its preposition ("according to")."""
    for k, first in enumerate(tokens):
        if first.pos not in {"IN", "TO", "VBG"}:
            continue
        for n in (2, 3):
            run = tokens[k : k + n]
            if len(run) < n:
                break
            last = run[-1]
            if last.pos in COMMON_TAGS or (n == 2 and first.pos == "VBG" and last.pos in {"IN", "TO"}):
                counts.lead_ngrams[" ".join(t.word.lower() for t in run)] += 1


def count_source(
    counts: Counts, sentences: list[polnear.Sentence], att: polnear.Attribution, cue: str
) -> None:
    head = polnear.source_head(sentences, att.sources)
    if head is None:
        counts.kinds["no source span" if not att.sources else "no token"] += 1
        return
    before = min(a for a, _ in att.sources) < min((a for a, _ in att.cues), default=0)
    counts.position["before cue" if before else "after cue"] += 1
    si, index, quantifier = head
    sentence = sentences[si]
    token = sentence.tokens[index - 1]
    if token.pos in PRONOUN_TAGS:
        counts.kinds["pronoun"] += 1
    elif token.pos in PROPER_TAGS or token.ner in NER_NAMES:
        counts.kinds[f"proper name: {token.ner if token.ner in NER_NAMES else 'no NER type'}"] += 1
        count_titles(counts, sentence, index, token.ner)
    elif token.pos in COMMON_TAGS:
        counts.kinds["common noun"] += 1
        count_common(counts, sentence, index, token, quantifier, before, cue)
    else:
        counts.kinds[f"other ({token.pos})"] += 1


def count_titles(counts: Counts, sentence: polnear.Sentence, index: int, ner: str) -> None:
    """Common nouns naming the role of a named source: "spokesman Brian Fallon", "X, a senior adviser"."""
    for child, rel in sentence.children(index):
        word = sentence.tokens[child - 1]
        if rel in {"compound", "appos"} and word.pos in COMMON_TAGS:
            counts.titles[(ner, word.lemma.lower())] += 1


def count_common(
    counts: Counts,
    sentence: polnear.Sentence,
    index: int,
    token: polnear.Token,
    quantifier: str | None,
    before: bool,
    cue: str,
) -> None:
    lemma = token.lemma.lower()
    counts.heads[lemma] += 1
    counts.head_forms[lemma][token.word.lower()] += 1
    counts.head_cues[lemma][cue] += 1
    (counts.head_before if before else counts.head_after)[lemma]["n"] += 1
    if quantifier:
        counts.modifiers[("of-quantifier", quantifier)] += 1
        counts.head_modifiers[lemma][f"of-quantifier:{quantifier}"] += 1
    if token.pos == "NNS":
        counts.head_modifiers[lemma]["(plural)"] += 1
    if token.pos == "NN" and any(
        rel == "nmod:poss" or (rel == "det" and sentence.tokens[child - 1].lemma.lower() in DEFINITE)
        for child, rel in sentence.children(index)
    ):
        counts.head_specific[lemma] += 1
    for child, rel in sentence.children(index):
        word = sentence.tokens[child - 1]
        if child < index and rel in PRE_RELATIONS:
            counts.modifiers[(rel, word_of(word))] += 1
            counts.head_modifiers[lemma][f"{rel}:{word_of(word)}"] += 1
            if rel == "nmod:poss" and word.ner in NER_NAMES:
                counts.proper_possessed[(word.ner, lemma)] += 1
        elif child > index and rel in {"amod", "acl", "acl:relcl", "nmod"}:
            counts.modifiers[(f"after:{rel}", word_of(word))] += 1
            counts.head_modifiers[lemma][f"after:{rel}:{word_of(word)}"] += 1


def count_article(counts: Counts, article: polnear.Article) -> None:
    counts.articles += 1
    if article.sentences is None:
        counts.articles_without_corenlp += 1
        return
    for sentence in article.sentences:
        for token in sentence.tokens:
            counts.occurrences[(pos_class(token.pos), token.lemma.lower())] += 1
    for att in article.attributions:
        counts.attributions += 1
        cue = count_cue(counts, article.sentences, att, article.text)
        if cue is not None:
            count_source(counts, article.sentences, att, cue)


def forms_by_tag(forms: collections.Counter) -> dict[str, dict[str, int]]:
    by_tag: dict[str, dict[str, int]] = collections.defaultdict(dict)
    for (word, tag), n in forms.most_common():
        by_tag[tag][word] = n
    return dict(sorted(by_tag.items()))


def sum_counter(counter: collections.Counter) -> int:
    return sum(counter.values())


def top(counter: collections.Counter, minimum: int = 1, limit: int | None = None) -> dict:
    return {k: n for k, n in counter.most_common(limit) if n >= minimum}


def as_yaml(counts: Counts, minimum: int) -> dict:
    cues = {}
    for kind, lemmas in sorted(counts.cues.items(), key=lambda kv: -sum(map(sum_counter, kv[1].values()))):
        rows = sorted(lemmas.items(), key=lambda kv: -sum(kv[1].values()))
        cues[kind] = {
            lemma: {
                "count": sum(forms.values()),
                "occurrences": counts.occurrences[(kind, lemma)],
                "with_quote_in_content": counts.cue_quoted[(kind, lemma)],
                "forms": forms_by_tag(forms),
            }
            for lemma, forms in rows
            if sum(forms.values()) >= minimum
        }
    heads = {
        lemma: {
            "count": n,
            "occurrences": counts.occurrences[("noun", lemma)],
            "singular_definite": counts.head_specific[lemma],
            "before_cue": counts.head_before[lemma]["n"],
            "after_cue": counts.head_after[lemma]["n"],
            "forms": top(counts.head_forms[lemma]),
            "cues": top(counts.head_cues[lemma], limit=5),
            "with": top(counts.head_modifiers[lemma], minimum),
        }
        for lemma, n in counts.heads.most_common()
        if n >= minimum
    }
    modifiers: dict[str, dict[str, int]] = collections.defaultdict(dict)
    for (rel, word), n in counts.modifiers.most_common():
        if n >= minimum:
            modifiers[rel][word] = n
    titles: dict[str, dict[str, int]] = collections.defaultdict(dict)
    for (ner, word), n in counts.titles.most_common():
        if n >= minimum:
            titles[ner][word] = n
    possessed: dict[str, dict[str, int]] = collections.defaultdict(dict)
    for (ner, word), n in counts.proper_possessed.most_common():
        if n >= minimum:
            possessed[ner][word] = n
    return {
        "corpus": polnear.CITATION,
        "split": polnear.SPLIT,
        "licence": "none stated by the corpus; only counts of words and short lemma n-grams are kept here",
        "min_count_listed": minimum,
        "articles": counts.articles,
        "articles_without_corenlp": counts.articles_without_corenlp,
        "attributions": counts.attributions,
        "cue_heads": cues,
        "cue_ngrams": top(counts.cue_ngrams, minimum),
        "cue_phrases_opening_with_preposition_or_participle": top(counts.lead_phrases, minimum),
        "cue_word_runs_like_lead_phrases": top(counts.lead_ngrams, minimum),
        "source_position": dict(counts.position),
        "source_kinds": dict(counts.kinds.most_common()),
        "common_noun_source_heads": heads,
        "common_noun_source_modifiers": dict(modifiers),
        "proper_name_source_titles": dict(titles),
        "common_heads_with_a_named_possessor": dict(possessed),
    }


HEADER = """\
# GENERATED by tools/polnear_stats.py - do not edit by hand.
# Counts over the train split (data/train) of the PolNeAR attribution corpus:
#   {citation}
# Dev and test were not read. The corpus states no licence; this file claims none for it and holds only
# counts of single words and short lemma n-grams. One annotation file per article (the agreement
# sample's first annotator). Heads and parts of speech come from the corpus's own CoreNLP output
# (basic dependencies, 4-class NER). A cue's head is the cue token whose governor lies outside the cue
# span; likewise a source's head. Proper names are written <PERSON>/<ORGANIZATION>/<LOCATION>/<MISC>.
# occurrences: all tokens of that lemma and part of speech in the split, cue or not.
# singular_definite: singular with the/this/that or a possessor ("the nominee", "his wife"), the way a
# known person is named again; the rest are plural, indefinite or quantified ("a spokesman", "officials",
# "two sources", "his aides").
# with: the words attached to a head, as relation:word (det, nummod, amod, compound, nmod:poss, and
# after:... for what follows the head; of-quantifier: "some of X"); "(plural)" counts plural forms.
# cue_phrases_opening_with_...: whole cue spans of up to 4 tokens, lower-cased, such as lead phrases.
# cue_word_runs_like_lead_phrases: 2-3 word runs inside cues opening with a preposition or participle
# and ending on a noun ("in a statement"), or a participle with its preposition ("according to").
# with_quote_in_content: attributions whose content holds a quotation mark (speech, not thought).
# Entries seen fewer than {minimum} times are left out.
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="PolNeAR as a bare git directory or an extracted tree")
    parser.add_argument("--limit", type=int, default=None, help="read only the first N articles")
    parser.add_argument("--min-count", type=int, default=2, help="leave out entries seen fewer times")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    counts = Counts()
    for n, article in enumerate(polnear.articles(args.path, limit=args.limit), 1):
        count_article(counts, article)
        if n % 100 == 0:
            print(f"{n} articles", file=sys.stderr)
    body = yaml.safe_dump(as_yaml(counts, args.min_count), sort_keys=False, allow_unicode=True, width=110)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        HEADER.format(citation=polnear.CITATION, minimum=args.min_count) + body, encoding="utf-8"
    )
    print(
        f"wrote {args.out}: {counts.articles} articles, {counts.attributions} attributions", file=sys.stderr
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
