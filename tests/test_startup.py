"""Start-up is fast and still complete: compiled templates kept across starts, nothing loaded early that
only some pages need, the data checked once, and the first requests not left waiting."""

import gc
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import pytest
from starlette.testclient import TestClient

from bench import bench
from server import catalog, pages, words
from server.app import WARM_TEMPLATES, create_app
from server.compiled import CompiledTemplates
from server.schema import CatalogError
from server.settings import ROOT, Settings


def never_compile(*args: object, **kwargs: object) -> None:
    raise AssertionError("compiled again")


def counted(compile_: Callable[..., Any], calls: list[str], label: str) -> Callable[..., Any]:
    """The environment's compile, noting each call under a label."""

    def compile_noted(*args: Any, **kwargs: Any) -> Any:
        calls.append(label)
        return compile_(*args, **kwargs)

    return compile_noted


def fresh(cache: jinja2.BytecodeCache | None) -> jinja2.Environment:
    """The pages' environment as a new start has it: same options, nothing loaded yet."""
    return pages.templates.env.overlay(bytecode_cache=cache, cache_size=0)


def test_a_start_reuses_the_templates_compiled_by_the_one_before(monkeypatch: pytest.MonkeyPatch):
    cache = pages.templates.env.bytecode_cache
    assert isinstance(cache, CompiledTemplates)
    fresh(cache).get_template("result.html")  # compiled now, or already by an earlier start
    later = fresh(cache)
    monkeypatch.setattr(later, "compile", never_compile)
    assert later.get_template("result.html").name == "result.html"


def test_a_cache_that_cannot_be_written_costs_only_time(tmp_path: Path):
    (tmp_path / "file").write_text("", encoding="utf-8")
    unwritable = CompiledTemplates(tmp_path / "file" / "cache")
    for _ in range(2):
        assert fresh(unwritable).get_template("start.html").name == "start.html"


def test_a_change_to_what_shapes_the_compiled_code_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    shaping = tmp_path / "extension.py"
    shaping.write_text("one", encoding="utf-8")
    fresh(CompiledTemplates(tmp_path / "cache", shaping)).get_template("start.html")
    compiled = []
    for text in ("one", "two"):
        shaping.write_text(text, encoding="utf-8")
        env = fresh(CompiledTemplates(tmp_path / "cache", shaping))
        monkeypatch.setattr(env, "compile", counted(env.compile, compiled, text))
        env.get_template("start.html")
    assert compiled == ["two"]


def test_the_wizard_templates_are_compiled_before_the_first_request():
    pages.templates.env.cache.clear()
    app = create_app(Settings())
    with TestClient(app, base_url="http://localhost"):
        # No background compiling left to compete with the first requests for the interpreter.
        loaded = {name for _, name in pages.templates.env.cache}
        assert set(WARM_TEMPLATES) <= loaded


def test_the_service_starts_without_what_only_some_pages_need():
    code = "import sys, server.app; print(sorted({'segno'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_start_up_checks_the_page_words_the_pages_use(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(words.UI, "result_lead", {"ja": "上から順に", "en": "From the top"})
    with pytest.raises(CatalogError, match=r"ui\.result_lead\.ja_child: missing field"):
        catalog.load(ROOT / "data")


def test_start_up_refuses_page_words_holding_a_mark_character(monkeypatch: pytest.MonkeyPatch):
    # An adult-only word too: every page word is drawn into kept pages.
    monkeypatch.setitem(words.UI, "verify_title", {"ja": "確認\ue000", "en": "Check"})
    with pytest.raises(CatalogError, match=r"ui\.verify_title\.ja: holds U\+E000 or U\+E001"):
        catalog.load(ROOT / "data")


def test_start_up_runs_no_collector_pass_and_leaves_its_objects_out_of_later_ones():
    app = create_app(Settings())
    passes: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            passes.append(info["generation"])

    starting = app.router.lifespan_context(app).__aenter__()
    gc.collect()  # so that nothing made before the start reaches a pass of its own
    frozen = gc.get_freeze_count()
    gc.callbacks.append(note)
    try:
        with pytest.raises(StopIteration):
            starting.send(None)  # start-up awaits nothing: it runs to its end here, with no event loop
    finally:
        gc.callbacks.remove(note)
    assert passes == [], "a collector pass during start-up"
    assert gc.isenabled()
    assert gc.get_freeze_count() > frozen
    scanned = {id(thing) for thing in gc.get_objects()}
    assert id(app.state.catalog) not in scanned, "what start-up made is left out of later passes"


# Listens on $PORT after a moment and answers every GET with 200, as a started server would.
LATE_SERVER = """
import http.server, os, time
time.sleep(0.2)
class Ok(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
http.server.HTTPServer(("127.0.0.1", int(os.environ["PORT"])), Ok).serve_forever()
"""


def test_the_bench_times_a_cold_start_finer_than_a_tenth_of_a_second(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(bench, "command", lambda kind: [sys.executable, "-c", LATE_SERVER])
    pauses: list[float] = []
    sleep = time.sleep
    monkeypatch.setattr(time, "sleep", lambda seconds: pauses.append(seconds) or sleep(seconds))
    assert 0.2 < bench.cold_start("bare", {}) < 5
    assert pauses and max(pauses) <= 0.01, "a start is seen within 10 ms of its first answer"
