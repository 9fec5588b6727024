"""URLs: boundaries, normalisation and named damage."""

from __future__ import annotations

import pytest

from citecheck.extract.urls import diagnose, find_urls, normalise_url


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        ("See https://example.org/a.", "https://example.org/a"),
        ("(https://example.org/a)", "https://example.org/a"),
        ("https://en.wikipedia.org/wiki/Foo_(bar), next", "https://en.wikipedia.org/wiki/Foo_(bar)"),
        ("“https://example.org/q?x=1”", "https://example.org/q?x=1"),
        ("visit www.example.com/page;", "www.example.com/page"),
        ("<https://example.org/x>", "https://example.org/x"),
        ("[text](https://example.org/md)", "https://example.org/md"),
    ],
)
def test_boundaries(text: str, raw: str) -> None:
    [found] = find_urls(text)
    assert found.raw == raw
    assert text[found.start : found.end] == raw


def test_normalisation_keeps_the_path_as_written() -> None:
    assert normalise_url("HTTPS://Example.ORG:443/Path%2Fx?q=1#frag") == "https://example.org/Path%2Fx?q=1"
    assert normalise_url("http://example.org:8080") == "http://example.org:8080/"
    assert normalise_url("www.example.com/a") == "https://www.example.com/a"  # repaired as a reader would
    assert normalise_url("https://bücher.example/") == "https://xn--bcher-kva.example/"


@pytest.mark.parametrize(
    ("raw", "damage"),
    [
        ("https://www.rfi.fr/cn/%E4%B8%93%E5%91", "cut inside a percent-encoded UTF-8 character (%E5%91)"),
        ("https://example.org/a%E", "incomplete percent escape"),
        ("https://example.org/story...", "ellipsis"),
        ("https://example.org:99999/", "impossible port"),
        ("https://exa_mple.org/", "invalid host"),
        ("https://localhost.123/", "invalid host"),
        ("javascript:alert(1)", "unsupported scheme"),
    ],
)
def test_damage_is_named(raw: str, damage: str) -> None:
    assert damage in (diagnose(raw) or "")


def test_complete_percent_encoding_is_fine() -> None:
    assert diagnose("https://www.rfi.fr/cn/%E4%B8%93%E6%A0%8F") is None


def test_url_broken_by_a_line_break() -> None:
    text = "Source: https://example.org/news/2021/03/\nstory-about-things.html\n"
    [found] = find_urls(text)
    assert found.malformed is not None and "line break" in found.malformed


def test_url_slug_cut_at_a_hyphen_by_a_line_break() -> None:
    text = "Available at: https://www.scmp.com/news/china/article/3250000/china-\nsays-talks-stalled\n"
    [found] = find_urls(text)
    assert found.malformed is not None and "line break" in found.malformed
    # A hyphen at a line end before ordinary prose is not a cut address.
    [whole] = find_urls("See https://example.org/a-\nThe next paragraph starts here.\n")
    assert whole.malformed is None


def test_document_date_from_a_dateline() -> None:
    from citecheck.extract.dates import document_date

    assert document_date("35.1 C\nTuesday, April 23, 2024\n\nTitle\n").iso() == "2024-04-23"
    assert document_date("Title\n\nOn June 11, the magazine published it.") is None  # no year: not a dateline
    assert document_date("a\nb\nc\nd\ne\nf\nMarch 3, 2021") is None  # too far down to be the document's own


def test_hidden_direction_controls_are_damage_and_show_in_the_address() -> None:
    # "fdp.exe" after U+202E displays as "exe.pdf": a spoof, never fetched, visible once normalised
    [found] = find_urls("Download https://example.org/files/\u202efdp.exe today")
    assert found.malformed is not None and "U+202E" in found.malformed
    assert found.url == "https://example.org/files/%E2%80%AEfdp.exe"
    assert diagnose("https://example.org/a\u200bb") is not None  # zero-width space
    assert diagnose("https://example.org/\u0645\u062b\u0627\u0644") is None  # right-to-left letters are fine


# A Markdown image inside a link is two addresses: the image's source and the link's target.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # the construction that prompted the rule
            "[![Chart](https://img.example.org/chart.png)](https://data.example.org/series/7)",
            [("https://img.example.org/chart.png", True), ("https://data.example.org/series/7", False)],
        ),
        (  # the same with a title and more text around it
            'See [![region map](https://cdn.example.net/m.jpg "map")](https://atlas.example.net/r) now.',
            [("https://cdn.example.net/m.jpg", True), ("https://atlas.example.net/r", False)],
        ),
        (  # a link whose text is its own address
            "[https://example.com/a](https://example.com/a)",
            [("https://example.com/a", False), ("https://example.com/a", False)],
        ),
        (  # near miss: brackets inside a query string are part of the address
            "Filter: https://example.org/search?tags[]=a&tags[]=b done",
            [("https://example.org/search?tags[]=a&tags[]=b", False)],
        ),
    ],
)
def test_an_image_inside_a_link_gives_two_urls(text: str, expected: list[tuple[str, bool]]) -> None:
    found = find_urls(text)
    assert [(url.raw, url.image) for url in found] == expected
    assert all(text[url.start : url.end] == url.raw for url in found)


@pytest.mark.parametrize(
    ("text", "truncated"),
    [
        ("The story is at https://example.org/politics/2021/03/long-headline-about... in full.", True),
        ("Link: https://news.example.com/world/asia/article-12345\u2026", True),
        ("(see https://example.net/reports/annual-review-of-the-...)", True),
        ("Read it at https://example.org/politics/2021/03/story. Then stop.", False),  # one full stop
        ("It is at https://example.org/a ... and elsewhere.", False),  # an ellipsis of the sentence
    ],
)
def test_a_url_cut_with_an_ellipsis_is_flagged_as_truncated(text: str, truncated: bool) -> None:
    [found] = find_urls(text)
    assert not found.raw.endswith((".", "\u2026"))
    assert (found.malformed is not None and "truncated" in found.malformed) is truncated


@pytest.mark.parametrize(
    ("text", "url"),
    [
        (
            "More at world.example.com/2019/06/02/asia/story/index.html, too.",
            "https://world.example.com/2019/06/02/asia/story/index.html",
        ),
        (
            "Read more at example.org/chart-of-the-month-12/ and here.",
            "https://example.org/chart-of-the-month-12/",
        ),
        ("(news.example.co.uk/world/12345)", "https://news.example.co.uk/world/12345"),
    ],
)
def test_a_bare_domain_with_a_path_keeps_its_path(text: str, url: str) -> None:
    [found] = find_urls(text)
    assert found.url == url and found.malformed is None


@pytest.mark.parametrize(
    "text",
    [
        "The site example.org/ was down.",  # no path: a bare domain, found by domains.py
        "Their U.S./China desk said so.",  # an abbreviation before a slash
        "Edit src/config.py/ or main.md/x then.",  # file names, not hosts
    ],
)
def test_a_bare_domain_without_a_path_is_no_url(text: str) -> None:
    assert find_urls(text) == []


@pytest.mark.parametrize(
    ("raw", "valid"),
    [
        ("http://[2001:db8::1]/status", True),
        ("https://[::1]:8443/a", True),
        ("http://[fe80::1%25eth0]/", False),  # a zone index is no address on the web
        ("http://[2001:db8::zz]/", False),
    ],
)
def test_ipv6_literal_hosts(raw: str, valid: bool) -> None:
    assert (diagnose(raw) is None) is valid
    if valid:
        [found] = find_urls(f"Mirror at {raw} today.")
        assert found.raw == raw and found.url is not None and found.url.startswith(raw.split("]")[0].lower())
