"""Content-Encoding decoding under the body cap (a decompression bomb costs at most the cap)."""

from __future__ import annotations

import zlib
from typing import Any

__all__ = ["BoundedDecoder"]


class BoundedDecoder:
    """Content-Encoding decoding that never produces more than it is asked for.

    httpx inflates each network read in one go, so 64 KiB of a gzip bomb becomes 64 MiB in memory before
    any cap can look at it. zlib's `max_length` stops inflating at the cap instead; the input it did not
    get to waits in `unconsumed_tail`. We only ask for gzip and deflate (see `_ACCEPT_ENCODING`); a body
    in another encoding is kept as it came, which is enough to judge a link by its status.
    """

    def __init__(self, content_encoding: str) -> None:
        # the last coding applied is the outermost; stacked codings are rare enough to leave as they are
        codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
        self.encoding = codings[-1] if len(codings) == 1 else "identity"
        self._inflater: Any = None
        self._pending = b""
        self._raw_deflate_tried = False
        if self.encoding in ("gzip", "x-gzip"):
            self._inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif self.encoding == "deflate":
            self._inflater = zlib.decompressobj()

    def decode(self, data: bytes, limit: int) -> bytes:
        """At most `limit` bytes of decoded body for `data` and whatever earlier input is left over."""
        if self._inflater is None:
            return data
        pending, self._pending = self._pending + data, b""
        try:
            output = self._inflater.decompress(pending, limit)
        except zlib.error:
            # "deflate" should be zlib-wrapped (RFC 9110 §8.4.1.2) but some servers send raw deflate
            if self.encoding != "deflate" or self._raw_deflate_tried:
                raise
            self._raw_deflate_tried = True
            self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            output = self._inflater.decompress(pending, limit)
        self._pending = self._inflater.unconsumed_tail
        return bytes(output)
