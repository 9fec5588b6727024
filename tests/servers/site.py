"""The fixture website: every behaviour the link checker must recognise, served on 127.0.0.1.

One uvicorn server runs a Starlette app in a background thread for the whole session, listening on two
ports that act as two simulated hosts (the address guard allows only 127.0.0.1, so "hosts" differ by
port, not by address):

* main: an honest news site. Unknown paths are 404; it has alive pages, 404/410/401/403/451, flaky and
  throttled routes, redirect chains and loops, a redirect to its home page, a soft-404 page whose title
  says "Page not found", slow, dripping and oversized responses, HEAD-rejecting routes and redirects to
  addresses the guard must refuse; also a gzip bomb (250 KB that inflates to 256 MiB), a body that is not
  the gzip it claims to be, and a charset nobody knows over bytes no usual charset decodes.
* catchall: a blog that answers every path with the same 200 page, the classic soft 404.
* portal: a news portal with a heavy navigation template (400 links on every page) that answers unknown
  paths with its "Sorry" page and status 200. Its articles are healthy; a missing article under a section
  serves the section page; an old story redirects to its section; one review is headlined "Page Not
  Found"; `/hostile/soup` is megabytes of unclosed tag soup.

A third, raw-socket server answers with bytes that are not valid HTTP, which no framework will send
(including a Content-Length shorter than the body, a negative one, and broken chunked encoding).

Every request is counted per (host, method, path) so tests assert on what the servers saw, e.g. that a
refused redirect target was never contacted or that a random-path probe was fetched once per host. The
requests being answered are counted per host too, with the most there were at once (`peak_in_flight`),
so a test can show that per-host limits held.
Routes whose behaviour depends on earlier requests (flaky, throttled) take a key in the path so each
test gets fresh state from the session-wide server.
"""

from __future__ import annotations

import asyncio
import functools
import socket
import socketserver
import threading
import zlib
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

HOST = "127.0.0.1"
SLOW_SECONDS = 3.0
UNHURRIED_SECONDS = 0.4  # a server that is slow but always answers
HUGE_BYTES = 4 * 1024 * 1024


def page(title: str, text: str) -> str:
    return (
        f"<!doctype html><html><head><title>{title}</title></head>"
        f"<body><nav>Home | World | Politics</nav><article><h1>{title}</h1><p>{text}</p></article>"
        f"<footer>Fixture News, 127.0.0.1</footer></body></html>"
    )


HOME = page("Fixture News", "Front page: today's top stories from around the fixture world.")
CATCHALL = page("Fixture Blog", "Welcome to the fixture blog. Fresh posts about nothing in particular.")
SOFT_404 = page("Page not found | Fixture News", "Sorry, we could not find that story.")


def _bind() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, 0))
    sock.listen(128)
    return sock


