"""A report's title for a document is the line that names it: each construction with the case that
prompted it, paraphrases, and a near miss that must not be taken for a title."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from citecheck.config import Config
from citecheck.models import Document
from citecheck.pipeline import extract_run
from citecheck.report import json as json_report
from citecheck.report.titles import display_title, title_from_text

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize(
    ("text", "title"),
    [
        # page furniture before the headline
        (
            "Skip to content\n\nXinhua: China Has a Red Line\n\nOn March 20 ...",
            "Xinhua: China Has a Red Line",
        ),
        (
            "Jump to navigation Jump to search\nThe Pacific Police Plan Explained\nBody.",
            "The Pacific Police Plan Explained",
        ),
        (
            "SubscribeLog in\nConnect with us\nChina Insight\n\nWeibo Debate on Video Grows Louder\n",
            "Weibo Debate on Video Grows Louder",
        ),
        # a widget and a date line
        (
            "35.1 C\nTuesday, April 23, 2024\n\nLiaison Department Is a Covert Agency, Experts Say\n",
            "Liaison Department Is a Covert Agency, Experts Say",
        ),
        (
            "12°C Cloudy\n2 March 2021\nHarbour Deal Signed After Long Talks\n",
            "Harbour Deal Signed After Long Talks",
        ),
        # a breadcrumb glued to the headline
        (
            "HomeNewsBriefCartel Suspected of Killings: Police\nBRIEF\n\n"
            "Cartel Suspected of Killings: Police\n",
            "Cartel Suspected of Killings: Police",
        ),
        # a short title its lead repeats
        ("Reference News\n\nReference News (Chinese: 参考消息) is a daily newspaper.\n", "Reference News"),
        ("Kyodo\nKyodo, founded in 1945, is a news agency.\n", "Kyodo"),
        # the headline is simply first
        (
            "Putin wants Ukraine ceasefire on current frontlines\nMOSCOW: Russian President ...",
            "Putin wants Ukraine ceasefire on current frontlines",
        ),
        # near misses: body text is no title
        (
            "Nicaraguan police detained the director of an independent radio show and his siblings on "
            "May 20.\nMore.",
            None,
        ),
        ("personnel often operate under diplomatic cover as\nmembers of the Ministry.\n", None),
        ("Chinese community associations, and sponsoring Chinese\nstudents abroad.\n", None),
        (
            "Endnotes\n\n1 For another turn to assumptions and governing ideas, see the report of 2020.\n",
            None,
        ),
    ],
)
def test_the_title_is_the_line_that_names_the_document(text: str, title: str | None) -> None:
    assert title_from_text(text) == title


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("---\nauthor: someone\ntitle: 'Twitter digest: week 49'\n---\n\nBody", "Twitter digest: week 49"),
        ("Menu\n\n# Russian Propaganda\n\n> a quote", "Russian Propaganda"),
        ("## Weekly digest\nBody", "Weekly digest"),
        ("### A third-level heading alone\nthe body starts here", None),  # a section, not the title
    ],
)
def test_markdown_titles(text: str, title: str | None) -> None:
    assert title_from_text(text, markdown=True) == title


def test_html_and_other_documents_keep_their_metadata_title() -> None:
    document = Document("a.html", "0" * 64, "Skip to content\nBody", 20, "utf-8", "text/html", title="Real")
    assert display_title(document) == "Real"
    assert display_title(None) is None


def test_the_example_documents_get_their_real_titles_in_every_report() -> None:
    result = extract_run(
        [str(EXAMPLES / "red-line-digest.txt"), str(EXAMPLES / "ild-covert-agency.txt")], Config()
    )
    stream = io.StringIO()
    json_report.render(result, stream)
    titles = [document["title"] for document in json.loads(stream.getvalue())["documents"]]
    assert titles[0] == "Xinhua: China Has a Red Line that Cannot Be Touched"  # not "Skip to content"
    assert titles[1].startswith(
        "International Liaison Department of Communist Party of China"
    )  # not "35.1 C"
