"""A loopback TCP relay that a test can take down and bring up: a server that goes away and comes back.

`Relay(target_port)` owns a port on 127.0.0.1 that nobody listens on until `up()`; from then on every
connection is passed through, byte for byte, to the target port (the fixture site, or pywb). `down()`
closes it again. Requests keep the relay's address in their Host header, so servers that build absolute
addresses (pywb's redirects) build them on the relay.
"""

from __future__ import annotations

import socket
import socketserver
import threading
from typing import Any

from .site import HOST, closed_port


def _pump(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        try:
            sink.shutdown(socket.SHUT_WR)
        except OSError:
            pass


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    target_port: int


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        client: socket.socket = self.request
        with socket.create_connection((HOST, self.server.target_port)) as upstream:
            back = threading.Thread(target=_pump, args=(upstream, client), daemon=True)
            back.start()
            _pump(client, upstream)
            back.join(timeout=30)


class Relay:
    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = closed_port()
        self._server: _Server | None = None

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def up(self) -> None:
        if self._server is not None:
            return
        server = _Server((HOST, self.port), _Handler)
        server.target_port = self.target_port
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        self._server = server

    def down(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._server = None

    def __enter__(self) -> Relay:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.down()
