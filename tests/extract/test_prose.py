"""Prose and layout citations: source lines, numbered lists, parentheticals, reference entries, datelines,
URLs and domains, fuzzy names; dates are parsed, never invented. The grammar's own tables are in
test_attribution.py, test_sources.py and test_vague.py."""

from __future__ import annotations

import pytest

from citecheck.models import CitationKind, Role


def outlets(citations, role=None):  # type: ignore[no-untyped-def]
    return [
        (c.outlet.id if c.outlet else None, c.role, c.date.iso() if c.date else None)
        for c in citations
        if c.kind in (CitationKind.OUTLET, CitationKind.DOMAIN) and (role is None or c.role is role)
    ]


def one(citations, name):  # type: ignore[no-untyped-def]
    found = [c for c in citations if c.outlet and c.outlet.name == name]
    assert found, f"{name} not found"
    return found[0]


def test_parenthetical_citation_with_date(extract) -> None:  # type: ignore[no-untyped-def]
    citations = extract("The port opened last week. (Nikkei Asia, November 15, 2024)")
    nikkei = one(citations, "Nikkei Asia")
    assert nikkei.role is Role.CITED and nikkei.date.iso() == "2024-11-15"
    # near miss: a name glossed by its short form in brackets is no citation
    glossed = extract("Keywords: elections, Russia Today (RT), media.")
    assert outlets(glossed) == [("rt", Role.MENTIONED, None)]


def test_source_line_then_url_line(extract) -> None:  # type: ignore[no-untyped-def]
    text = "Body text.\n\nSource: Kyodo News, March 17, 2021\n\nhttps://china.kyodonews.net/news/2021/03/x.html\n"
    citations = extract(text)
    kyodo = one(citations, "Kyodo News")
    assert kyodo.role is Role.CITED and kyodo.date.iso() == "2021-03-17" and kyodo.cue == "Source:"
    [url] = [c for c in citations if c.kind is CitationKind.URL]
    assert url.date.iso() == "2021-03-17" and url.outlet is not None and url.outlet.name == "Kyodo News"
    assert "Body text" in url.context


def test_numbered_source_list(extract) -> None:  # type: ignore[no-untyped-def]
    text = "Sources:\n1. Xinhua, March 20, 2021\n2. Kyodo News, March 17, 2021\n"
    citations = extract(text)
    assert one(citations, "Kyodo News").date.iso() == "2021-03-17"
    assert one(citations, "Kyodo News").role is Role.CITED


def test_partial_date_keeps_year_unknown(extract) -> None:  # type: ignore[no-untyped-def]
    citations = extract("On June 15, the People's Daily published an article on loyalty.")
    daily = one(citations, "People's Daily")
    assert daily.role is Role.CITED and daily.date.iso() == "--06-15"


def test_according_to_and_reporting_verbs(extract) -> None:  # type: ignore[no-untyped-def]
    citations = extract("According to The Australian, jobs were listed. Xinhua reported that talks ended.")
    assert one(citations, "The Australian").role is Role.CITED
    assert one(citations, "Xinhua News Agency").role is Role.CITED


def test_the_plus_adjective_is_not_the_newspaper(extract) -> None:  # type: ignore[no-untyped-def]
    citations = extract("The Australian government revoked the visa.")
    assert not [c for c in citations if c.outlet and c.outlet.name == "The Australian"]


def test_mere_mention_is_mentioned(extract) -> None:  # type: ignore[no-untyped-def]
    citations = extract("Police visited the offices of Kyodo News yesterday.")
    assert one(citations, "Kyodo News").role is Role.MENTIONED


def test_names_inside_quoted_speech_are_mentioned(extract) -> None:  # type: ignore[no-untyped-def]
    citations = extract(
        "The article starts, \u201cOn March 17, the Kyodo News reported a so-called story.\u201d"
    )
    assert one(citations, "Kyodo News").role is Role.MENTIONED


def test_statement_and_leading_verb(extract) -> None:  # type: ignore[no-untyped-def]
    citations = extract(
        'Records were stolen, said an FBI statement. "It is serious," said the U.S. State Department.'
    )
    roles = {
        c.outlet.abbreviations[0] if c.outlet.abbreviations else c.outlet.name: c.role
        for c in citations
        if c.outlet
    }
    assert Role.CITED in roles.values()
    fbi = [c for c in citations if c.text == "FBI"]
    assert fbi and fbi[0].role is Role.CITED