def closed_port() -> int:
    """A port on 127.0.0.1 nobody listens on (bound, then released): connecting to it is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class FixtureSite:
    """The running site. `url(path)` on the main host, `catchall_url(path)`, `raw_url(path)`."""

    hits: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    # /switch/<key> answers with the status a test sets here (200 until set): a page that goes down and
    # comes back between runs
    switches: dict[str, int] = field(default_factory=dict)
    request_lines: list[str] = field(default_factory=list)  # raw path and query of every request
    bodies: list[bytes] = field(default_factory=list)  # bodies posted to /spn/save
    user_agents: dict[str, str] = field(default_factory=dict)
    in_flight: Counter[str] = field(default_factory=Counter)  # requests being answered, per host
    peak_in_flight: Counter[str] = field(default_factory=Counter)  # the most at once, per host
    main_port: int = 0
    catchall_port: int = 0
    raw_port: int = 0
    portal_port: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: uvicorn.Server | None = None
    _thread: threading.Thread | None = None
    _raw: socketserver.ThreadingTCPServer | None = None

    # -- addresses -------------------------------------------------------------------------------
    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.main_port}{path}"

    def catchall_url(self, path: str) -> str:
        return f"http://{HOST}:{self.catchall_port}{path}"

    def raw_url(self, path: str) -> str:
        return f"http://{HOST}:{self.raw_port}{path}"

    def portal_url(self, path: str) -> str:
        return f"http://{HOST}:{self.portal_port}{path}"

    # -- what the servers saw --------------------------------------------------------------------
    def count(self, path: str, *, host: str = "main", method: str | None = None) -> int:
        with self._lock:
            return sum(
                n for (h, m, p), n in self.hits.items() if h == host and p == path and method in (None, m)
            )

    def paths_seen(self, host: str = "main") -> list[str]:
        with self._lock:
            return sorted({p for (h, _m, p) in self.hits if h == host})

    def reset_peaks(self) -> None:
        with self._lock:
            self.peak_in_flight.clear()

    def record(self, host: str, method: str, path: str, user_agent: str = "") -> int:
        """Count a request; returns how many requests (any method) this path has now had."""
        with self._lock:
            self.hits[(host, method, path)] += 1
            self.user_agents[path] = user_agent
            return sum(n for (h, _m, p), n in self.hits.items() if h == host and p == path)

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> None:
        main_socket, catchall_socket, portal_socket = _bind(), _bind(), _bind()
        self.main_port = main_socket.getsockname()[1]
        self.catchall_port = catchall_socket.getsockname()[1]
        self.portal_port = portal_socket.getsockname()[1]
        config = uvicorn.Config(
            self._dispatch,
            lifespan="off",
            interface="asgi3",
            log_level="critical",  # a slow handler cancelled at shutdown is expected, not news
            access_log=False,
            ws="none",
            http="h11",
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [main_socket, catchall_socket, portal_socket]},
            daemon=True,
        )
        self._thread.start()
        self._raw = _RawServer((HOST, 0), _RawHandler)
        self._raw.site = self
        self.raw_port = self._raw.server_address[1]
        threading.Thread(target=self._raw.serve_forever, daemon=True).start()
        for _ in range(500):
            if self._server.started:
                return
            threading.Event().wait(0.01)
        raise RuntimeError("fixture site did not start")

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._raw is not None:
            self._raw.shutdown()
            self._raw.server_close()

    # -- ASGI ------------------------------------------------------------------------------------
    async def _dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        port = scope["server"][1]
        host = {self.catchall_port: "catchall", self.portal_port: "portal"}.get(port, "main")
        user_agent = dict(scope["headers"]).get(b"user-agent", b"").decode("latin-1")
        scope["state"] = {
            "visits": self.record(host, scope["method"], scope["path"], user_agent),
            "site": self,
        }
        with self._lock:
            self.request_lines.append(
                scope["raw_path"].decode("latin-1") + "?" + scope["query_string"].decode()
            )
        app = {"catchall": _CATCHALL, "portal": _PORTAL}.get(host, _MAIN)
        with self._lock:
            self.in_flight[host] += 1
            self.peak_in_flight[host] = max(self.peak_in_flight[host], self.in_flight[host])
        try:
            await app(scope, receive, send)
        finally:
            with self._lock:
                self.in_flight[host] -= 1


# -- main host routes ------------------------------------------------------------------------------


def _visits(request: Request) -> int:
    return int(request.state.visits)


async def home(request: Request) -> Response:
    return HTMLResponse(HOME)


async def article(request: Request) -> Response:
    slug = request.path_params["slug"]
    return HTMLResponse(page(f"Story {slug}", f"The full text of story {slug}, reported for the fixture."))


async def report_pdf(request: Request) -> Response:
    return Response(b"%PDF-1.4\n% fixture\n", media_type="application/pdf")


def status_page(code: int) -> Route:
    async def respond(request: Request) -> Response:
        return HTMLResponse(page(f"HTTP {code}", "status fixture"), status_code=code)

    return Route(f"/status/{code}", respond, methods=["GET", "HEAD"])


async def flaky(request: Request) -> Response:
    """503 on the first request for each key, then 200."""
    if _visits(request) == 1:
        return PlainTextResponse("try again", status_code=503)
    return HTMLResponse(page("Flaky but fine", "Second time lucky."))


async def broken_once(request: Request) -> Response:
    """500 on the first request for each key, then 200: a failure that says nothing about the next try."""
    if _visits(request) == 1:
        return PlainTextResponse("internal error", status_code=500)
    return HTMLResponse(page("Fixed", "Worked the second time."))


async def throttled(request: Request) -> Response:
    """429 with Retry-After: 1 on the first request for each key, then 200."""
    if _visits(request) == 1:
        return PlainTextResponse("slow down", status_code=429, headers={"Retry-After": "1"})
    return HTMLResponse(page("Throttled but fine", "Served after waiting."))


async def throttled_long(request: Request) -> Response:
    return PlainTextResponse("come back tomorrow", status_code=429, headers={"Retry-After": "3600"})


async def busy(request: Request) -> Response:
    return PlainTextResponse("busy", status_code=503)


async def chain(request: Request) -> Response:
    left = int(request.path_params["n"])
    if left <= 0:
        return HTMLResponse(page("End of the chain", "You followed every redirect."))
    return RedirectResponse(f"/redirect/chain/{left - 1}", status_code=302)


async def moved(request: Request) -> Response:
    return RedirectResponse("/articles/new-home", status_code=301)


async def slash(request: Request) -> Response:
    return RedirectResponse("/redirect/slash/", status_code=301)


async def slash_target(request: Request) -> Response:
    return HTMLResponse(page("With a slash", "Same page, canonical address."))


async def loop(request: Request) -> Response:
    other = "b" if request.path_params["side"] == "a" else "a"
    return RedirectResponse(f"/redirect/loop/{other}", status_code=302)


async def to_home(request: Request) -> Response:
    return RedirectResponse("/", status_code=301)


async def redirect_to(request: Request) -> Response:
    return RedirectResponse(request.query_params["url"], status_code=302)


async def switch(request: Request) -> Response:
    """The status the test set for this key (see FixtureSite.switches), with a page to match."""
    code = request.state.site.switches.get(request.path_params["key"], 200)
    title = "Switchable story" if code < 400 else "Not found"
    return HTMLResponse(page(title, f"The switchable story answered {code}."), status_code=code)


async def cookie_bounce(request: Request) -> Response:
    """Redirect to itself once to set a cookie, then serve the page (a pattern many paywalls use)."""
    if request.cookies.get("seen") == "1":
        return HTMLResponse(page("Cookie accepted", "Welcome back."))
    response = RedirectResponse(str(request.url.path), status_code=302)
    response.set_cookie("seen", "1")
    return response


async def soft_404_title(request: Request) -> Response:
    return HTMLResponse(SOFT_404)


async def slow(request: Request) -> Response:
    await asyncio.sleep(SLOW_SECONDS)
    return HTMLResponse(page("Slow", "Finally."))


async def unhurried(request: Request) -> Response:
    await asyncio.sleep(UNHURRIED_SECONDS)
    return HTMLResponse(page("Unhurried", "Worth the wait."))


HOSTILE_TITLES_BYTES = 160 * 1024


async def hostile_titles(request: Request) -> Response:
    """Thousands of `<title>` tags that never close: quadratic for a backtracking title pattern."""
    return HTMLResponse(b"<html><head>" + b"<title>" * (HOSTILE_TITLES_BYTES // 7))


async def page_not_found_review(request: Request) -> Response:
    """A real article whose headline is the name of the exhibition it reviews."""
    return HTMLResponse(
        page("Page Not Found | Fixture News", " ".join(_article_sentences("page-not-found-review", 6)))
    )


MEMENTO_DATETIME = {"Memento-Datetime": "Tue, 02 Mar 2021 10:00:00 GMT"}


async def mini_archive(request: Request) -> Response:
    """A wayback-style replay prefix, /wb/<timestamp>id_/<url>: one capture (of any /articles/archived
    address), served with Memento-Datetime; 404 for everything else. Two more captures: of
    /articles/hostile-soup, the portal's megabytes of tag soup; of /articles/unhurried-copy, a plain copy
    that takes the archive UNHURRIED_SECONDS to find."""
    rest = request.path_params["rest"]
    if "/articles/hostile-soup" in rest:
        return Response(portal_soup(), media_type="text/html", headers=MEMENTO_DATETIME)
    if "/articles/unhurried-copy" in rest:
        await asyncio.sleep(UNHURRIED_SECONDS)
        return HTMLResponse(
            page("Harbour reopens", "The harbour reopened on Monday."), headers=MEMENTO_DATETIME
        )
    if "/articles/archived" in rest:
        return HTMLResponse(
            page("Archived", "An archived story."),
            headers=MEMENTO_DATETIME,
        )
    if "/articles/plain" in rest:  # a page, but not a memento: no Memento-Datetime
        return HTMLResponse(page("Plain", "Not an archived copy."))
    return PlainTextResponse("no capture", status_code=404)


async def admin_secret(request: Request) -> Response:
    """A page on the archive host outside its replay prefix: 200, and no Memento-Datetime."""
    return HTMLResponse(page("Admin", "Internal settings of the archive host."))


async def spn_save(request: Request) -> Response:
    """Save Page Now: keeps the posted form body for the test to read."""
    site = request.state.site
    body = await request.body()
    with site._lock:
        site.bodies.append(body)
    return Response(b'{"job_id": "spn2-fixture"}', media_type="application/json")


async def drip(request: Request) -> Response:
    """Headers at once, then one byte every 50 ms for ten seconds: each read is quick, the whole is not."""

    async def bytes_slowly() -> AsyncIterator[bytes]:
        for _ in range(200):
            yield b"."
            await asyncio.sleep(0.05)

    return StreamingResponse(bytes_slowly(), media_type="text/html")


async def huge(request: Request) -> Response:
    """4 MiB of HTML, streamed without Content-Length, so only counting bytes can stop it."""

    async def chunks() -> AsyncIterator[bytes]:
        yield b"<html><head><title>Huge</title></head><body>"
        for _ in range(HUGE_BYTES // 65536):
            yield b"x" * 65536

    if request.method == "HEAD":
        return Response(media_type="text/html")
    return StreamingResponse(chunks(), media_type="text/html")


async def big_file(request: Request) -> Response:
    """4 MiB of a download (not HTML), streamed: a link to it is alive even though the body is huge."""

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(HUGE_BYTES // 65536):
            yield b"\0" * 65536

    if request.method == "HEAD":
        return Response(media_type="application/zip")
    return StreamingResponse(chunks(), media_type="application/zip")


async def huge_declared(request: Request) -> Response:
    body = b"y" * HUGE_BYTES
    return Response(body, media_type="text/html")


async def head_rejected(request: Request) -> Response:
    if request.method == "HEAD":
        return PlainTextResponse("", status_code=405, headers={"Allow": "GET"})
    return HTMLResponse(page("No HEAD here", "This server only answers GET."))


async def head_not_implemented(request: Request) -> Response:
    if request.method == "HEAD":
        return PlainTextResponse("", status_code=501)
    return HTMLResponse(page("HEAD not implemented", "GET works."))


async def echo_agent(request: Request) -> Response:
    return HTMLResponse(page("Agent", request.headers.get("user-agent", "")))


async def archive_throttled(request: Request) -> Response:
    """Stands in for an archive that has had enough of us."""
    return PlainTextResponse("rate limited", status_code=429, headers={"Retry-After": "3600"})


async def archive_busy(request: Request) -> Response:
    """An archive that asks for a one-second pause every time: a client that honours Retry-After would
    ask again at once, spending requests its rate budget never counted."""
    return PlainTextResponse("rate limited", status_code=429, headers={"Retry-After": "1"})


CHALLENGE = page("Just a moment...", "Checking your browser before accessing the fixture site.")


async def challenge_503(request: Request) -> Response:
    """Cloudflare's managed challenge: 503 and a header that says what it is."""
    return HTMLResponse(CHALLENGE, status_code=503, headers={"cf-mitigated": "challenge"})


