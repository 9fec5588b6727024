"""The web-page fixture: an article with site navigation, a related-stories box and a footer around it,
and a MediaWiki-compatible wiki; served on loopback by `ArticleSite`, and archived in pywb (pywb.py).

The article is Polygraph.info's check of a Sputnik report (corpus-dev/news/polygraph-sputnik-johnson-
ventilator.txt, shortened); its in-text link targets were written for this fixture. The page's own
metadata say who published it and when. `GONE_ARTICLE` is the same page at an address that no longer
answers (a `.invalid` host); pywb holds a copy of it.

The wiki answers the MediaWiki API (`/w/api.php?action=query&prop=revisions&titles=...`) with the
wikitext of tests/data/documents/reference-news.wiki, or an article given to `ArticleSite.wiki`.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from .site import HOST, _bind

GONE_ARTICLE = "http://polygraph.invalid/a/sputnik-johnson-ventilation/30532.html"
ARTICLE_PATH = "/a/sputnik-johnson-ventilation/30532.html"
SPUTNIK = "https://sputniknews.com/europe/202004051078857925-johnson-ventilation/"
GOV_UK = "https://www.gov.uk/government/news/pm-statement-on-the-prime-ministers-health-6-april-2020"
EARLIER = "https://www.polygraph.info/a/sputnik-covid-claims/30001.html"
RELATED = (
    "https://www.polygraph.info/a/russia-covid-origin/30400.html",
    "https://www.polygraph.info/a/other/30410.html",
)

ARTICLE_HTML = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Update: Sputnik Falsely Says Boris Johnson on Lung Ventilation | Polygraph.info</title>
<meta property="og:site_name" content="Polygraph.info">
<meta property="og:title" content="Update: Sputnik Falsely Says Boris Johnson on Lung Ventilation">
<meta property="article:published_time" content="2020-04-06T15:35:00Z">
</head><body>
<header><nav><a href="/">Home</a> <a href="/fact-checks">Fact checks</a> <a href="/about">About us</a>
<a href="https://twitter.com/polygraphinfo">Follow us</a></nav></header>
<main><article>
<h1>Update: Sputnik Falsely Says Boris Johnson on Lung Ventilation</h1>
<p>On April 5, the Russian state-owned media outlet <a href="{SPUTNIK}">Sputnik News reported</a> that U.K.
Prime Minister Boris Johnson, who had earlier tested positive for COVID-19 coronavirus, had been admitted to
St. Thomas\u2019 Hospital in London. Sputnik said that Johnson would \u201cundergo artificial lung
ventilation,\u201d citing an unnamed source \u201cclose to the U.K. healthcare authorities.\u201d</p>
<p>That is false.</p>
<p>On Monday, April 6, the U.K. government <a href="{GOV_UK}">denied the story</a> and labeled it
\u201cdisinformation.\u201d</p>
<p>Johnson\u2019s spokesperson also denied the use of ventilation and said that the prime minister was
\u201ccomfortable.\u201d Polygraph.info <a href="{EARLIER}">has documented</a> earlier false claims by
Sputnik about the pandemic.</p>
</article>
<aside class="related"><h2>Related stories</h2><ul>
<li><a href="{RELATED[0]}">Russia pushes a lab-origin story</a></li>
<li><a href="{RELATED[1]}">Another check of state media</a></li></ul></aside>
</main>
<footer><p>Polygraph.info is a fact-checking website produced by Voice of America and Radio Free
Europe/Radio Liberty. <a href="https://www.usagm.gov/">USAGM</a> <a href="/privacy">Privacy</a></p></footer>
</body></html>
"""

WIKI = Path(__file__).resolve().parents[1] / "data" / "documents" / "reference-news.wiki"


class ArticleSite:
    """One uvicorn server on 127.0.0.1: the article, a gone page (404) and a MediaWiki API."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.wiki: dict[str, str] = {"Reference News": WIKI.read_text(encoding="utf-8")}
        self.port = 0
        self._server: uvicorn.Server | None = None

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    async def _article(self, request: Request) -> Response:
        self.hits[request.url.path] += 1
        return HTMLResponse(ARTICLE_HTML)

    async def _gone(self, request: Request) -> Response:
        self.hits[request.url.path] += 1
        return HTMLResponse("<html><body><h1>Not found</h1></body></html>", status_code=404)

    async def _api(self, request: Request) -> Response:
        self.hits[request.url.path] += 1
        title = request.query_params.get("titles", "")
        if request.query_params.get("action") != "query" or request.query_params.get("format") != "json":
            return JSONResponse({"error": {"code": "badvalue"}}, status_code=400)
        if title not in self.wiki:
            return JSONResponse({"query": {"pages": [{"title": title, "missing": True}]}})
        revision = {"timestamp": "2016-09-17T08:00:00Z", "slots": {"main": {"content": self.wiki[title]}}}
        body = {
            "batchcomplete": True,
            "query": {"pages": [{"pageid": 1, "title": title, "revisions": [revision]}]},
        }
        return Response(json.dumps(body), media_type="application/json; charset=utf-8")

    def start(self) -> None:
        app = Starlette(
            routes=[
                Route(ARTICLE_PATH, self._article),
                Route("/gone.html", self._gone),
                Route("/w/api.php", self._api),
            ]
        )
        sock = _bind()
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            app, lifespan="off", log_level="critical", access_log=False, http="h11", ws="none"
        )
        self._server = uvicorn.Server(config)
        threading.Thread(target=self._server.run, kwargs={"sockets": [sock]}, daemon=True).start()
        for _ in range(500):
            if self._server.started:
                return
            threading.Event().wait(0.01)
        raise RuntimeError("article site did not start")

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