def test_spokesperson_cites_but_membership_only_mentions(extract) -> None:  # type: ignore[no-untyped-def]
    cited = extract("A spokesman for the Henry Jackson Society said the ring was organised.")
    mentioned = extract("Bondaz, a member of the Henry Jackson Society, wrote a book.")
    assert one(cited, "The Henry Jackson Society").role is Role.CITED
    assert one(mentioned, "The Henry Jackson Society").role is Role.MENTIONED


def test_document_nouns_after_a_name(extract) -> None:  # type: ignore[no-untyped-def]
    citations = extract("A Secret Central Intelligence Agency (CIA) Document states that the unit grew.")
    cia = [c for c in citations if c.outlet and c.outlet.id == "cia"]
    assert len(cia) == 1 and cia[0].role is Role.CITED  # the echoed "(CIA)" is not a second hit


def test_shared_abbreviation_settled_by_hints(extract) -> None:  # type: ignore[no-untyped-def]
    czech = extract("The Czech Intelligence Service BIS's 2015 Annual Report names the unit.")
    basel = extract("The BIS annual report in Basel looked at central bank settlements.")
    [first] = [c for c in czech if c.text == "BIS"]
    [second] = [c for c in basel if c.text == "BIS"]
    assert first.outlet.country == "CZ" and first.role is Role.CITED
    assert second.outlet.id != first.outlet.id


def test_abbreviations_only_in_capitals(extract) -> None:  # type: ignore[no-untyped-def]
    assert not [c for c in extract("We ap-proached the bis of it, cia.") if c.kind is CitationKind.OUTLET]


def test_bare_domain_self_citation(extract) -> None:  # type: ignore[no-untyped-def]
    citations = extract("Is it an agency of China? GoaChronicle.com investigates")
    [domain] = [c for c in citations if c.kind is CitationKind.DOMAIN]
    assert domain.role is Role.SELF and domain.outlet is not None and domain.outlet.name == "GoaChronicle"


def test_bare_domains_skip_abbreviations_files_versions_and_email(extract) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The U.S. and e.g. report.pdf, version 2.10.3, mail press@example.com or setup.py; see example.org."
    )
    domains = [c.text for c in extract(text) if c.kind is CitationKind.DOMAIN]
    assert domains == ["example.org"]


def test_fuzzy_match_only_next_to_a_cue(extract) -> None:  # type: ignore[no-untyped-def]
    listed = extract(
        "The list reached four media organizations: The Sunday Mall in Great Britain and others."
    )
    assert any(c.outlet and c.outlet.name == "The Sunday Mail" for c in listed)
    plain = extract("We walked to The Sunday Mall for shoes.")
    assert not any(c.outlet and c.outlet.name == "The Sunday Mail" for c in plain)


def test_fuzzy_match_never_swaps_acronyms(extract) -> None:  # type: ignore[no-untyped-def]
    citations = extract("The file was released by the US Government states it clearly.")
    assert not any(c.outlet and c.outlet.id == "uk-government" for c in citations)


def test_possessive_owner_is_only_mentioned(extract) -> None:  # type: ignore[no-untyped-def]
    text = (
        "According to a survey conducted by the Chinese Communist Party's Central Organization Department "
        "in 2011, many left."
    )
    citations = extract(text)
    roles = {c.text: c.role for c in citations if c.kind is CitationKind.OUTLET}
    assert roles["Chinese Communist Party"] is Role.MENTIONED
    assert roles["Central Organization Department"] is Role.CITED


def test_native_script_alias(extract) -> None:  # type: ignore[no-untyped-def]
    citations = extract("据新华社报道，会谈结束。")
    assert any(c.outlet and c.outlet.country == "CN" and c.text == "新华社" for c in citations)


def test_html_hrefs_become_url_citations(extract) -> None:  # type: ignore[no-untyped-def]
    html = "<p>As <a href='https://www.bbc.com/zhongwen/simp/1'>the BBC said</a>, it rained.</p>"
    citations = extract(html, name="page.html")
    [url] = [c for c in citations if c.kind is CitationKind.URL]
    assert url.url == "https://www.bbc.com/zhongwen/simp/1" and url.outlet is not None


def test_an_aside_between_name_and_verb(extract) -> None:  # type: ignore[no-untyped-def]
    citations = extract("The Guardian, citing leaked documents, said the price was higher.")
    assert one(citations, "The Guardian").role is Role.CITED


def test_interview_and_data_cues(extract) -> None:  # type: ignore[no-untyped-def]
    citations = extract(
        "In an interview with Der Spiegel, the minister denied it. Data from the World Bank show debt rose."
    )
    assert one(citations, "Der Spiegel").role is Role.CITED
    assert [c for c in citations if c.outlet and "World Bank" in c.outlet.name][0].role is Role.CITED


