"""Reference entries, author-year citations and credits: found by their shape, then given their roles.

Every sentence here is written for these tests. Each table holds the form that prompted the rule, two
paraphrases (another style guide, another order), and a near miss that must not fire.
"""

from __future__ import annotations

import pytest

from citecheck.extract.credits import find_credits
from citecheck.extract.references import find_references
from citecheck.models import CitationKind, CitedDate, Role


def _entry(text: str):  # type: ignore[no-untyped-def]
    references = find_references(text)
    assert len(references.entries) == 1, references.entries
    entry = references.entries[0]
    part = lambda span: text[span.start : span.end] if span else None  # noqa: E731
    return part(entry.title), part(entry.container), entry.date, entry.accessed


@pytest.mark.parametrize(
    ("text", "title", "container", "date", "accessed"),
    [
        # Wikipedia as rendered: the access date is never the entry's date
        (
            'References\n  1. Lena Hart (2017). "Rivers of the North". '
            "The Example Review. Retrieved 4 May 2019.",
            "Rivers of the North",
            "The Example Review",
            CitedDate(2017, None),
            CitedDate(2019, 5, 4),
        ),
        (
            'References\n  2. "Harbour plans approved". Northern Gazette. 9 June 2018. '
            "Retrieved 1 July 2020.",
            "Harbour plans approved",
            "Northern Gazette",
            CitedDate(2018, 6, 9),
            CitedDate(2020, 7, 1),
        ),
        # APA: authors, (date). Title. Container.
        (
            "Hart, L., & Osei, K. (2019, March 5). Rivers of the north. "
            "Journal of Water Policy, 12(3), 45-67.",
            "Rivers of the north",
            "Journal of Water Policy",
            CitedDate(2019, 3, 5),
            None,
        ),
        # MLA: Author. "Title." Container, date, address. Accessed date.
        (
            '- Hart, Lena. "Rivers of the North." The Example Review, 5 Mar. 2019, '
            "https://review.example.org/rivers. Accessed 6 Apr. 2020.",
            "Rivers of the North",
            "The Example Review",
            CitedDate(2019, 3, 5),
            CitedDate(2020, 4, 6),
        ),
        # Chicago note: Author, "Title," Container, date, address.
        (
            "12 Lena Hart, \u201cRivers of the North,\u201d The Example Review, March 5, 2019, "
            "https://review.example.org/rivers.",
            "Rivers of the North",
            "The Example Review",
            CitedDate(2019, 3, 5),
            None,
        ),
        # Harvard book: the publisher after its place
        (
            "\u2022 Hart, L. and Osei, K. (2014) Rivers and Power, Leeds, UK: Northgate Academic Press.",
            "Rivers and Power",
            "Northgate Academic Press",
            CitedDate(2014, None),
            None,
        ),
        # an unquoted report title before its publisher and date (Chicago, corporate author)
        (
            "7 Water Council, Annual Review of Rivers, U.S. Department of Example, June 2021, "
            "https://www.example.gov/review/.",
            None,  # no quotation marks: the title cannot be told from the author
            "U.S. Department of Example",
            CitedDate(2021, 6),
            None,
        ),
    ],
)
def test_an_entry_gives_its_title_container_and_dates(
    text: str, title: str | None, container: str, date: CitedDate, accessed: CitedDate | None
) -> None:
    assert _entry(text) == (title, container, date, accessed)


def test_a_note_citing_several_works_is_one_entry_each() -> None:
    text = (
        "4 On the river treaty, see \u201cTalks Resume,\u201d Daily Example, October 2, 1998, "
        "https://daily.example.com/1998/10/02/talks/; and Lena Hart, \u201cA Long Dry Summer,\u201d "
        "The Example Review, July 1, 2003, https://review.example.org/summer."
    )
    entries = find_references(text).entries
    assert [text[e.container.start : e.container.end] for e in entries if e.container] == [
        "Daily Example",
        "The Example Review",
    ]
    assert [e.date for e in entries] == [CitedDate(1998, 10, 2), CitedDate(2003, 7, 1)]


