"""The container image and its manifests, checked where no container engine runs."""

import json
import os
import shlex
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from tests.conftest import ROOT, free_port, running_server

DOCKERFILE = ROOT / "deploy" / "Dockerfile"


def final_stage() -> list[tuple[str, str]]:
    """(instruction, arguments) of the image's last stage, continuation lines joined."""
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    last_from = max(i for i, line in enumerate(lines) if line.upper().startswith("FROM "))
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines[last_from:]]


def image_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for instruction, args in final_stage():
        if instruction == "ENV":
            for pair in shlex.split(args):
                key, value = pair.split("=", 1)
                env[key] = value
    return env


def json_command(instruction: str) -> list[str]:
    """The exec form (JSON array) of CMD or of HEALTHCHECK's CMD."""
    for name, args in final_stage():
        if name == instruction:
            return json.loads(args[args.index("[") :])
    raise AssertionError(f"no {instruction} in {DOCKERFILE}")


def test_the_image_runs_as_a_user_and_has_no_build_tools() -> None:
    stage = final_stage()
    users = [args for name, args in stage if name == "USER"]
    assert users and not users[-1].startswith(("0", "root"))
    run_steps = " ".join(args for name, args in stage if name == "RUN")
    for tool in ("apt-get", "gcc", "pip install"):
        assert tool not in run_steps


def test_the_healthcheck_asks_healthz() -> None:
    assert any("/healthz" in part for part in json_command("HEALTHCHECK"))


@pytest.fixture
def image_process(tmp_path: Path) -> Iterator[tuple[int, dict[str, str], Path]]:
    """The image's exact start command and environment, on this machine (no container engine in CI)."""
    env = {
        **os.environ,
        **image_env(),
        # The image's PATH points at its own venv; here the project's venv plays that part.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    log = tmp_path / "server.log"
    with running_server(log, env, json_command("CMD")) as (base_url, _):
        yield urlsplit(base_url).port or 0, env, log


def test_the_start_command_serves_healthz_and_its_healthcheck_passes(image_process) -> None:
    port, env, _ = image_process
    healthcheck = [part.replace(":8000/", f":{port}/") for part in json_command("HEALTHCHECK")]
    assert subprocess.run(healthcheck, env=env, timeout=10).returncode == 0


def test_the_healthcheck_fails_when_nothing_answers() -> None:
    healthcheck = [part.replace(":8000/", f":{free_port()}/") for part in json_command("HEALTHCHECK")]
    assert subprocess.run(healthcheck, capture_output=True, timeout=10).returncode != 0


def answering_pids(log: Path) -> set[str]:
    """The process ids on the access log's lines (the line format starts: date time pid level)."""
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    return {line.split()[2] for line in lines if " tsuho_navi.access GET /healthz 200" in line}


def test_two_workers_both_answer(image_process) -> None:
    port, env, log = image_process
    assert env["WORKERS"] == "2"
    deadline = time.monotonic() + 30
    with ThreadPoolExecutor(max_workers=8) as pool:
        # Concurrent requests, so that the kernel hands connections to both workers.
        while len(answering_pids(log)) < 2 and time.monotonic() < deadline:
            list(
                pool.map(
                    lambda _: urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz").read(), range(16)
                )
            )
    assert len(answering_pids(log)) == 2


def test_the_deployment_probes_healthz_with_an_allowed_host() -> None:
    deployment = yaml.safe_load((ROOT / "deploy" / "k8s" / "deployment.yaml").read_text(encoding="utf-8"))
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    env = {item["name"]: item["value"] for item in container["env"]}
    allowed = env["ALLOWED_HOSTS"].split(",")
    for probe in ("readinessProbe", "livenessProbe"):
        check = container[probe]["httpGet"]
        assert check["path"] == "/healthz"
        assert {h["name"]: h["value"] for h in check["httpHeaders"]}["Host"] in allowed
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["resources"]["requests"] and container["resources"]["limits"]