def test_html_reference_list_keeps_its_numbers_and_dates(extract) -> None:  # type: ignore[no-untyped-def]
    html = (
        "<p>Lending grew.</p><h2>References</h2><ol>"
        "<li>\u201cPorts\u201d, The Economist, 12 March 2021. <a href='https://www.economist.com/a'>link</a></li>"
        "<li>Lowy Institute, Pacific Aid Map. https://pacificaidmap.lowyinstitute.org/</li></ol>"
    )
    citations = extract(html, name="brief.html")
    economist = one(citations, "The Economist")
    assert economist.role is Role.CITED and economist.date.iso() == "2021-03-12"
    urls = {c.url: c for c in citations if c.kind is CitationKind.URL}
    assert urls["https://www.economist.com/a"].date.iso() == "2021-03-12"
    assert urls["https://pacificaidmap.lowyinstitute.org/"].date is None  # its own item has no date


def test_analysts_at_speak_for_the_institute_but_a_researcher_is_an_affiliation(extract) -> None:  # type: ignore[no-untyped-def]
    cited = extract("Analysts at the Lowy Institute estimate the total at $8 billion.")
    affiliated = extract("Jane Roe, a researcher at the Lowy Institute, said the deal was odd.")
    assert one(cited, "Lowy Institute").role is Role.CITED
    assert one(affiliated, "Lowy Institute").role is Role.MENTIONED


def test_repeated_by(extract) -> None:  # type: ignore[no-untyped-def]
    assert one(extract("The claim was repeated by TASS on Monday."), "TASS").role is Role.CITED


def test_a_wayback_address_belongs_to_the_archived_outlet(extract) -> None:  # type: ignore[no-untyped-def]
    citations = extract(
        "Archived: https://web.archive.org/web/20210320000000/https://www.bbc.com/zhongwen/simp/1"
    )
    [url] = [c for c in citations if c.kind is CitationKind.URL]
    assert url.outlet is not None and url.outlet.name == "BBC Chinese"


def test_a_risky_name_counts_only_with_a_cue_even_when_it_is_the_entry_name(extract) -> None:  # type: ignore[no-untyped-def]
    # "Iran" (the daily) and "Time" (the magazine) list their own names among their risky short names.
    bare = extract("Time will tell. Russia's RT amplified it, as did Iran's Press TV.")
    assert [c.outlet.id for c in bare if c.outlet] == ["press-tv"]
    cued = extract("According to Time, the talks failed.")
    assert [(c.outlet.id, c.role) for c in cued if c.outlet] == [("time", Role.CITED)]
    # The cue before "Iran's" belongs to Press TV; the owner's name alone is not worth a citation.
    owned = extract("According to Iran's Press TV, the talks failed.")
    assert [(c.outlet.id, c.role) for c in owned if c.outlet] == [("press-tv", Role.CITED)]


def test_a_the_name_followed_by_a_reporting_verb_is_the_outlet(extract) -> None:  # type: ignore[no-untyped-def]
    assert outlets(extract("The Hill reported that the talks failed.")) == [("the-hill", Role.CITED, None)]
    assert outlets(extract("The Diplomat said the talks had failed.")) == [("the-diplomat", Role.CITED, None)]
    # the newspaper The Australian is not named here; the government is, and says it (#14, resolution)
    said = extract("The Australian government said the talks failed.")
    assert outlets(said) == [("gov-au", Role.CITED, None)]


def test_a_cue_before_a_possessive_owner_belongs_to_the_outlet(extract) -> None:  # type: ignore[no-untyped-def]
    assert outlets(extract("The deal was signed (Japan's Kyodo, May 2, 2023).")) == [
        ("kyodo-news", Role.CITED, "2023-05-02")
    ]
    kremlin = extract("As reported by the Kremlin's RT, the talks failed.")
    roles = [(c.outlet.id, c.role) for c in kremlin if c.outlet]
    assert roles == [("kremlin", Role.MENTIONED), ("rt", Role.CITED)]
    praised = extract("He praised China's Xinhua for its coverage.")
    assert outlets(praised) == [("xinhua", Role.MENTIONED, None)]


