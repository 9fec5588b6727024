"""A link-check worker that reads the settings, then ends its process: for the fallback test."""

from __future__ import annotations

import os
import sys

from citecheck.check.parallel import read_message

if __name__ == "__main__":
    read_message(sys.stdin.buffer)
    os._exit(3)
