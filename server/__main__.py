"""Serve the app with uvicorn: `python -m server` (HOST and PORT from the environment)."""

import logging

import uvicorn

from server.app import create_app
from server.settings import from_environment


def main() -> None:
    """Start uvicorn on the configured address; access logs never include query strings."""
    settings = from_environment()
    # Our own access log (method, path, status; never the query string) goes to stderr.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        access_log=False,
        log_level="info",
    )


if __name__ == "__main__":
    main()