@pytest.mark.parametrize(
    "text",
    [
        # near misses: numbered prose with a date and a quotation, a numbered list of steps, a dated heading
        '  1. The board met on 3 May 2021 and said it was "deeply concerned" about the river.',
        "1. Open the valve. 2. Wait for 5 minutes.",
        "Background\nThe report, published in 2019, found the river was shrinking.",
    ],
)
def test_prose_is_not_a_reference_entry(text: str) -> None:
    assert find_references(text).entries == ()


def test_a_reference_list_ends_at_the_next_heading() -> None:
    text = "Notes\nHart, Lena. Rivers. Leeds: Northgate, 2014.\nExternal links\nThe river is long, and wide."
    entries = find_references(text).entries
    assert len(entries) == 1 and text[entries[0].span.start :].startswith("Hart")


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Rivers shape states (Hart, 2013: 14).", ["Hart (2013)"]),  # the prompting form, with a page
        ("Rivers shape states (Hart 2013; Osei and Lim, 2016).", ["Hart (2013)", "Osei and Lim (2016)"]),
        ("As Osei and Lim (2016) have argued, rivers shape states.", ["Osei and Lim (2016)"]),
        ("Hart (2013) argues that rivers shape states.", ["Hart (2013)"]),
        ("Hart et al. (2020) found the same.", ["Hart et al. (2020)"]),
        # near misses: a place and a year, a month, a year alone in parentheses
        ("The games in Beijing (2008) drew crowds.", []),
        ("It was signed (March, 2021) in the capital.", []),
        ("The second edition (2011) added maps.", []),
    ],
)
def test_author_year_citations(text: str, names: list[str]) -> None:
    assert [work.name for work in find_references(text).author_years] == names


@pytest.mark.parametrize(
    ("text", "credited"),
    [
        ("A boat on the river.\nPhoto: Example Wire", ["Photo: Example Wire"]),  # the prompting form
        ("Flooded streets. (Image credit: Example Images)", ["Image credit: Example Images"]),
        ("Video by Example TV | Edited by the desk", ["Video by Example TV"]),
        ("Crowds at the dam. (AP Photo/Lena Hart)", ["AP Photo/Lena Hart"]),
        ("LENA HART/AFP/Example Images", ["LENA HART/AFP/Example Images"]),
        (
            "Crowds at the dam on Monday. Lena Hart/AFP via Example Images",
            ["Lena Hart/AFP via Example Images"],
        ),
        ("The flooded hall. Courtesy of Example Museum", ["Courtesy of Example Museum"]),
        ("Water over the road. File photo: Example Wire", ["File photo: Example Wire"]),
        (
            "\u56fe\u7247\u6765\u6e90\uff1aExample/L. Hart\n",
            ["\u56fe\u7247\u6765\u6e90\uff1aExample/L. Hart"],
        ),
        ("Lena Hart via Example Images", ["Lena Hart via Example Images"]),
        ("Crowds at the dam.\nTOM WEIR via Example Wire.\nThe vote", ["TOM WEIR via Example Wire"]),
        # near misses: "via" inside a sentence, a poll named with a slash, a picture described, a slash
        ("The figures came via Example Wire on Monday.", []),
        ("Aid arrived via Example Port.\nMore later", []),
        ("A Reuters/Ipsos poll found support was falling.", []),
        ("In the photo: a man stands by the dam.", []),
        ("A photo of the dam by the river.", []),
        ("They rode to Paris/London and back.", []),
    ],
)
def test_credits(text: str, credited: list[str]) -> None:
    assert sorted(text[span.start : span.end] for span in find_credits(text)) == sorted(credited)


