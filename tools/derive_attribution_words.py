#!/usr/bin/env python3
"""Derive citecheck/data/attribution_words.yaml from the PolNeAR train counts.

Usage: python tools/derive_attribution_words.py [--check]

Input : tools/data/polnear-train-counts.yaml (written by tools/polnear_stats.py) and
        tools/data/source-head-labels.yaml (what each frequent source head denotes).
Output: citecheck/data/attribution_words.yaml (generated; do not edit by hand). --check only reports
        whether the output is up to date.

Every list keeps the entries seen at least MIN_COUNT times in train attributions, each with its count.
Further rules, each stated in the output's header:
- reporting verbs: the verb heads at least MIN_CUE_RATE of its own occurrences as a cue (this drops
  "have", "make", "go", which head cues only as parts of longer phrases); forms are those seen at least
  twice under each part-of-speech tag, and regular inflections for the tags not seen;
- unnamed source heads: person or group nouns that stand mostly (>= MIN_UNNAMED_SHARE) plural,
  indefinite or quantified; a noun used mostly as "the nominee" or "his wife" names a known person;
- lead phrases: cue word runs that open with a preposition, or with a participle that appears as a
  cue (almost) only in that form ("according to").
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
COUNTS = REPO / "tools" / "data" / "polnear-train-counts.yaml"
LABELS = REPO / "tools" / "data" / "source-head-labels.yaml"
OUT = REPO / "citecheck" / "data" / "attribution_words.yaml"

MIN_COUNT = 5
MIN_CUE_RATE = 0.2
MIN_CUE_NOUN_RATE = 0.1
MIN_UNNAMED_SHARE = 0.5
FIXED_PARTICIPLE_SHARE = 0.9
WORD = re.compile(r"^[a-z][a-z'-]*$")
PAST_TAGS = ("VBD", "VBN")


def doubles_final(lemma: str) -> bool:
    """One vowel group ending consonant-vowel-consonant: slam -> slammed, chat -> chatting."""
    return bool(re.fullmatch(r"[^aeiou]*[aeiou][bcdfgklmnprstvz]", lemma))


def regular_forms(lemma: str) -> dict[str, str]:
    if re.search(r"(s|x|z|ch|sh|o)$", lemma):
        third = lemma + "es"
    elif re.search(r"[^aeiou]y$", lemma):
        third = lemma[:-1] + "ies"
    else:
        third = lemma + "s"
    stem = lemma + lemma[-1] if doubles_final(lemma) else lemma
    if lemma.endswith("e"):
        past = lemma + "d"
    elif re.search(r"[^aeiou]y$", lemma):
        past = lemma[:-1] + "ied"
    else:
        past = stem + "ed"
    if lemma.endswith("ie"):
        ing = lemma[:-2] + "ying"
    elif lemma.endswith("e") and not lemma.endswith(("ee", "ye", "oe")):
        ing = lemma[:-1] + "ing"
    else:
        ing = stem + "ing"
    return {"base": lemma, "third": third, "past": past, "ing": ing}


def verb_forms(lemma: str, by_tag: dict[str, dict[str, int]]) -> list[str]:
    """Forms seen at least twice, then the regular inflection of every slot with none seen."""
    seen = {
        slot: [w for tag in tags for w, n in by_tag.get(tag, {}).items() if n >= 2 and WORD.match(w)]
        for slot, tags in {
            "base": ("VB", "VBP"),
            "third": ("VBZ",),
            "past": PAST_TAGS,
            "ing": ("VBG",),
        }.items()
    }
    regular = regular_forms(lemma)
    forms: list[str] = []
    for slot in ("base", "third", "past", "ing"):
        for form in seen[slot] or [regular[slot]]:
            if form not in forms:
                forms.append(form)
    return forms


def reporting_verbs(verbs: dict) -> dict:
    fixed = fixed_participles(verbs)
    out = {}
    for lemma, entry in verbs.items():
        if set(entry["forms"].get("VBG", {})) & fixed:
            continue  # "according": a lead phrase, not a verb with tenses
        rate = entry["count"] / max(entry["occurrences"], 1)
        if entry["count"] >= MIN_COUNT and rate >= MIN_CUE_RATE and WORD.match(lemma):
            out[lemma] = {
                "count": entry["count"],
                "cue_rate": round(rate, 2),
                "quoted": round(entry["with_quote_in_content"] / entry["count"], 2),
                "forms": verb_forms(lemma, entry["forms"]),
            }
    return out


def cue_nouns(nouns: dict) -> dict:
    out = {}
    for lemma, entry in nouns.items():
        rate = entry["count"] / max(entry["occurrences"], 1)
        if entry["count"] >= MIN_COUNT and rate >= MIN_CUE_NOUN_RATE and WORD.match(lemma):
            forms = sorted({w for tag in entry["forms"].values() for w in tag if WORD.match(w)})
            out[lemma] = {"count": entry["count"], "cue_rate": round(rate, 2), "forms": forms}
    return out


def fixed_participles(verbs: dict) -> set[str]:
    """Participles that are (almost) the only form their verb takes as a cue: "according"."""
    fixed = set()
    for entry in verbs.values():
        ing = sum(entry["forms"].get("VBG", {}).values())
        if entry["count"] >= MIN_COUNT and ing >= FIXED_PARTICIPLE_SHARE * entry["count"]:
            fixed.update(entry["forms"]["VBG"])
    return fixed


def lead_phrases(runs: dict, prepositions: dict, verbs: dict) -> dict:
    fixed = fixed_participles(verbs)
    out = {}
    for phrase, n in runs.items():
        first = phrase.split()[0]
        if n >= MIN_COUNT and (first in prepositions or first in fixed):
            out[phrase] = {"count": n}
    return out


def noun_forms(lemma: str, seen: dict[str, int]) -> list[str]:
    forms = [w for w, n in seen.items() if WORD.match(w)]
    return forms or [lemma]


def source_heads(heads: dict, labels: dict) -> dict[str, dict]:
    person_like = set(labels["person"]) | set(labels["group"])
    unnamed, documents, bodies, representatives = {}, {}, {}, {}
    for lemma, entry in heads.items():
        if entry["count"] < MIN_COUNT:
            continue
        share = 1 - entry["singular_definite"] / entry["count"]
        row = {"count": entry["count"], "forms": noun_forms(lemma, entry["forms"])}
        if lemma in person_like and share >= MIN_UNNAMED_SHARE:
            unnamed[lemma] = {**row, "unnamed_share": round(share, 2)}
        if lemma in labels["document"]:
            documents[lemma] = row
        if lemma in labels["body"]:
            bodies[lemma] = row
        if lemma in labels["represents_body"]:
            representatives[lemma] = row
    return {
        "unnamed_source_heads": unnamed,
        "representative_heads": representatives,
        "document_nouns": documents,
        "body_nouns": bodies,
    }


def source_modifiers(heads: dict, labels: dict) -> dict[str, dict]:
    """Words attached to person and group heads, summed over those heads, by where they stand."""
    person_like = set(labels["person"]) | set(labels["group"])
    places = {
        "source_determiners": ("det:", "nummod:", "of-quantifier:", "det:qmod:", "det:predet:"),
        "source_adjectives": ("amod:",),
        "source_postmodifiers": ("after:amod:", "after:acl:"),
    }
    totals: dict[str, collections.Counter] = {name: collections.Counter() for name in places}
    for lemma, entry in heads.items():
        if lemma not in person_like:
            continue
        for key, n in entry["with"].items():
            for name, prefixes in places.items():
                prefix = next((p for p in prefixes if key.startswith(p)), None)
                word = key[len(prefix) :] if prefix else ""
                if prefix and not key.startswith("after:acl:relcl:") and WORD.match(word):
                    totals[name][word] += n
    return {
        name: {w: {"count": n} for w, n in counter.most_common() if n >= MIN_COUNT}
        for name, counter in totals.items()
    }


HEADER = """\
# GENERATED by tools/derive_attribution_words.py - do not edit by hand.
# Attribution words derived from counts over the train split of the PolNeAR attribution corpus,
# {corpus},
# made by tools/polnear_stats.py into tools/data/polnear-train-counts.yaml.
# Dev and test were not read. Only single words and short phrases with their counts are kept.
#
# Threshold: every entry was seen at least {min_count} times (count) in annotated train attributions,
# as the head of a cue or of a source span. Further rules:
#   reporting_verbs: cue_rate (cue uses / all uses of the verb in train) >= {cue_rate}. quoted is the
#     share of its attributions whose content holds a quotation mark (speech over thought). forms are
#     those seen at least twice per tense, plus regular inflections for a tense not seen.
#   cue_nouns: nouns heading cues ("his claim that"), cue_rate >= {noun_rate}.
#   lead_phrases: runs inside cues opening with a preposition or with a participle its verb takes as a
#     cue {fixed:.0%} of the time or more ("according to").
#   unnamed_source_heads: person and group nouns heading sources, plural, indefinite or quantified in
#     at least {unnamed:.0%} of uses (unnamed_share); "the nominee" and "his wife" name a known person.
#   representative_heads: person nouns for someone speaking or acting for an organisation.
#   document_nouns / body_nouns: sources that are texts, records or measurements / organisations.
#   source_determiners / _adjectives / _postmodifiers: words attached to person and group source heads.
# What each source head denotes (person, group, body, document) is a human reading of the counted words,
# in tools/data/source-head-labels.yaml.
"""


def derive() -> str:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader reads the counts 10x faster
    counts = yaml.load(COUNTS.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    labels = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    cues = counts["cue_heads"]
    heads = counts["common_noun_source_heads"]
    body = {
        "source": counts["corpus"],
        "split": counts["split"],
        "min_count": MIN_COUNT,
        "reporting_verbs": reporting_verbs(cues["verb"]),
        "cue_nouns": cue_nouns(cues["noun"]),
        "lead_phrases": lead_phrases(
            counts["cue_word_runs_like_lead_phrases"], cues["preposition"], cues["verb"]
        ),
        **source_heads(heads, labels),
        **source_modifiers(heads, labels),
    }
    header = HEADER.format(
        corpus=counts["corpus"],
        min_count=MIN_COUNT,
        cue_rate=MIN_CUE_RATE,
        noun_rate=MIN_CUE_NOUN_RATE,
        fixed=FIXED_PARTICIPLE_SHARE,
        unnamed=MIN_UNNAMED_SHARE,
    )
    return header + as_yaml(body)


def as_yaml(body: dict) -> str:
    """Block style for the lists, one line per entry (flow style) so the file reads as a table."""
    lines = []
    for key, value in body.items():
        if not isinstance(value, dict):
            lines.append(yaml.safe_dump({key: value}, width=200).rstrip())
            continue
        lines.append(f"{key}:")
        for entry, fields in value.items():
            flow = yaml.safe_dump(fields, default_flow_style=True, sort_keys=False, width=10**6).strip()
            lines.append(f"  {yaml.safe_dump(entry).strip().removesuffix(chr(10) + '...')}: {flow}")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the output is up to date")
    args = parser.parse_args()
    text = derive()
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        print("up to date" if current == text else f"{OUT} is out of date", file=sys.stderr)
        return 0 if current == text else 1
    OUT.write_text(text, encoding="utf-8")
    data = yaml.safe_load(text)
    sizes = {k: len(v) for k, v in data.items() if isinstance(v, dict)}
    print(f"wrote {OUT}: {sizes}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
