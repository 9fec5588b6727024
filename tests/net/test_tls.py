"""HTTPS through the guarded transport, against TLS servers on 127.0.0.1 with certificates made here.

The transport starts TLS itself on the connection the address guard opened, with the URL's host as the
server name: a trusted certificate for that name gives a page, a certificate for another name or from an
untrusted issuer gives a TLS failure, never a page. The trust store is the one the system's OpenSSL
reads, pointed at these certificates with SSL_CERT_FILE.
"""

from __future__ import annotations

import socketserver
import ssl
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from citecheck.config import NetworkSettings
from citecheck.net import FetchFailure, NetClient

pytestmark = pytest.mark.network

PAGE = b"<html><head><title>Served over TLS</title></head><body>ok</body></html>"


def _certificate(folder: Path, name: str, alt_name: str) -> tuple[Path, Path]:
    cert, key = folder / f"{name}.pem", folder / f"{name}.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
        + ["-subj", f"/CN={name}", "-addext", alt_name, "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        context: ssl.SSLContext = self.server.context  # type: ignore[attr-defined]
        try:
            with context.wrap_socket(self.request, server_side=True) as connection:
                received = b""
                while b"\r\n\r\n" not in received:
                    chunk = connection.recv(4096)
                    if not chunk:
                        return
                    received += chunk
                head = f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {len(PAGE)}\r\n"
                connection.sendall(head.encode() + b"Connection: close\r\n\r\n" + PAGE)
        except (ssl.SSLError, OSError):
            return  # the client refused the certificate


@dataclass
class _TlsServer:
    cert: Path
    port: int


@pytest.fixture(scope="module")
def tls_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, _TlsServer]]:
    folder = tmp_path_factory.mktemp("tls")
    servers: dict[str, _TlsServer] = {}
    running = []
    for name, alt_name in (
        ("right-name", "subjectAltName=IP:127.0.0.1"),
        ("wrong-name", "subjectAltName=DNS:other.example"),
    ):
        cert, key = _certificate(folder, name, alt_name)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.context = context  # type: ignore[attr-defined]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        running.append(server)
        servers[name] = _TlsServer(cert, server.server_address[1])
    yield servers
    for server in running:
        server.shutdown()
        server.server_close()


async def _fetch(url: str, settings: NetworkSettings):  # type: ignore[no-untyped-def]
    async with NetClient(settings) as client:
        return await client.fetch(url)


async def test_a_trusted_certificate_for_the_host_gives_the_page(
    tls_servers: dict[str, _TlsServer], net_settings: NetworkSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = tls_servers["right-name"]
    monkeypatch.setenv("SSL_CERT_FILE", str(server.cert))
    result = await _fetch(f"https://127.0.0.1:{server.port}/story", net_settings)
    assert result.ok and result.body == PAGE


async def test_a_certificate_for_another_name_is_a_tls_failure(
    tls_servers: dict[str, _TlsServer], net_settings: NetworkSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = tls_servers["wrong-name"]
    monkeypatch.setenv("SSL_CERT_FILE", str(server.cert))  # trusted, but not issued for 127.0.0.1
    result = await _fetch(f"https://127.0.0.1:{server.port}/story", net_settings)
    assert result.failure is FetchFailure.TLS and result.status_code is None
    assert "mismatch" in (result.detail or "")


async def test_an_untrusted_issuer_is_a_tls_failure(
    tls_servers: dict[str, _TlsServer], net_settings: NetworkSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_servers["wrong-name"].cert))  # trusts only the other one
    result = await _fetch(f"https://127.0.0.1:{tls_servers['right-name'].port}/story", net_settings)
    assert result.failure is FetchFailure.TLS and result.status_code is None
    assert "certificate verify failed" in (result.detail or "")
