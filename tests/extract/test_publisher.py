"""The `self` role: only the document's real publisher, known from its title, byline or front matter."""

from __future__ import annotations

import pytest

from citecheck.models import Role

CASES = [
    # the publisher named where a page names itself: the end of its title, a byline, front matter
    (
        "title",
        "Floods close the port | Reuters\n\nThe port closed. Reuters has learned the owners will sue.\n",
        "reuters",
    ),
    (
        "title",
        "Floods close the port - The Guardian\n\nThe Guardian understands the owners will sue.\n",
        "the-guardian",
    ),
    (
        "byline",
        "Floods close the port\nBy Ann Lee, Al Jazeera\n\nAl Jazeera reported that the port closed.\n",
        "al-jazeera",
    ),
    (
        "front matter",
        "---\nurl: https://www.bbc.com/news/world-1\n---\nThe BBC reported that the port closed.\n",
        "bbc",
    ),
]


@pytest.mark.parametrize(("rule", "text", "publisher"), CASES, ids=[c[0] for c in CASES])
def test_the_publisher_citing_itself_is_self(extract, rule: str, text: str, publisher: str) -> None:  # type: ignore[no-untyped-def]
    roles = {c.role for c in extract(text) if c.outlet is not None and c.outlet.id == publisher}
    assert roles == {Role.SELF}, rule


@pytest.mark.parametrize(
    "text",
    [
        # near misses: what the body says never makes an outlet the publisher
        "Floods close the port\n\nReuters has learned that the owners will sue.\n",
        "Port news\n\nThe port closed, The Guardian can reveal.\n",
        # a headline naming a source is not a byline
        "Reuters says the port closed\n\nThe owners will sue.\n",
    ],
)
def test_a_source_in_the_text_is_no_publisher(extract, text: str) -> None:  # type: ignore[no-untyped-def]
    citations = [c for c in extract(text) if c.outlet is not None]
    assert citations and all(c.role is Role.CITED for c in citations), [(c.text, c.role) for c in citations]


@pytest.mark.parametrize(
    "text",
    [
        "---\nfrom: https://twitter.com/jroe/status/123\n---\nThe port closed.\n",
        "---\nurl: https://www.youtube.com/watch?v=abc\n---\nThe port closed.\n",
    ],
)
def test_a_platform_is_no_publisher(extract, text: str) -> None:  # type: ignore[no-untyped-def]
    # a page on a platform is its user's: the platform only carries it
    roles = [c.role for c in extract(text)]
    assert roles and Role.SELF not in roles
