"""Vague attributions: unnamed sources the grammar finds through their cue, and anonymity or hearsay
constructions that stand alone (lexicon.yaml, anonymity_phrases).

Rows are (construction, sentence, whether a vague attribution is reported): each construction with its
sentence, two paraphrases and a near miss. All sentences were written for these tests.
"""

from __future__ import annotations

import pytest

CASES = [
    ("anonymity", "He spoke on condition of anonymity.", True),
    ("anonymity", "An aide, speaking on the condition of anonymity, confirmed the trip.", True),
    ("anonymity", "A banker who asked not to be named described the loan.", True),
    ("anonymity", "The engineer, who declined to be identified, said the dam leaked.", True),
    ("anonymity near miss", "The engineer was named in the lawsuit.", False),
    ("hearsay adverb", "The company is reportedly in talks.", True),
    ("hearsay adverb", "The minister allegedly took the money.", True),
    ("hearsay adverb", "Talks had reportedly stalled by Friday.", True),
    ("hearsay adverb near miss", "The company reported a loss.", False),
    ("impersonal", "It is reported that the family controls the firm.", True),
    ("impersonal", "It is widely believed that the plant was sold.", True),
    ("impersonal", "It has been learned that the minister resigned.", True),
    ("impersonal near miss", "It is raining in the capital.", False),
    ("existential", "There were various rumours about his health.", True),
    ("existential", "There have been several reports of shelling.", True),
    ("existential", "There is growing speculation that he will resign.", True),
    ("existential near miss", "There were several tanks on the road.", False),
    ("hearsay complement", "Markets fell amid reports of a coup.", True),
    ("hearsay complement", "The week began with rumours that the bank would fail.", True),
    ("hearsay complement", "The mine closed following claims that it was unsafe.", True),
    ("hearsay complement near miss", "The mine closed after the storm.", False),
    ("hearsay passive", "The boat was thought to belong to a smuggler.", True),
    ("hearsay passive", "The general is believed to have fled.", True),
    ("hearsay passive", "Two of the men are suspected to have crossed the border.", True),
    ("hearsay passive near miss", "The boat was built to last.", False),
    ("speculation", "The latest speculation is that he will run.", True),
    ("speculation", "Rumours have swirled that the coach will quit.", True),
    ("speculation near miss", "Speculators have bought the bonds.", False),
    ("speculation", "Rumour has it that the coach will quit.", True),
    # unnamed sources through their cue (the grammar)
    ("unnamed", "Some analysts say the plan failed.", True),
    ("unnamed", "Foreign experts have pointed out that this is a breach.", True),
    ("unnamed", "Another overseas tipster said that a director fled.", True),
    ("unnamed", "Netizens reported that the letter first appeared online.", True),
    ("unnamed", "According to a source, the plan failed.", True),
    ("unnamed", "According to U.S. officials, the plan failed.", True),
    ("unnamed", "Several media outlets reported the arrest.", True),
    ("unnamed", "News reports said the siblings were detained.", True),
    ("unnamed", "Officials close to the negotiations expect a delay.", True),
    ("unnamed", "Israeli officials cast doubt on the figures.", True),
    ("unnamed", "A senior diplomat gave a similar assessment.", True),
    ("unnamed near miss", "Reuters said the talks ended.", False),
    ("unnamed near miss", "The minister, Chen Yixin, said the internet is a battlefield.", False),
    ("unnamed near miss", "According to reports by Reuters and Kyodo News, the talks failed.", False),
    ("unnamed near miss", "The ship was named after him.", False),
    # a named person described after a comma, the closing comma left out: the description is no source
    ("named apposition", "Jane Roe, a senior official at the ministry said the plan failed.", False),
    ("named apposition", "Tom Weir, another board member told staff the plan failed.", False),
    ("named apposition", "Ana María Ruiz, a former diplomat warned that talks would stall.", False),
    ("named apposition near miss", "In Paris, a senior official said the plan failed.", True),
    ("named apposition near miss", "Jane Roe, two officials said, left the ministry.", True),
    # a title's prepositional phrase, then the name of the person holding it
    ("title then name", "Secretary of Labor Ann Lee said the strike would end.", False),
    ("title then name", "Senior analyst at Amnesty International Tom Weir said the trial was unfair.", False),
    ("title then name", "Former envoy and expert on Russia Jane Roe warned of delays.", False),
    ("title then name near miss", "An official in Buenos Aires said the strike would end.", True),
    ("title then name near miss", "A diplomat in New York City said the strike would end.", True),
    # "via" a common noun is a channel, not a source
    ("channel", "Readers can get the digest via email every morning.", False),
    ("channel", "The judge heard the witness via video link.", False),
    ("channel near miss", "The figures came via a source close to the ministry.", True),
    # a platform before a document noun carries it: the author speaks through a verb, or is unnamed
    ("platform document", "In a Facebook post on Sunday, Jane Roe urged calm.", False),
    ("platform document", "Tom Weir, in an Instagram post, thanked his fans.", False),
    ("platform document near miss", "A Facebook post claimed the vote was rigged.", True),
    # a document done to (aired, printed), not speaking
    ("done to a document", "He spoke in an interview aired on Monday.", False),
    ("done to a document", "She answered in a letter printed by the weekly.", False),
    # speculation needs its content
    ("speculation near miss", "Well, speculation is cheap.", False),
    ("speculation", "The wider speculation was that he would resign.", True),
]


@pytest.mark.parametrize(
    ("construction", "sentence", "is_vague"), CASES, ids=[f"{c[0]}: {c[1][:40]}" for c in CASES]
)
def test_vague(vague, construction: str, sentence: str, is_vague: bool) -> None:  # type: ignore[no-untyped-def]
    assert bool(vague(sentence)) is is_vague, (construction, vague(sentence))


def test_the_vague_span_holds_the_source_and_its_cue(vague) -> None:  # type: ignore[no-untyped-def]
    assert vague("The talks failed, two people familiar with them said on Friday.") == [
        "two people familiar with them said"
    ]
    assert vague("Prices rose, according to unnamed officials.") == ["according to unnamed officials"]


def test_chinese_vague_attributions(extract) -> None:  # type: ignore[no-untyped-def]
    citations = extract("据悉，会谈将于下周举行。有消息人士称，双方分歧仍大。")
    assert [c.text for c in citations if c.kind.value == "vague"] == ["据悉", "有消息人士称"]


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        # a lead and an unnamed source or document
        ("我请教过几位法律专家，他们意见不一。", ["请教过几位法律专家"]),
        ("根据业内人士的说法，价格还会上涨。", ["根据业内人士"]),
        ("查阅数据后发现，出口下降。", ["查阅数据"]),
        # an unnamed source and a verb of saying
        ("还有学者指出，这一做法有风险。", ["还有学者指出"]),
        ("一些分析人士认为，谈判将会延期。", ["一些分析人士认为"]),
        # a text placed in unnamed media
        ("他曾在多家报刊发表评论。", ["在多家报刊发表"]),
        # near misses: a named source, and a noun that only starts like one
        ("据新华社报道，会谈结束。", []),
        ("专家组成员今天开会。", []),
    ],
)
def test_chinese_unnamed_sources(extract, sentence: str, found: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert [c.text for c in extract(sentence) if c.kind.value == "vague"] == found
