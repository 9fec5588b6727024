"""Dates: written in prose, read by the document's own day/month order, and carried by cited addresses."""

from __future__ import annotations

import pytest

from citecheck.extract.dates import archive_day, find_dates, parse_date, url_date
from citecheck.models import CitedDate


def _isos(text: str) -> list[str]:
    return [date.iso() for _, _, date in find_dates(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The ministry said so on November 15, 2024.", ["2024-11-15"]),
        ("It appeared on 15 Nov. 2024 and again on the 3rd of December 2024.", ["2024-11-15", "2024-12-03"]),
        ("Filed 2021-03-20; amended 2021/3/24.", ["2021-03-20", "2021-03-24"]),
        ("Published June 11, then in March 2021.", ["--06-11", "2021-03"]),
        ("A leap day: 29 February 2024, but not 29 February 2023.", ["2024-02-29"]),
        ("Version 1.2.2021.5 of the tool; 3 times 4 is 12.", []),  # near miss: numbers, no dates
        # Chinese: year, month and day characters, with or without spaces; a month alone is no date
        ("\u65b0\u534e\u793e2021\u5e743\u67085\u65e5\u62a5\u9053", ["2021-03-05"]),
        (
            "\u4e8e 2019 \u5e74 12 \u6708 8 \u65e5\u53d1\u8868\uff0c3\u670820\u53f7\u66f4\u65b0",
            ["2019-12-08", "--03-20"],
        ),
        ("\u62a5\u544a\u53d1\u8868\u4e8e2018\u5e746\u6708", ["2018-06"]),
        ("\u5171\u8ba13\u6708\uff0c13\u67085\u65e5", []),  # near miss: "three months", no 13th month
    ],
)
def test_dates_as_prose_writes_them(text: str, expected: list[str]) -> None:
    assert _isos(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the construction: 03/04/2021 read by the other numeric dates of the same text
        ("Filed 03/04/2021. Heard 25/04/2021.", ["2021-04-03", "2021-04-25"]),
        ("Filed 03/04/2021. Heard 04/25/2021.", ["2021-03-04", "2021-04-25"]),
        # paraphrases: dots as separators, and the order of dates with month names deciding instead
        ("Signed 02.05.2019 and ratified 14.06.2019.", ["2019-05-02", "2019-06-14"]),
        ("Released 03/04/2021, a day after the 2 April 2021 draft.", ["2021-04-03", "2021-04-02"]),
        ("Released 03/04/2021, a day after the April 2, 2021 draft.", ["2021-03-04", "2021-04-02"]),
        # near miss: nothing in the text tells the order, so the date is left unread rather than guessed
        ("Released 03/04/2021.", []),
        ("Released 05/05/2021.", ["2021-05-05"]),  # the same either way
    ],
)
def test_numeric_dates_follow_the_documents_own_order(text: str, expected: list[str]) -> None:
    assert _isos(text) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.example.com/world/2023/08/25/talks-resume/", "2023-08-25"),  # /YYYY/MM/DD/
        ("https://paper.example.org/world/2022/mar/04/summit-ends", "2022-03-04"),  # month as a word
        ("https://example.net/politics/20230801-vote-delayed.html", "2023-08-01"),  # YYYYMMDD in a slug
        ("https://example.net/html/2021-12/08/page_20211208_1.htm", "2021-12-08"),  # YYYY-MM/DD
        ("https://wire.example.com/story/Article_2015-03-18-ML-Latest/id-4", "2015-03-18"),
        ("https://example.org/search?q=floods&date=2021-03-04", "2021-03-04"),  # a query parameter
        ("https://example.org/2017/04/an-older-story/", "2017-04"),  # a month only
        ("example.org/2019/11/30/schemeless", "2019-11-30"),
        # near misses: an article number, a capture time, a frame size, a year alone
        ("https://example.com/a/some-story/28969701.html", None),
        ("https://web.archive.org/web/20060215200454/http://example.org/page.cfm?id=7", None),
        ("https://cdn.example.com/video/1280x720/clip.mp4", None),
        ("https://example.gov/strategy/2006/", None),
        ("https://example.com/2021/13/40/not-a-date", None),
    ],
)
def test_a_cited_address_carries_its_date(url: str, expected: str | None) -> None:
    found = url_date(url)
    assert (found.iso() if found else None) == expected


def test_an_archived_address_is_dated_by_the_page_it_holds() -> None:
    found = url_date("https://web.archive.org/web/20200101000000/https://example.com/2019/05/06/story")
    assert found is not None and found.iso() == "2019-05-06"


def test_a_year_alone_is_a_date_only_when_it_is_all_there_is() -> None:
    assert parse_date("2013") == CitedDate(2013, None)
    assert CitedDate(2013, None).iso() == "2013"
    assert _isos("In 2013 the office moved.") == []  # a year in prose is not a cited date


@pytest.mark.parametrize(
    ("cited", "document_day", "expected"),
    [
        # a month and day without a year: the document's own year, or the year before if later than it
        (CitedDate(None, 6, 7), "2021-08-01", "2021-06-07"),
        (CitedDate(None, 12, 22), "2017-01-05", "2016-12-22"),
        (CitedDate(None, 2, 29), "2021-03-01", "2020-02-29"),  # 2021 has no 29 February
        # a full date stands; a month, a year, or nothing falls back to the document's own day
        (CitedDate(2019, 5, 4), "2021-08-01", "2019-05-04"),
        (CitedDate(2019, 5), "2021-08-01", "2021-08-01"),
        (None, "2021-08-01", "2021-08-01"),
        # near miss: without the document's day a year is not guessed
        (CitedDate(None, 6, 7), None, None),
    ],
)
def test_an_archive_look_up_borrows_the_documents_year(
    cited: CitedDate | None, document_day: str | None, expected: str | None
) -> None:
    assert archive_day(cited, document_day) == expected