def test_a_credited_outlet_gets_the_credit_role(extract) -> None:  # type: ignore[no-untyped-def]
    for text in ["Photo: Reuters", "A flooded road. (Reuters Photo/Lena Hart)", "Lena Hart/Reuters"]:
        [citation] = [c for c in extract(text) if c.outlet is not None]
        assert citation.role is Role.CREDIT, text
    # near miss: the same agency relied on in prose
    [cited] = [c for c in extract("Reuters reported that the dam held.") if c.outlet is not None]
    assert cited.role is Role.CITED


def test_a_reference_entry_cites_its_container_with_its_date(extract) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The dam held.[1]\n\nReferences\n"
        '  1. "Dam holds after storm". The Guardian. 5 March 2021. Retrieved 6 March 2021.\n'
        '  2. Hart, Lena (2020). "Why CNN covered the flood". Example Review. Retrieved 1 May 2021.\n'
    )
    citations = extract(text)
    guardian = next(c for c in citations if c.outlet is not None and c.outlet.id == "the-guardian")
    assert (guardian.role, guardian.date, guardian.cue) == (
        Role.CITED,
        CitedDate(2021, 3, 5),
        "reference entry",
    )
    cnn = next(c for c in citations if c.outlet is not None and c.outlet.id == "cnn")
    assert cnn.role is not Role.CITED  # named in a title: what the work is about


def test_a_container_the_prose_rules_miss_is_added_by_name(extract) -> None:  # type: ignore[no-untyped-def]
    text = "Notes\n3 Lena Hart, \u201cThe Long Flood,\u201d RAND Corporation, June 2, 2019.\n"
    [rand] = [c for c in extract(text) if c.outlet is not None and c.outlet.id == "rand-corporation"]
    assert (rand.role, rand.date) == (Role.CITED, CitedDate(2019, 6, 2))


def test_an_author_year_citation_is_an_academic_work(extract) -> None:  # type: ignore[no-untyped-def]
    [work] = [c for c in extract("Rivers shape states (Hart, 2013).") if c.kind is CitationKind.WORK]
    assert work.role is Role.CITED and work.date == CitedDate(2013, None)
    assert (
        work.outlet is not None and work.outlet.name == "Hart (2013)" and work.outlet.type.value == "academic"
    )
    # near miss: an outlet with a year is the outlet, not a scholar
    assert not [c for c in extract("Rivers shape states (Reuters, 2013).") if c.kind is CitationKind.WORK]


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("See https://www.example.com/world/2021/03/05/dam-holds for more.", CitedDate(2021, 3, 5)),  # path
        ("See [2021-03-05 report](https://example.com/item/77) for more.", CitedDate(2021, 3, 5)),  # label
        ('See <a href="https://example.com/item/77">5 March 2021 report</a>.', CitedDate(2021, 3, 5)),
        # near miss: a date elsewhere in the sentence is an event, not the link's
        ("The dam broke on 5 March 2021, see https://example.com/item/77 for more.", None),
    ],
)
def test_a_link_is_dated_by_its_address_or_its_label(extract, text: str, date: CitedDate | None) -> None:  # type: ignore[no-untyped-def]
    name = "doc.html" if text.count("<a ") else "doc.md"
    [link] = [c for c in extract(text, name) if c.kind is CitationKind.URL]
    assert link.date == date


