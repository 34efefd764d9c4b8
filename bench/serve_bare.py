"""Serve the bare comparison app exactly as `python -m server` serves the product."""

from server.serve import run
from server.settings import from_environment

if __name__ == "__main__":
    run(from_environment(), app="bench.bare:app")
