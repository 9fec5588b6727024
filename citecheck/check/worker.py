"""An extra link-check process (see parallel.py): `python -m citecheck.check.worker`.

Reads from standard input the run's NetworkSettings, then lists of URLs; answers each list on standard
output with a dict of URL -> LinkCheck (or an error message). Ends when its input closes. Anything
printed by accident goes to standard error, so it cannot corrupt the answers.
"""

from __future__ import annotations

import asyncio
import os
import sys

from ..config import NetworkSettings
from ..net import NetClient
from . import check_each
from .parallel import read_message, write_message


def main() -> None:
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    questions = sys.stdin.buffer
    settings = read_message(questions)
    if not isinstance(settings, NetworkSettings):
        sys.exit(2)
    loop = asyncio.new_event_loop()
    client = NetClient(settings)  # one client for the life of the process: its connections are reused
    while (urls := read_message(questions)) is not None:
        try:
            answer: object = loop.run_until_complete(check_each(urls, client, settings))
        except Exception as exc:  # reported to the main process, which checks these links itself
            answer = f"{type(exc).__name__}: {exc}"
        write_message(answers, answer)
        answers.flush()
    loop.run_until_complete(client.aclose())


if __name__ == "__main__":
    main()