def test_a_reference_on_one_line_is_cited_with_its_date(extract) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Further reading:\n"
        '- Financial Times, "Taiwan braces for pressure", 3 Feb 2024, https://www.ft.com/content/abc123\n'
        "- Xinhua, 5 February 2024\n"
        "Xinhua, which is state-run, was founded in 1931 and now runs bureaus in many countries.\n"
    )
    citations = extract(text)
    assert outlets(citations) == [
        ("financial-times", Role.CITED, "2024-02-03"),
        ("xinhua", Role.CITED, "2024-02-05"),
        ("xinhua", Role.MENTIONED, None),
    ]
    [url] = [c for c in citations if c.kind is CitationKind.URL]
    assert url.date.iso() == "2024-02-03" and url.cue == "Further reading:"  # the list's heading
    # The same name at the head of a long line is prose, whatever date the line holds.
    long_line = "Xinhua, " + "the agency said nothing more about it " * 5 + "on 5 February 2024."
    assert outlets(extract(long_line)) == [("xinhua", Role.MENTIONED, None)]


def test_a_spokesperson_after_the_name_speaks_for_it(extract) -> None:  # type: ignore[no-untyped-def]
    assert outlets(extract("A Reuters spokesperson said the accounts were removed.")) == [
        ("reuters", Role.CITED, None)
    ]
    peskov = extract("The Kremlin press secretary, Dmitry Peskov, said no.")
    assert outlets(peskov) == [("kremlin", Role.CITED, None)]
    declined = extract("A Reuters spokesperson declined to comment.")
    assert outlets(declined) == [("reuters", Role.MENTIONED, None)]


def test_a_date_in_brackets_after_the_cue_is_the_cited_date(extract) -> None:  # type: ignore[no-untyped-def]
    citations = extract("China Daily's editorial (March 20) accused the institute of bias.")
    assert outlets(citations) == [("china-daily", Role.CITED, "--03-20")]


def test_bracketed_footnotes_under_a_references_heading(extract) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Body text.[1]\n\n## References\n\n"
        '[1] Reuters, "China Merchants signs Hambantota deal", July 29, 2017.\n'
        "[2] Ministry of Foreign Affairs of Sri Lanka, press release, 30 July 2017.\n"
        '[3] Lee Jones, "Debunking the Myth", Chatham House, August 2020.\n'
        "See also Dawn's report, https://www.dawn.com/news/1400000, from 12 March 2019.\n"
    )
    citations = extract(text)
    # "Foreign Affairs" inside the ministry's name is not the magazine; the ministry is in the registry.
    assert outlets(citations) == [
        ("reuters", Role.CITED, "2017-07-29"),
        ("mfa-lk-mfa", Role.CITED, "2017-07-30"),
        ("chatham-house", Role.CITED, "2020-08"),
        ("dawn", Role.CITED, None),
    ]
    # A URL inside a sentence of its own takes that sentence's date, not the source line's above it.
    [url] = [c for c in citations if c.kind is CitationKind.URL]
    assert url.date.iso() == "2019-03-12"


def test_wire_datelines_date_their_agency(extract) -> None:  # type: ignore[no-untyped-def]
    assert outlets(extract("BEIJING, March 5 (Xinhua) -- China will keep its budget.")) == [
        ("xinhua", Role.CITED, "--03-05")
    ]
    assert outlets(extract("WASHINGTON, Jan 3, 2024 (Reuters) - The U.S. added firms.")) == [
        ("reuters", Role.CITED, "2024-01-03")
    ]
    # agencies in capitals, several in one dateline
    assert outlets(extract("TAIPEI (REUTERS, AFP) - Warships met at sea.")) == [
        ("reuters", Role.CITED, None),
        ("afp", Role.CITED, None),
    ]
    # near miss: a heading in capitals with brackets is no dateline of an agency
    assert outlets(extract("THE END (OF THE STORY) - nothing more.")) == []


def test_speaking_to_an_outlet_cites_it(extract) -> None:  # type: ignore[no-untyped-def]
    citations = extract("Speaking to Al Jazeera on Sunday, a Hamas official said talks had stalled.")
    # Hamas is in the registry: a named body whose official stays unnamed is cited (as the gold keys do)
    assert outlets(citations) == [("al-jazeera", Role.CITED, None), ("party-ps-hamas", Role.CITED, None)]


def test_chinese_cues_and_vague_attributions(extract) -> None:  # type: ignore[no-untyped-def]
    text = (
        "据新华社3月5日报道，国防预算增长7.2%。《人民日报》发表评论称，这是合理的。"
        "据路透社报道，官员表示关切。有消息人士称，该公司关系密切。新华社是通讯社。"
    )
    citations = extract(text)
    assert outlets(citations) == [
        ("xinhua", Role.CITED, "--03-05"),
        ("peoples-daily", Role.CITED, None),
        ("reuters", Role.CITED, None),
        ("xinhua", Role.MENTIONED, None),  # named, not relied on
    ]
    assert [c.text for c in citations if c.kind is CitationKind.VAGUE] == ["官员表示", "有消息人士称"]


