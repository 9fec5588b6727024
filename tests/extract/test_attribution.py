"""Attribution grammar: which registry names a sentence relies on, construction by construction.

Each table row is (rule, sentence, the registry ids cited). Every rule has the sentence that stands for
it, two paraphrases, and at least one near miss that must not fire (a negation, an audience, a subject
that is no source). All sentences were written for these tests.
"""

from __future__ import annotations

import pytest

CASES = [
    # subject + reporting verb, in any tense and person
    ("subject", "Reuters reported that the talks had stalled.", {"reuters"}),
    ("subject", "The Associated Press has also learned that the plant closed.", {"associated-press"}),
    ("subject", "Xinhua says the harvest was the largest in a decade.", {"xinhua"}),
    ("subject", "The BBC on Tuesday quoted two farmers about the drought.", {"bbc"}),
    ("subject near miss: negated", "Reuters did not report the figure.", set()),
    ("subject near miss: modal", "Reuters will report the figure tomorrow.", set()),
    ("subject near miss: passive", "The figure was reported to Reuters.", set()),
    ("subject near miss: passive", "Reuters was first published in London.", set()),
    ("subject near miss: intention", "Reuters declined to comment on the figure.", set()),
    # an apposition or a bracket between the subject and its verb
    (
        "apposition",
        "Jane Holt, a spokeswoman for Amnesty International, said the trial was unfair.",
        {"amnesty-international"},
    ),
    ("apposition", "The Guardian, citing court papers, said the deal was larger.", {"the-guardian"}),
    ("apposition", "The Korean Central News Agency (KCNA) said the launch succeeded.", {"kcna"}),
    ("apposition", "The Guardian - never a friend of the minister - reported the loan.", {"the-guardian"}),
    ("apposition", '"Wrong," said Dr. Ana Ruiz, the former NIH director, on Monday.', {"nih"}),
    ("apposition near miss: membership", "Tom Weir, a member of the Lowy Institute, wrote a novel.", set()),
    # inverted: the source after the verb
    ("inverted", "The vote was delayed, said the State Department.", {"us-department-of-state"}),
    ("inverted", '"We will not sign," wrote Politico in its morning note.', {"politico"}),
    ("inverted", "The bridge was closed, reported TASS, citing local officials.", {"tass"}),
    ("inverted near miss: object", "Jo Park, a Reuters reader, wrote a letter to the editor.", set()),
    ("inverted near miss: the name is no subject", "He met Reuters, said the officials.", set()),
    # lead phrase + source
    ("lead", "According to Kyodo News, the factory will reopen.", {"kyodo-news"}),
    ("lead", "The factory, according to the Nikkei Asia, will reopen in May.", {"nikkei-asia"}),
    ("lead", "The factory will reopen, per Bloomberg.", {"bloomberg-news"}),
    ("lead", "The paper ran the story citing the Associated Press.", {"associated-press"}),
    ("lead near miss: rate", "Prices rose four per cent in May.", set()),
    # the medium a source spoke to: only a news outlet is cited
    ("medium", "The minister told Reuters that talks would resume.", {"reuters"}),
    ("medium", "In an interview with Der Spiegel, the general defended the plan.", {"der-spiegel"}),
    ("medium", "Speaking to Al Jazeera, a farmer described the floods.", {"al-jazeera"}),
    ("medium near miss: audience", "The envoy told the General Assembly that the war must end.", set()),
    ("medium near miss: audience", "She told the Senate Intelligence Committee little.", set()),
    # the agent of a participle, with coordination
    (
        "agent",
        "The rumour was debunked by Reuters and the Associated Press.",
        {"reuters", "associated-press"},
    ),
    ("agent", "Documents seen by The Guardian show the payments.", {"the-guardian"}),
    ("agent", "A memo obtained by Politico describes the plan.", {"politico"}),
    ("agent", "The figures, compiled and published by the World Bank, show a fall.", {"world-bank"}),
    ("agent near miss: no cue", "The stadium was built by the Pentagon in 1990.", set()),
    ("agent near miss: a paper's publisher", "The weekly is published by Xinhua.", set()),
    ("agent near miss: a paper's publisher", "It is also published by Xinhua in Tibetan.", set()),
    # light verb + statement or document
    ("light verb", "The Kremlin cast doubt on the ceasefire.", {"kremlin"}),
    ("light verb", "The Pentagon made the claim in a briefing.", {"us-department-of-defense"}),
    ("light verb", "The White House gave a different assessment on Monday.", {"white-house"}),
    ("light verb near miss: no statement", "The White House gave a dinner for the visitors.", set()),
    # documents: possessive, by/from, a name before the document, a news outlet's pages
    ("document", "Pew Research Center's survey found wide support.", {"pew-research-center"}),
    ("document", "A poll by Gallup puts the senator ahead.", {"gallup"}),
    ("document", "Data from the World Bank show debt rising.", {"world-bank"}),
    ("document", "An FBI statement described the hack.", {"fbi"}),
    ("document", "The claim first appeared on the Le Monde website.", {"le-monde"}),
    (
        "document",
        "The lead grew to 40 delegates, according to a count by the Associated Press.",
        {"associated-press"},
    ),
    ("document", "The Washington Post's investigative unit reported the payments.", {"washington-post"}),
    ("document near miss: subject of an inquiry", "During the FBI investigation, the firm closed.", set()),
    ("document near miss: an inquiry's agent", "The city waited for the inquiry by the FBI.", set()),
    ("activity near miss: who ran it", "The inquiry was conducted by the FBI over two years.", set()),
    (
        "activity near miss: who ran it",
        "During a review commissioned by the Pentagon, the base closed.",
        set(),
    ),
    ("activity near miss: who ran it", "The investigation is being conducted by lawyers at the FBI.", set()),
    ("activity with a cue of its own", "An investigation conducted by the FBI found no crime.", {"fbi"}),
    ("document by its producer", "A poll conducted by Gallup puts the senator ahead.", {"gallup"}),
    ("document near miss: a place", "She sat in the White House library for his announcement.", set()),
    ("document near miss: a platform", "She deleted the video from her Facebook page.", set()),
    # a document someone else acts on (its object) is named, not relied on; one after a preposition, a
    # lead or a verb of saying or echoing, or the subject of its own verb, still is
    ("document object near miss", "The senator shared an article by The Guardian on the vote.", set()),
    ("document object near miss", "Her aide retweeted a column by Politico about the budget.", set()),
    ("document object near miss", "He forwarded a memo from Bloomberg to his staff.", set()),
    (
        "document after a preposition",
        "In a report by Amnesty International, the trial was called unfair.",
        {"amnesty-international"},
    ),
    (
        "document subject of its own verb",
        "The minister said data from the World Bank showed debt rising.",
        {"world-bank"},
    ),
    ("document echoed", "The speech echoed earlier findings from the World Bank.", {"world-bank"}),
    # a document noun before another noun only modifies it: "an email account" is no email
    ("document noun as modifier", "A man who used an AOL email account sent the files.", set()),
    ("document noun as modifier", "The leak came from an AOL email address.", set()),
    ("document noun as modifier", "Investigators traced the AOL email server.", set()),
    ("document noun as head", "An AOL email to staff announced the cuts.", {"co-aol"}),
    # a venue (website, page, account) names its host: cited only with a text standing on it
    ("venue near miss: removed from", "The essay vanished from the Le Monde website overnight.", set()),
    ("venue near miss: intended", "She plans to post it on the Der Spiegel website.", set()),
    ("venue near miss: intended", "He will publish them on the NPR website.", set()),
    ("venue", "The claim was repeated on the NPR website.", {"npr"}),
    ("venue near miss: a show's host", "Zach Roe is a co-host of the NPR politics podcast.", set()),
    ("venue", "She said on the NPR podcast that the plan failed.", {"npr"}),
    # a label alone on its line ("X Analysis") heads a section, it cites nothing
    ("label near miss", "Xinhua Analysis", set()),
    ("label near miss", "Reuters Poll", set()),
    ("label", "Xinhua analysis shows a rise.", {"xinhua"}),
    # a carrying verb with another's text as object: the subject is only the medium
    ("carrier near miss", "Since 2019 The Guardian has published dozens of letters by the envoy.", set()),
    ("carrier near miss", "Xinhua carried statements from the rebels on Friday.", set()),
    ("carrier", "Xinhua carried a report on the floods.", {"xinhua"}),
    # a document as the subject of "reads"
    ("reads", "The message from Vulture magazine reads: the show stopped.", {"cu-vulture-com"}),
    ("reads", 'A post from Independent magazine reads, "We are alarmed."', {"the-independent"}),
    # names that are not sources
    ("spoof", "A fake BBC article claimed the king had died.", set()),
    ("spoof", "The doctored CNN screenshot said the vote was cancelled.", set()),
    ("quotation", 'He said: "Reuters reported nothing of the sort."', set()),
    ("quotation", "\u201cAccording to the BBC, we lost,\u201d the coach joked.", set()),
    # possessive owners: the outlet after "X's" is the source
    ("owner", "According to China's Xinhua, the talks ended.", {"xinhua"}),
    ("owner", "As reported by the Kremlin's RT, the talks failed.", {"rt"}),
    ("owner near miss", "He praised China's Xinhua for its coverage.", set()),
]