@pytest.mark.parametrize(
    ("text", "date"),
    [
        # a note whose address is dated by the report it gives
        (
            "7 The closure was reported by the Example Post on 9 May 2020, https://post.example.com/n/1.",
            "2020-05-09",
        ),
        (
            "7. As the agency announced in June 2019, https://agency.example.gov/notice/4 has the text.",
            "2019-06",
        ),
        (
            "[7] Example Wire wrote on March 2, 2018 that the dam was shut: https://wire.example.com/s/9",
            "2018-03-02",
        ),
        # near miss: the date of an event, with no report dated by it
        ("7 The dam was shut on 9 May 2020 after the storm, see https://post.example.com/n/1.", None),
    ],
)
def test_a_note_with_an_address_is_dated_by_the_report_it_gives(extract, text: str, date: str | None) -> None:  # type: ignore[no-untyped-def]
    [link] = [c for c in extract(text) if c.kind is CitationKind.URL]
    assert (link.date.iso() if link.date else None) == date


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        # a line of its own with a name, a date and an address is an entry, list mark or none
        ("Example Wire, 3 May 2021, https://wire.example.com/s/1", True),
        ("- Example Wire, \u201cDam holds,\u201d 3 May 2021", True),
        ("Example Wire, \u201cDam holds,\u201d 3 May 2021, https://wire.example.com/s/1", True),
        # near miss: prose with a date of its own and a quotation, and no list mark
        ("On Monday, May 3, the office denied the story and called it \u201cfalse.\u201d", False),
    ],
)
def test_a_line_of_its_own_is_an_entry_only_with_an_entrys_marks(text: str, entry: bool) -> None:
    assert bool(find_references(text).entries) is entry


@pytest.mark.parametrize(
    ("text", "container", "date"),
    [
        # Wikipedia as rendered, its back-links and a full date after the author
        (
            '^ a b Hart, Lena (5 March 2021). "Dam holds". The Guardian. Retrieved 6 March 2021.',
            "The Guardian",
            "2021-03-05",
        ),
        # a Markdown footnote definition
        (
            '[^dam]: "Dam holds," The Guardian, 3 May 2021, https://example.com/2021/05/03/dam',
            "The Guardian",
            "2021-05-03",
        ),
        # Chicago's book note: the publisher and year in parentheses
        ("[4] Lena Hart, Rivers of the North (Leeds: Northgate Press, 2014), 45.", "Northgate Press", "2014"),
        # near miss: a colon inside a quoted title is no place before a publisher
        ('5. Hart, L. "Rivers: A History," Example Review, 2 June 2015.', "Example Review", "2015-06-02"),
    ],
)
def test_entry_forms_of_other_renderers(text: str, container: str, date: str) -> None:
    [entry] = find_references(text).entries
    assert entry.container is not None and text[entry.container.start : entry.container.end] == container
    assert entry.date is not None and entry.date.iso() == date


def test_a_body_in_the_authors_place_is_cited(extract) -> None:  # type: ignore[no-untyped-def]
    text = '[^1]: Reuters, "Dam holds after the storm," 3 May 2021, https://example.com/item/1'
    [reuters] = [c for c in extract(text, "notes.md") if c.outlet is not None and c.outlet.id == "reuters"]
    assert (reuters.role, reuters.date) == (Role.CITED, CitedDate(2021, 5, 3))
    # near miss: an author who is a person leaves the body named in the title alone
    text = '[^1]: Lena Hart, "Why Reuters left," 3 May 2021, https://example.com/item/1'
    [reuters] = [c for c in extract(text, "notes.md") if c.outlet is not None and c.outlet.id == "reuters"]
    assert reuters.role is not Role.CITED


def test_prose_before_a_year_in_parentheses_is_no_author() -> None:
    assert find_references("- On the same day (May 2013) the two agencies merged.").entries == ()


def test_a_link_on_a_whole_credit_is_a_credit(extract) -> None:  # type: ignore[no-untyped-def]
    text = (
        '<figure><figcaption><a href="https://photos.example.com/u/77">Photo: Lena Hart/Reuters</a>'
        "</figcaption></figure>"
    )
    [link] = [c for c in extract(text, "page.html") if c.kind is CitationKind.URL]
    assert link.role is Role.CREDIT
    # near miss: a link in the caption's own sentence stays a citation
    text = '<p>A dam. Photo: Lena Hart. See <a href="https://news.example.com/d">the report</a>.</p>'
    [link] = [c for c in extract(text, "page.html") if c.kind is CitationKind.URL]
    assert link.role is Role.CITED


