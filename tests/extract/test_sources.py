"""What a source phrase is: a body (cited), a person speaking for a body (the body cited), an unnamed
person, group or document (vague), a named person alone (neither).

Rows are (rule, sentence, registry ids cited, whether a vague attribution is reported). Each rule has
its sentence, two paraphrases and a near miss. All sentences were written for these tests.
"""

from __future__ import annotations

import pytest

CASES = [
    # a person whose title names a body: the body is cited
    ("title", "A Reuters spokesperson said the accounts were removed.", {"reuters"}, True),
    (
        "title",
        "Pentagon spokesman John Kirby told reporters the drill was routine.",
        {"us-department-of-defense"},
        False,
    ),
    ("title", "The Kremlin press secretary, Dmitry Peskov, said no.", {"kremlin"}, False),
    (
        "title",
        "Ukrainian Foreign Minister Dmytro Kuleba said the offer was a trap.",
        {"ukraine-ministry-of-foreign-affairs"},
        False,
    ),
    ("title", "Russia's foreign minister warned the West again.", {"russia-mfa"}, False),
    ("title", "Analysts at the Lowy Institute estimate the total at $8 billion.", {"lowy-institute"}, True),
    (
        "title near miss: affiliation only",
        "Ann Lee, a member of Chatham House, wrote a memoir.",
        set(),
        False,
    ),
    ("title near miss: no cue", "A Reuters spokesperson declined to comment.", set(), False),
    # unnamed officials of a named body: the body is cited and the phrase is vague
    ("unnamed of a body", "Two White House officials said a deal was close.", {"white-house"}, True),
    (
        "unnamed of a body",
        "A senior official at the State Department confirmed the visit.",
        {"us-department-of-state"},
        True,
    ),
    ("unnamed of a body", "Officials with the FBI said the suspect had fled.", {"fbi"}, True),
    (
        "unnamed of a body near miss: named",
        "FBI Director Anna Ruiz said the suspect had fled.",
        {"fbi"},
        False,
    ),
    # unnamed people and groups: vague
    ("unnamed", "A senior official said the plan was dead.", set(), True),
    ("unnamed", "Two people familiar with the talks said a deal was near.", set(), True),
    ("unnamed", "Critics say the law is too broad.", set(), True),
    ("unnamed", "Chinese state media reported the launch.", set(), True),
    ("unnamed", "A source close to the Kremlin said the talks had stalled.", set(), True),
    ("unnamed", "Police said three men were arrested.", set(), True),
    ("unnamed", "The deal is off, said one diplomat who asked not to be named.", set(), True),
    ("unnamed near miss: one already named", "The spokesman said the talks would resume.", set(), False),
    ("unnamed near miss: a pronoun", "She said the talks would resume.", set(), False),
    # unattributed documents: vague
    ("document", "Polls show the race is tight.", set(), True),
    ("document", "Records showed the payments went on for years.", set(), True),
    ("document", "Recent reports suggest the mine will close.", set(), True),
    ("document", "A new study found the river was polluted.", set(), True),
    ("document near miss: an earlier one", "The report said the river was polluted.", set(), False),
    ("document near miss: negated", "No credible report indicates the vote was rigged.", set(), False),
    ("document near miss: named", "The Mueller report found no such plot.", set(), False),
    ("document near miss: a noun", "He hosts his radio show on Fridays.", set(), False),
    # named people alone: neither
    ("person", "Jane Holt said the trial was unfair.", set(), False),
    ("person", "The trial was unfair, said Jane Holt.", set(), False),
    ("person", "According to Jane Holt, the trial was unfair.", set(), False),
]


@pytest.mark.parametrize(
    ("rule", "sentence", "expected", "is_vague"), CASES, ids=[f"{c[0]}: {c[1][:40]}" for c in CASES]
)
def test_source(cited, vague, rule: str, sentence: str, expected: set[str], is_vague: bool) -> None:  # type: ignore[no-untyped-def]
    assert cited(sentence) == expected, rule
    assert bool(vague(sentence)) is is_vague, (rule, vague(sentence))


def test_a_source_close_to_a_body_does_not_speak_for_it(extract) -> None:  # type: ignore[no-untyped-def]
    citations = extract("A source close to the Kremlin said the talks had stalled.")
    assert [(c.outlet.id, c.role.value) for c in citations if c.outlet] == [("kremlin", "mentioned")]
