"""Archive wire formats without a server: timestamps, link-format, CDX shapes, truncated-URL completion."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from citecheck.archive import plausible_completions
from citecheck.archive.memento import nearest_memento, parse_link_format
from citecheck.archive.provider import http_date, payload_digest, timestamp14, timestamp_datetime
from citecheck.archive.wayback import parse_cdx, usable_prefix


def test_timestamps_round_trip() -> None:
    when = datetime(2020, 3, 15, 12, 30, 5, tzinfo=UTC)
    assert timestamp14(when) == "20200315123005"
    assert timestamp_datetime("20200315123005") == when
    assert timestamp_datetime("2020") == datetime(2020, 1, 1, tzinfo=UTC)
    assert timestamp_datetime("202003") == datetime(2020, 3, 1, tzinfo=UTC)
    assert timestamp_datetime("20201399") is None
    assert http_date(when) == "Sun, 15 Mar 2020 12:30:05 GMT"


def test_link_format_with_commas_and_quotes() -> None:
    text = (
        '<http://a.example/>; rel="original", '
        '<http://arc.example/20200101000000/http://a.example/>; rel="first memento"; '
        'datetime="Wed, 01 Jan 2020 00:00:00 GMT", '
        '<http://arc.example/20210101000000/http://a.example/>; rel="memento"; '
        'datetime="Fri, 01 Jan 2021 00:00:00 GMT"; '
        'title="a, b; c"'
    )
    links = parse_link_format(text)
    assert [link.rels for link in links] == [("original",), ("first", "memento"), ("memento",)]
    assert links[2].params["title"] == "a, b; c"
    nearest = nearest_memento(links, datetime(2020, 9, 1, tzinfo=UTC))
    assert nearest is not None and nearest.target.startswith("http://arc.example/2021")


def test_cdx_shapes() -> None:
    internet_archive = json.dumps(
        [
            ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest"],
            ["com,example)/", "20200101000000", "http://example.com:80/", "text/html", "200", "ABC"],
            ["com,example)/", "20200202000000", "http://example.com/", "warc/revisit", "-", "DEF"],
        ]
    ).encode()
    pywb = (
        b'{"urlkey": "com,example)/", "timestamp": "20200101000000", '
        b'"url": "http://example.com/", "status": "404"}\n'
    )
    plain = b"com,example)/ 20200101000000 http://example.com/ text/html 301 XYZ 512\n"
    first, revisit = parse_cdx(internet_archive)
    assert (first.url, first.status, first.digest) == ("http://example.com:80/", 200, "sha1:ABC")
    assert revisit.status is None
    assert parse_cdx(pywb)[0].status == 404
    assert parse_cdx(plain)[0].status == 301
    assert parse_cdx(b"") == [] and parse_cdx(b"[not json") == []


def test_digest_is_the_warc_payload_form() -> None:
    assert payload_digest(b"") == "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ"


@pytest.mark.parametrize(
    ("truncated", "usable"),
    [
        ("http://x.example/a%E2%8", "http://x.example/a%E2"),
        ("http://x.example/a%", "http://x.example/a"),
        ("http://x.example/a%E2", "http://x.example/a%E2"),
    ],
)
def test_dangling_escapes_are_dropped(truncated: str, usable: str) -> None:
    assert usable_prefix(truncated) == usable


def test_plausible_completions_skip_assets_and_duplicates() -> None:
    archived = [
        "http://news.example.com/2021/strike-ends-after-talks",
        "https://www.news.example.com/2021/strike-ends-after-talks/",
        "http://news.example.com/2021/strike-ends-after-talks/photo.jpg",
        "http://news.example.com:80/2021/strike-ends",
    ]
    assert plausible_completions("http://news.example.com/2021/strike-ends", archived) == [archived[0]]
