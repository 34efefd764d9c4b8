"""Fixtures shared by every test: the data directory and a live server on a free port."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from server.app import create_app
from server.catalog import Catalog, load
from server.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """Ask the OS for a port nobody is listening on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(base_url: str, process: subprocess.Popen, timeout: float = 30.0, poll: float = 0.1) -> None:
    """Poll /healthz every `poll` seconds until the server answers, failing early if it exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(poll)
    raise RuntimeError(f"server at {base_url} did not answer in {timeout}s")


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return ROOT / "data"


@contextlib.contextmanager
def running_server(
    log_path: Path | None = None,
    env: Mapping[str, str] | None = None,
    command: Sequence[str] = (sys.executable, "-m", "server"),
    poll: float = 0.1,
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Run `command` (the app as `make run` starts it) on a free port, its output in a file or
    nowhere; yield its base URL and process."""
    port = free_port()
    # A file, not a pipe nobody reads: a full pipe would block the server's logging.
    output = log_path.open("wb") if log_path else contextlib.nullcontext(subprocess.DEVNULL)
    with output as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **(env or {}), "HOST": "127.0.0.1", "PORT": str(port)},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base_url, process, poll=poll)
            yield base_url, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served on a free port for the whole session."""
    with running_server(tmp_path_factory.mktemp("live-server") / "server.log") as (base_url, _):
        yield base_url


@pytest.fixture(scope="module")
def catalog(data_dir: Path) -> Catalog:
    """The data as start-up loads it, once per test module."""
    return load(data_dir)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    """An app of its own per test module (its caches start empty), served in-process."""
    with TestClient(create_app(Settings()), base_url="http://localhost") as client:
        yield client