def test_writing_for_and_op_eds_cite_the_outlet(extract) -> None:  # type: ignore[no-untyped-def]
    assert outlets(extract("Writing for Foreign Policy, the author argued for restraint.")) == [
        ("foreign-policy", Role.CITED, None)
    ]
    assert outlets(extract("In an op-ed in The Washington Post, she argued for sanctions.")) == [
        ("washington-post", Role.CITED, None)
    ]


def test_a_date_after_reported_on_and_an_outlet_year_in_brackets(extract) -> None:  # type: ignore[no-untyped-def]
    assert outlets(extract("Xinhua reported on March 20, 2021 that the talks ended.")) == [
        ("xinhua", Role.CITED, "2021-03-20")
    ]
    # A date that is the talks', not the report's, is left alone.
    assert outlets(extract("Xinhua said 3 March talks would start.")) == [("xinhua", Role.CITED, None)]
    assert outlets(extract("The talks ended (Reuters 2021).")) == [("reuters", Role.CITED, None)]


def test_a_description_or_abbreviation_between_name_and_verb(extract) -> None:  # type: ignore[no-untyped-def]
    cases = {
        "The official Xinhua news agency said the talks ended.": "xinhua",
        "The official Korean Central News Agency (KCNA) said the test succeeded.": "kcna",
        "The party's flagship newspaper, the People's Daily, said so.": "peoples-daily",
        "State broadcaster CCTV aired the footage.": "cctv",
    }
    for sentence, outlet in cases.items():
        assert outlets(extract(sentence)) == [(outlet, Role.CITED, None)], sentence
    assert outlets(extract("He met Reuters, said the officials.")) == [("reuters", Role.MENTIONED, None)]


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Follow the author at [@jroe](https://twitter.com/jroe).", Role.MENTIONED),
        ("The crowd chanted [#recount](https://twitter.com/hashtag/recount) all night.", Role.MENTIONED),
        ('<p>More from <a href="https://www.youtube.com/@newsdesk">@newsdesk</a>.</p>', Role.MENTIONED),
        # an account's own page: where someone posts, not a text
        (
            "Follow the reporters on Twitter: https://twitter.com/jroe and https://twitter.com/asmith.",
            Role.MENTIONED,
        ),
        ("Her channel, [Desk News](https://www.youtube.com/@desknews), has 2,000 videos.", Role.MENTIONED),
        # near miss: a link to a post is what the text relies on
        ("The mayor [announced it](https://twitter.com/jroe/status/1234).", Role.CITED),
        ("The mayor [posted the video](https://www.youtube.com/watch?v=abc123).", Role.CITED),
    ],
)
def test_a_link_on_a_handle_or_hashtag_is_no_citation(extract, text: str, role: Role) -> None:  # type: ignore[no-untyped-def]
    name = "doc.html" if text.startswith("<") else "doc.md"
    links = [c for c in extract(text, name) if c.kind is CitationKind.URL]
    assert links and all(link.role is role for link in links)


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        # a post's address names the account that posted it, the source; the platform is its medium
        ("The mayor [announced it](https://twitter.com/jroe/status/1234).", None),
        ("The clip is at https://www.tiktok.com/@cityhall/video/998877 since May.", None),
        ("She wrote https://www.facebook.com/jroe/posts/5566 on Friday.", None),
        # near miss: a platform's own article is its text
        ("The agency's history is [on Wikipedia](https://en.wikipedia.org/wiki/Xinhua).", "wikipedia"),
    ],
)
def test_a_post_is_its_account_s_not_the_platform_s(extract, text: str, outlet: str | None) -> None:  # type: ignore[no-untyped-def]
    [link] = [c for c in extract(text, "doc.md") if c.kind is CitationKind.URL]
    assert link.role is Role.CITED
    assert (link.outlet.id if link.outlet else None) == outlet


@pytest.mark.parametrize(
    ("text", "cited"),
    [
        ("学者批评新浪微博被关闭的评论。", set()),  # Sina Weibo is what was closed
        ("新华社遭到批评的报道引发讨论。", set()),  # Xinhua is what was criticised
        ("新华社报道，会谈结束。", {"xinhua"}),  # near miss: Xinhua reporting
    ],
)
def test_a_chinese_name_before_a_passive_marker_is_no_reporter(extract, text: str, cited: set[str]) -> None:  # type: ignore[no-untyped-def]
    found = {c.outlet.id for c in extract(text) if c.outlet is not None and c.role is Role.CITED}
    assert found == cited