async def challenge_200(request: Request) -> Response:
    """A bot wall that serves its challenge page with 200 and no telling header."""
    return HTMLResponse(CHALLENGE)


GZIP_BOMB_INFLATED = 256 * 1024 * 1024


@functools.cache
def gzip_bomb() -> bytes:
    """About 250 KB of gzip that inflates to 256 MiB of zeros (built once per session)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = bytes(1 << 20)
    parts = [compressor.compress(block) for _ in range(GZIP_BOMB_INFLATED >> 20)]
    return b"".join([*parts, compressor.flush()])


async def gzip_bomb_route(request: Request) -> Response:
    """A small, honestly declared Content-Length whose body decompresses to hundreds of megabytes."""
    return Response(gzip_bomb(), media_type="text/html", headers={"Content-Encoding": "gzip"})


async def gzip_invalid(request: Request) -> Response:
    return Response(
        b"<html>this is not gzip</html>", media_type="text/html", headers={"Content-Encoding": "gzip"}
    )


async def charset_bogus(request: Request) -> Response:
    """A charset nobody knows, declared twice, over bytes that are not valid in any of the usual ones."""
    body = (
        b'<html><head><meta charset="x-no-such-charset"><title>Bogus \xff\xfe charset</title></head>'
        b"<body><p>Caf\xe9 \x81\x8d\x8f\x90\x9d and \xc3\x28 broken UTF-8.</p></body></html>"
    )
    return Response(body, headers={"Content-Type": "text/html; charset=x-no-such-charset"})


async def not_found(request: Request, exc: Exception) -> Response:
    return HTMLResponse(page("Not found", "No such page."), status_code=404)


def _route(path: str, endpoint: object) -> Route:
    return Route(path, endpoint, methods=["GET", "HEAD"])  # type: ignore[arg-type]


_MAIN = Starlette(
    routes=[
        _route("/", home),
        _route("/articles/{slug}", article),
        _route("/report.pdf", report_pdf),
        *(status_page(code) for code in (400, 401, 403, 404, 410, 418, 451, 500, 502)),
        _route("/flaky/{key}", flaky),
        _route("/broken-once/{key}", broken_once),
        _route("/throttled/{key}", throttled),
        _route("/throttled-long", throttled_long),
        _route("/busy/{key}", busy),
        _route("/redirect/chain/{n}", chain),
        _route("/redirect/moved", moved),
        _route("/redirect/slash", slash),
        _route("/redirect/slash/", slash_target),
        _route("/redirect/loop/{side}", loop),
        _route("/redirect/home", to_home),
        _route("/redirect/to", redirect_to),
        _route("/redirect/cookie", cookie_bounce),
        _route("/switch/{key}", switch),
        _route("/soft404/title", soft_404_title),
        _route("/slow", slow),
        _route("/unhurried/{key}", unhurried),
        _route("/drip", drip),
        _route("/huge", huge),
        _route("/huge-declared", huge_declared),
        _route("/big-file.zip", big_file),
        _route("/head-rejected", head_rejected),
        _route("/head-501", head_not_implemented),
        _route("/agent", echo_agent),
        _route("/archive-throttled/{rest:path}", archive_throttled),
        _route("/archive-busy/{rest:path}", archive_busy),
        _route("/bot-wall/503", challenge_503),
        _route("/bot-wall/200", challenge_200),
        _route("/gzip-bomb", gzip_bomb_route),
        _route("/gzip-invalid", gzip_invalid),
        _route("/charset-bogus", charset_bogus),
        _route("/hostile/titles", hostile_titles),
        _route("/wb/{rest:path}", mini_archive),
        _route("/admin-secret", admin_secret),
        Route("/spn/save", spn_save, methods=["POST"]),
        _route("/reviews/page-not-found", page_not_found_review),
    ],
    exception_handlers={404: not_found},
)


async def _catchall_page(scope: Scope, receive: Receive, send: Send) -> None:
    await HTMLResponse(CATCHALL)(scope, receive, send)


_CATCHALL = _catchall_page


# -- portal host: a heavy template, soft 404s of every kind -----------------------------------------

PORTAL_NAV = (
    "<header><nav><ul>"
    + "".join(f'<li><a href="/topic/{n}">Topic {n} coverage and analysis</a></li>' for n in range(400))
    + "</ul></nav></header>"
)
PORTAL_FOOTER = (
    "<footer><p>Portal News is published by the Fixture Portal Company. Our journalism is supported by "
    "readers like you: subscribe, follow us and share our stories.</p>"
    "<p>Contact | Privacy | Terms</p></footer>"
)
PORTAL_ARTICLES = {
    f"{section}/{slug}": headline
    for section, slug, headline in (
        ("news", "harbour-bridge-reopens", "Harbour bridge reopens after repairs"),
        ("news", "council-approves-budget", "Council approves budget for next year"),
        ("news", "river-floods-farmland", "River floods farmland in the north"),
        ("news", "library-extends-hours", "Library extends its opening hours"),
        ("news", "teachers-strike-ends", "Teachers' strike ends after talks"),
        ("news", "new-tram-line-opens", "New tram line opens to passengers"),
        ("news", "hospital-wing-completed", "Hospital wing completed ahead of schedule"),
        ("news", "airport-expansion-delayed", "Airport expansion delayed again"),
        ("news", "market-square-redesign", "Market square redesign unveiled"),
        ("news", "port-strike-averted", "Port strike averted at the last minute"),
        ("world", "border-talks-resume", "Border talks resume in the capital"),
        ("world", "drought-hits-harvest", "Drought hits this year's harvest"),
        ("world", "election-results-announced", "Election results announced overnight"),
        ("world", "summit-ends-without-deal", "Summit ends without a deal"),
        ("world", "ceasefire-holds-second-week", "Ceasefire holds for a second week"),
        ("politics", "minister-resigns-over-report", "Minister resigns over report"),
        ("politics", "parliament-passes-housing-bill", "Parliament passes housing bill"),
        ("politics", "mayor-announces-reelection-bid", "Mayor announces re-election bid"),
        ("politics", "tax-reform-plan-published", "Tax reform plan published"),
        ("politics", "committee-hearing-postponed", "Committee hearing postponed"),
    )
}
_FILLER = (
    "officials said residents local government during meeting weeks plans cost million people city region "
    "report agency according statement spokesperson later confirmed details project workers community "
    "experts warned critics argued supporters welcomed decision budget year months"
).split()


def _article_sentences(seed: str, count: int) -> list[str]:
    """`count` plain sentences that differ from article to article (derived from the slug)."""
    words = [word for word in seed.replace("/", "-").split("-") if word]
    sentences = []
    for n in range(count):
        picked = [_FILLER[(len(seed) * 7 + n * 5 + i * 3) % len(_FILLER)] for i in range(12)]
        sentences.append(f"{words[n % len(words)].capitalize()} {' '.join(picked)} {n}.")
    return sentences


def portal_page(title: str, main: str) -> str:
    return (
        f"<!doctype html><html><head><title>{title}</title></head><body>{PORTAL_NAV}"
        f"<main>{main}</main>{PORTAL_FOOTER}</body></html>"
    )


def portal_article(key: str) -> str:
    headline = PORTAL_ARTICLES[key]
    paragraphs = "".join(f"<p>{sentence}</p>" for sentence in _article_sentences(key, 7))
    return portal_page(f"{headline} | Portal News", f"<article><h1>{headline}</h1>{paragraphs}</article>")


def portal_section(section: str) -> str:
    items = "".join(
        f'<li><a href="/{key}">{headline}</a></li>'
        for key, headline in PORTAL_ARTICLES.items()
        if key.startswith(section + "/")
    )
    name = section.capitalize()
    return portal_page(f"{name} | Portal News", f"<h1>{name}</h1><ul>{items}</ul>")


PORTAL_NOT_FOUND = portal_page(
    "Portal News", "<h1>Sorry</h1><p>We could not find that page. Try the search box above.</p>"
)
PORTAL_REVIEW = portal_page(
    "Page Not Found | Portal News",
    "<article><h1>Page Not Found</h1>"
    + "".join(f"<p>{sentence}</p>" for sentence in _article_sentences("exhibition-review-broken-links", 8))
    + "</article>",
)
PORTAL_SOUP_BYTES = 4 * 1024 * 1024


@functools.cache
def portal_soup() -> bytes:
    """4 MiB of tag soup that never closes a tag (a million elements), under the default 5 MiB body cap."""
    return b"<html><body>" + b"<li><a><b>x" * (PORTAL_SOUP_BYTES // 11)


async def _portal(scope: Scope, receive: Receive, send: Send) -> None:
    path = scope["path"]
    key = path.strip("/")
    response: Response
    if path == "/":
        response = HTMLResponse(portal_page("Portal News", "<h1>Today</h1>" + portal_section("news")))
    elif key in PORTAL_ARTICLES:
        response = HTMLResponse(portal_article(key))
    elif path in ("/world/", "/politics/", "/news/"):
        response = HTMLResponse(portal_section(key))
    elif path.startswith("/world/"):  # a missing world story: the section page, status 200
        response = HTMLResponse(portal_section("world"))
    elif path == "/politics/old-story-about-tax-cuts":
        response = RedirectResponse("/politics/", status_code=301)
    elif path == "/reviews/page-not-found":
        response = HTMLResponse(PORTAL_REVIEW)
    elif path == "/hostile/soup":
        response = Response(portal_soup(), media_type="text/html")
    else:
        response = HTMLResponse(PORTAL_NOT_FOUND)
    await response(scope, receive, send)


_PORTAL = _portal


# -- raw-socket host -------------------------------------------------------------------------------

RAW_ANSWERS: dict[str, bytes | None] = {
    "/garbage": b"this is not an HTTP response\r\n\r\n",
    "/bad-status": b"HTTP/1.1 abc Broken\r\nContent-Length: 0\r\n\r\n",
    "/short-body": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n<html>cut",
    "/close": None,  # close the connection without a word
    # LinkedIn answers crawlers with 999; HTTP frameworks refuse to send such a status
    "/status/999": b"HTTP/1.1 999 Request denied\r\nContent-Length: 0\r\n\r\n",
    # Content-Length smaller than the body: a client must read what was declared and no more
    "/long-body": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 33\r\n\r\n"
    + b"<html><title>Long</title></html>\n"
    + b"x" * 100_000,
    "/negative-length": b"HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\nhello",
    "/bad-chunked": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
}


class _RawServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    site: FixtureSite


class _RawHandler(socketserver.StreamRequestHandler):
    server: _RawServer

    def handle(self) -> None:
        request_line = self.rfile.readline(65536).decode("latin-1").split()
        while self.rfile.readline(65536) not in (b"\r\n", b"\n", b""):
            pass  # skip the request headers
        if len(request_line) < 2:
            return
        method, path = request_line[0], request_line[1]
        self.server.site.record("raw", method, path)
        answer = RAW_ANSWERS.get(path, b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        if answer is not None:
            self.wfile.write(answer)