@pytest.mark.parametrize(
    ("text", "name", "date"),
    [
        # Harvard book: the publisher after its place
        (
            "References\n\u2022 Osei, K. and Lim, J. (2016) Rivers and Rulers, "
            "Leeds, UK: Northgate Academic Press.",
            "Northgate Academic Press",
            CitedDate(2016, None),
        ),
        # Chicago bibliography book: Place: Publisher, year
        (
            "Notes\n[4] Lena Hart, Dry Seasons (Cork: Saltmarsh Books, 2009), 12.",
            "Saltmarsh Books",
            CitedDate(2009, None),
        ),
        # Chicago note: Author, "Title," Work, date, address
        (
            "9 Lena Hart, \u201cWhy the Weir Failed,\u201d The Lowland Quarterly, January 1, 2001, "
            "https://lowland.example.org/weir.",
            "The Lowland Quarterly",
            CitedDate(2001, 1, 1),
        ),
        # MLA: Author. "Title." Container, date.
        (
            '- Hart, Lena. "Why the Weir Failed." Journal of Lowland Studies, 4 Feb. 2011, '
            "https://lowland.example.org/weir. Accessed 5 May 2012.",
            "Journal of Lowland Studies",
            CitedDate(2011, 2, 4),
        ),
        # APA: authors (year). Title. Container.
        (
            "References\nHart, L., & Osei, K. (2019, March 5). Rivers of the north. "
            "Review of Delta Affairs, 12(3).",
            "Review of Delta Affairs",
            CitedDate(2019, 3, 5),
        ),
    ],
)
def test_a_container_the_registry_does_not_know_is_cited_by_its_name(  # type: ignore[no-untyped-def]
    extract, text: str, name: str, date: CitedDate
) -> None:
    [work] = [c for c in extract(text) if c.kind is CitationKind.WORK and c.outlet is not None]
    assert work.outlet is not None
    assert (work.outlet.name, work.role, work.date) == (name, Role.CITED, date)
    assert work.outlet.id.startswith("work:") and work.outlet.type.value == "unknown"


@pytest.mark.parametrize(
    "text",
    [
        # near misses: the place of a speech before its date, not a publisher; a lower-case description
        # after the title; an unquoted entry whose first parts are an author's names
        "6 Lena Hart, \u201cA River Runs On,\u201d speech to the Delta Council, Leeds, May 2, 2005, "
        "https://delta.example.org/speech.",
        '7 Lena Hart, "A River Runs On," remarks at a hearing, May 2, 2005, https://delta.example.org/h.',
        "References\nHart, Lena. A River Runs On. May 2005.",
        # a single word after a title is as often a place as a work; words for a kind of document
        '2 Author\'s interview, "A River Runs On," Leeds, May 2, 2005.',
        "10 Lena Hart, \u201cA River Runs On,\u201d Unpublished Manuscript, 2011.",
        "11 Lena Hart, \u201cA River Runs On,\u201d Press Release, 4 May 2011.",
    ],
)
def test_a_part_that_is_no_container_is_not_cited_by_its_name(extract, text: str) -> None:  # type: ignore[no-untyped-def]
    assert [c.text for c in extract(text) if c.kind is CitationKind.WORK] == []


@pytest.mark.parametrize(
    ("text", "dated"),
    [
        # the prompting form: outlets the registry knows and a name it does not, each "(Source, date)"
        (
            "The dam held (Reuters, March 3, 2021). The weir was shut (Lowland Courier, March 5, 2021).",
            {"Lowland Courier": "2021-03-05"},
        ),
        # another order of day and month, two sources in one parenthesis, a month and day without a year
        (
            "Barges stopped (Delta Monitor, 4 May 2020; Xinhua, 5 May 2020). Locks opened (Reuters, 9 May).",
            {"Delta Monitor": "2020-05-04"},
        ),
        (
            "Levels fell (Xinhua, June 2) and then rose again (Lowland Courier, June 9).",
            {"Lowland Courier": "--06-09"},
        ),
        # near misses: with no known outlet in that form a place and a date are no citation; a weekday
        # is never a source
        ("The treaty was signed (Geneva, June 16, 2021) after long talks.", {}),
        ("The dam held (Reuters, March 3, 2021) until the storm (Monday, March 8).", {}),
    ],
)
def test_a_name_cited_in_the_documents_source_date_form_is_cited(
    extract, text: str, dated: dict[str, str]
) -> None:  # type: ignore[no-untyped-def]
    works = [c for c in extract(text) if c.kind is CitationKind.WORK]
    assert {c.text: c.date.iso() for c in works if c.date} == dated
    assert all(c.role is Role.CITED and c.cue == "(source, date)" for c in works)