@pytest.mark.parametrize(("rule", "sentence", "expected"), CASES, ids=[f"{c[0]}: {c[1][:40]}" for c in CASES])
def test_cited(cited, rule: str, sentence: str, expected: set[str]) -> None:  # type: ignore[no-untyped-def]
    assert cited(sentence) == expected, rule


def test_a_name_inside_quotation_is_still_reported_as_mentioned(extract) -> None:  # type: ignore[no-untyped-def]
    [reuters] = [c for c in extract('He said: "Reuters reported nothing of the sort."') if c.outlet]
    assert reuters.role.value == "mentioned"


def test_a_risky_short_name_counts_only_as_a_source(extract) -> None:  # type: ignore[no-untyped-def]
    assert [c.outlet.id for c in extract("Time will tell.") if c.outlet] == []
    assert [
        (c.outlet.id, c.role.value) for c in extract("According to Time, the talks failed.") if c.outlet
    ] == [("time", "cited")]
    # a risky name before a document is not its author: "Independent investigations found"
    assert [c for c in extract("Independent investigations found the same.") if c.outlet] == []


@pytest.mark.parametrize(
    ("sentence", "date"),
    [
        ("Xinhua reported on March 20, 2021 that the talks ended.", "2021-03-20"),
        ("On June 15, the People's Daily published an article on loyalty.", "--06-15"),
        ("China Daily's editorial (March 20) accused the institute of bias.", "--03-20"),
        # near miss: the talks' date, not the report's
        ("Xinhua said 3 March talks would start.", None),
        # a date right after the cue with no "on", as news style writes it
        ("Xinhua reported March 20 that the talks had ended.", "--03-20"),
        ("The agency Xinhua said 20 March 2021, in a short note, that the talks ended.", "2021-03-20"),
        # an attribution that closes its sentence: the dates before it are what it reports
        ("The talks ended on 20 March 2021, Xinhua reported.", None),
        ("On 20 March the talks ended in anger, said Xinhua.", None),
        ("The talks ended, Xinhua reported on 21 March 2021.", "2021-03-21"),
        ("Later, on 21 March 2021, Xinhua reported that the talks had ended.", "2021-03-21"),
        # the date of the document that is the cue
        ("Amnesty International's May 2019 report found that the camps had grown.", "2019-05"),
        ("According to a 4 May 2019 report by Reuters, the camps had grown.", "2019-05-04"),
        ("Human Rights Watch's 4 May 2019 statement said that the camps had grown.", "2019-05-04"),
        ("In a May 2019 statement, Amnesty International said the camps had grown.", "2019-05"),
        # near miss: an opening phrase dated by an event, not a document
        ("In the May 2019 floods, Reuters reported that the camps had grown.", None),
    ],
)
def test_the_date_a_cue_gives_its_source(extract, sentence: str, date: str | None) -> None:  # type: ignore[no-untyped-def]
    [citation] = [c for c in extract(sentence) if c.outlet]
    assert (citation.date.iso() if citation.date else None) == date


@pytest.mark.parametrize(
    "sentence",
    [
        "A post from Independent magazine said the vote was over.",
        "A message from Time reads: the vote is over.",
    ],
)
def test_a_document_by_a_risky_name_is_not_vague(vague, sentence: str) -> None:  # type: ignore[no-untyped-def]
    # the author is named, if only by a short name that needs a cue of its own
    assert vague(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "outlet", "is_cited"),
    [
        ("Local station Telemundo 52 reported the closure.", "telemundo", False),
        ("The daily Clarín 24, a local tabloid, said the mine closed.", "clarin", False),
        ("Telemundo 52 has said the mine closed.", "telemundo", False),
        # near misses: a date or a year after the name
        ("Clarín 12 March 2021 reported the closure.", "clarin", True),
        ("The talks ended (Clarín 2021).", "clarin", True),
    ],
)
def test_a_number_after_a_name_makes_a_longer_name(cited, sentence: str, outlet: str, is_cited: bool) -> None:  # type: ignore[no-untyped-def]
    # "Telemundo 52" is a station of its own, not the registry's network
    assert (outlet in cited(sentence)) is is_cited
