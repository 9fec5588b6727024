"""`python -m citecheck`: the same as the `citecheck` command."""

from .cli import main

main()
