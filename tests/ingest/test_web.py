"""Documents given by web address: an article page, the same page gone (read from a real pywb), a
MediaWiki article through its API, --urls-from, and the archived copy a wiki reference gives.

Every address is on loopback or under `.invalid`; the pages come from tests/servers/article.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from citecheck.cli import cli
from citecheck.config import ArchiveSettings, Config, NetworkSettings, RegistrySettings
from citecheck.errors import InputError
from citecheck.evaluate import score_document
from citecheck.extract import extract_citations
from citecheck.ingest.remote import read_web_document
from citecheck.models import CitationKind, Role
from citecheck.net import NetClient
from citecheck.pipeline import extract_document, run_check
from citecheck.resolve.registry import load_registry
from tests.servers.article import EARLIER, GONE_ARTICLE, GOV_UK, RELATED, SPUTNIK, ArticleSite
from tests.servers.pywb import STORY, PywbServer

pytestmark = pytest.mark.network

POLYGRAPH = {
    "id": "polygraph-info",
    "name": "Polygraph.info",
    "type": "public_broadcaster",
    "country": "US",
    "domains": ["polygraph.info"],
    "sources": ["test fixture"],
}
GOLD = {  # the answer key for the article (same format as gold.yaml, and its conventions)
    "urls": [{"url": SPUTNIK}, {"url": GOV_UK}, {"url": EARLIER}],
    "cited": [
        {"name": "Sputnik", "type": "state_media", "country": "RU"},
        {"name": "Government of the United Kingdom", "type": "government", "country": "GB"},
        {
            "name": "Polygraph.info",
            "type": "public_broadcaster",
            "country": "US",
            "note": "self-citation: 'Polygraph.info has documented' links the publisher's own earlier story",
        },
    ],
    "mentioned": [],
    "vague": ["citing an unnamed source"],
}


@pytest.fixture(scope="module")
def article_site() -> Iterator[ArticleSite]:
    site = ArticleSite()
    site.start()
    try:
        yield site
    finally:
        site.stop()


def _config(site: ArticleSite, pywb: PywbServer | None) -> Config:
    return Config(
        network=NetworkSettings(
            allow_private_hosts=("127.0.0.1",),
            connect_timeout=2.0,
            read_timeout=2.0,
            total_timeout=5.0,
            retries=0,
            connectivity_check_urls=(site.url("/gone.html"),),
        ),
        archive=ArchiveSettings(providers=(pywb.provider(),) if pywb else (), match_content=False),
        registry=RegistrySettings(outlets=(POLYGRAPH,)),
    )


async def _read(url: str, config: Config, *, offline: bool = False):  # type: ignore[no-untyped-def]
    async with NetClient(config.network) as client:
        return await read_web_document(url, client, config.input, config.archive, offline=offline)


async def test_an_article_page_keeps_its_text_and_in_text_links_only(article_site: ArticleSite) -> None:
    config = _config(article_site, None)
    url = article_site.url("/a/sputnik-johnson-ventilation/30532.html")
    document = await _read(url, config)
    links = {link.url for link in document.links}
    assert links == {SPUTNIK, GOV_UK, EARLIER}  # not the navigation, related stories or footer
    assert not links & set(RELATED)
    assert "Fact checks" not in document.text and "Related stories" not in document.text
    assert "Sputnik News reported" in document.text
    assert (document.publisher, document.date and document.date.iso()) == ("Polygraph.info", "2020-04-06")
    assert document.title == "Update: Sputnik Falsely Says Boris Johnson on Lung Ventilation"
    assert document.note is None


async def test_the_page_publisher_is_the_self_outlet_and_eval_scores_it(article_site: ArticleSite) -> None:
    config = _config(article_site, None)
    url = article_site.url("/a/sputnik-johnson-ventilation/30532.html")
    document = await _read(url, config)
    registry = load_registry(config.registry)
    citations = extract_citations(document, registry)
    own = [c for c in citations if c.url == EARLIER]
    assert own and own[0].role is Role.SELF  # the publisher's own earlier story
    scores = score_document(document, citations, GOLD, registry)
    assert scores.urls.f1 == 1.0, scores.misses
    # the key once listed Polygraph.info as only mentioned, so its self-citation was a strict error
    assert scores.outlets.recall == scores.strict_outlets.precision == 1.0, scores.misses
    assert scores.vague.value == scores.types.value == 1.0, scores.misses


async def test_a_gone_page_is_read_from_its_archived_copy_and_says_so(
    article_site: ArticleSite, pywb_server: PywbServer
) -> None:
    config = _config(article_site, pywb_server)
    document = await _read(GONE_ARTICLE, config)
    assert document.path == GONE_ARTICLE
    assert document.note is not None and document.note.startswith(
        "read from the archived copy from local of 2020-04-07"
    )
    assert "could not be read" in document.note
    assert {link.url for link in document.links} == {SPUTNIK, GOV_UK, EARLIER}
    offline = await _read(GONE_ARTICLE, config, offline=True)
    assert offline.text == document.text
    assert offline.note and offline.note.endswith("offline: the live page was not fetched")


async def test_no_live_page_and_no_copy_is_an_error_naming_both(
    article_site: ArticleSite, pywb_server: PywbServer
) -> None:
    config = _config(article_site, pywb_server)
    with pytest.raises(InputError, match="answered HTTP 404, and no archive provider holds a copy"):
        await _read(article_site.url("/gone.html"), config)


async def test_a_wiki_article_is_read_through_the_mediawiki_api(article_site: ArticleSite) -> None:
    config = _config(article_site, None)
    before = article_site.hits["/w/api.php"]
    document = await _read(article_site.url("/wiki/Reference_News"), config)
    assert article_site.hits["/w/api.php"] == before + 1
    assert document.title == "Reference News"
    assert [r.number for r in document.references] == [1, 2, 3, 4, 5]
    assert document.date and document.date.iso() == "2016-09-17"
    local = extract_document(
        str(Path(__file__).resolve().parents[1] / "data/documents/reference-news.wiki"),
        config,
        load_registry(config.registry),
    )
    assert document.text == local.document.text if local.document else False
    with pytest.raises(InputError, match="no article 'Nothing Here'"):
        await _read(article_site.url("/wiki/Nothing_Here"), config)


def test_check_reads_web_addresses_from_a_list_offline(
    article_site: ArticleSite, pywb_server: PywbServer, tmp_path: Path
) -> None:
    config_path = tmp_path / "config.yaml"
    config_path.write_text(json.dumps(_config(article_site, pywb_server).model_dump(mode="json")))
    listed = tmp_path / "urls.txt"
    listed.write_text(f"# articles to audit\n{GONE_ARTICLE}\n\nhttp://nothing.invalid/story\n")
    output = tmp_path / "report.json"
    arguments = ["check", "--urls-from", str(listed), "--offline", "--config", str(config_path)]
    arguments += ["--db", f"sqlite:///{tmp_path / 'db.sqlite'}", "--format", "json", "-o", str(output), "-q"]
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 2, result.output  # one listed address could not be read (#17)
    report = json.loads(output.read_text())
    gone, nothing = report["documents"]
    assert gone["path"] == GONE_ARTICLE and gone["note"].startswith("read from the archived copy")
    assert {c["url"] for c in gone["citations"] if c["kind"] == "url"} == {SPUTNIK, GOV_UK, EARLIER}
    assert nothing["error"].endswith("no archive provider holds a copy")


def test_check_with_neither_paths_nor_a_list_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["check"])
    assert result.exit_code == 2 and "--urls-from" in result.output


def test_extract_refuses_web_addresses_with_a_reason() -> None:
    result = extract_document("https://example.invalid/x", Config(), load_registry(Config().registry))
    assert result.error and "citecheck check" in result.error


def test_the_archived_copy_a_wiki_reference_gives_is_checked_first(
    article_site: ArticleSite, pywb_server: PywbServer, tmp_path: Path
) -> None:
    gone = article_site.url("/gone.html")
    given = f"{pywb_server.base()}/20200315120000/{STORY}"
    wiki = tmp_path / "budget.wiki"
    wiki.write_text(
        "Parliament passed the budget.<ref>{{cite news |url="
        + gone
        + " |title=Budget passes |work=Example News"
        " |date=15 March 2020 |archive-url=" + given + " |archive-date=15 March 2020}}</ref>\n\n"
        "== References ==\n{{reflist}}\n"
    )
    config = _config(article_site, None)  # no archive provider: nothing would be searched
    result = run_check([str(wiki)], config, database_url=f"sqlite:///{tmp_path / 'db.sqlite'}")
    (item,) = [i for i in result.documents[0].citations if i.citation.kind is CitationKind.URL]
    assert item.citation.archive_url == given and item.citation.cue == "reference [1] (cite news)"
    assert item.link is not None and item.link.status.is_broken
    assert item.snapshot is not None and item.snapshot.found
    assert (item.snapshot.archive, item.snapshot.memento_url) == ("given by the document", given)
    assert item.snapshot.memento_datetime and item.snapshot.memento_datetime.year == 2020
