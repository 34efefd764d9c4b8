"""Serve the app: `python -m server` (HOST, PORT and the other settings from the environment)."""

from server.serve import run
from server.settings import from_environment

if __name__ == "__main__":
    run(from_environment())
