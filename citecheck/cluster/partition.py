"""Link checks partitioned by host: every URL of a host goes to the same partition, in every wave.

In: the `Wanted` of a wave (its distinct URLs, malformed ones, archive look-ups). Out: one `Wanted` per
partition. A partition is checked by one task at a time (the next wave's task for it waits for this
one), so one worker owns each host while its URLs are checked, and the per-host limit of that worker's
client (`network.per_host`) is the limit the host sees from the whole cluster. The host key is the one
the client counts requests by (host and port), and the partition a stable hash of it (CRC-32), so the
driver and every worker agree without talking.
"""

from __future__ import annotations

import zlib
from urllib.parse import urlsplit

from ..models import Citation, LinkCheck
from ..pipeline import Wanted

__all__ = ["host_key", "partition_of", "split_by_host"]


def host_key(url: str) -> str:
    """ "host:port" as the network client counts requests per host; "" for what has no host."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port or {"https": 443, "http": 80}.get(parts.scheme.lower(), 0)
    except ValueError:  # an unparseable port or address: such a URL is malformed and never sent
        return ""
    return f"{host}:{port}" if host else ""


def partition_of(url: str, partitions: int) -> int:
    return zlib.crc32(host_key(url).encode("utf-8", "surrogatepass")) % partitions


def split_by_host(wanted: Wanted, partitions: int) -> tuple[Wanted, ...]:
    """`wanted` cut into `partitions` parts by host, each keeping the input order."""
    urls: list[list[str]] = [[] for _ in range(partitions)]
    malformed: list[list[LinkCheck]] = [[] for _ in range(partitions)]
    lookups: list[list[tuple[Citation, str | None]]] = [[] for _ in range(partitions)]
    for url in wanted.urls:
        urls[partition_of(url, partitions)].append(url)
    for check in wanted.malformed:
        malformed[partition_of(check.url, partitions)].append(check)
    for citation, when in wanted.lookups:
        lookups[partition_of(citation.url or "", partitions)].append((citation, when))
    return tuple(Wanted(tuple(urls[n]), tuple(malformed[n]), tuple(lookups[n])) for n in range(partitions))