@pytest.mark.parametrize(
    ("text", "container"),
    [
        # a chapter in an edited book: its publisher (APA, Chicago), or the book when no publisher is given
        (
            "References\nHart, L. (2014). The weir. In K. Osei (Ed.), Rivers and rulers (pp. 45-67). "
            "Northgate Press.",
            "Northgate Press",
        ),
        (
            'Bibliography\nHart, Lena. "The Weir." In Rivers and Rulers, edited by Kofi Osei, 45-67. '
            "Saltmarsh Books, 2014.",
            "Saltmarsh Books",
        ),
        (
            'Bibliography\nHart, Lena. "The Weir." In Rivers and Rulers, edited by Kofi Osei, 45-67.',
            "Rivers and Rulers",
        ),
    ],
)
def test_a_chapter_cites_its_books_publisher(extract, text: str, container: str) -> None:  # type: ignore[no-untyped-def]
    works = [c for c in extract(text) if c.kind is CitationKind.WORK and c.outlet is not None]
    assert [(c.outlet.name, c.role) for c in works if c.outlet] == [(container, Role.CITED)]


@pytest.mark.parametrize(
    ("text", "outlet", "date"),
    [
        # Chinese entries: the body before the 《title》, parts cut at ，：。 with no space after them
        (
            "\u53c2\u8003\u6587\u732e\n1. \u65b0\u534e\u793e\uff0c"
            "\u300a\u957f\u6c5f\u6c34\u4f4d\u300b\uff0c2021\u5e743\u67085\u65e5",
            "xinhua",
            "2021-03-05",
        ),
        (
            "\u6ce8\u91ca\n[2] \u300a\u4eba\u6c11\u65e5\u62a5\u300b\uff1a"
            "\u300a\u5927\u575d\u5b89\u5168\u300b\uff0c2019\u5e7412\u67088\u65e5\u3002",
            "peoples-daily",
            "2019-12-08",
        ),
        (
            "\u6ce8\u91ca\n[3] \u300a\u4eba\u6c11\u65e5\u62a5\u300b\uff1a"
            "\u300a\u5927\u575d\u5b89\u5168\u300b\uff0c2019\u5e74\u3002",
            "peoples-daily",
            "2019",
        ),
    ],
)
def test_a_chinese_entry_cites_its_body_with_its_date(extract, text: str, outlet: str, date: str) -> None:  # type: ignore[no-untyped-def]
    [cited] = [c for c in extract(text) if c.outlet is not None and c.outlet.id == outlet]
    assert cited.role is Role.CITED and cited.date is not None and cited.date.iso() == date


def test_a_capital_before_a_notes_date_is_a_place_not_its_government(extract) -> None:  # type: ignore[no-untyped-def]
    for text in [
        "Notes\n1 Interview with a deputy minister, Kyiv, 3 March 2022.",
        '7 Lena Hart, "Talks Resume," speech to the assembly, London, 4 May 2021.',
    ]:
        assert [c.text for c in extract(text) if c.role is Role.CITED] == [], text
    # near miss: the government named by its own name is the container
    text = '8 "Talks Resume," Government of Ukraine, 4 May 2021.'
    [cited] = [c for c in extract(text) if c.role is Role.CITED]
    assert cited.outlet is not None and cited.outlet.id == "gov-ua" and cited.date == CitedDate(2021, 5, 4)
