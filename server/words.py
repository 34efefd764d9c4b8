"""The page words of server/templates/strings.toml, read once for the pages and the evidence checker."""

from pathlib import Path
from typing import Any

import tomli

_FILE = tomli.loads((Path(__file__).parent / "templates" / "strings.toml").read_text(encoding="utf-8"))
# Every page word in all its versions ({"ja", "en", "ja_child", …}), by key.
UI: dict[str, dict[str, str]] = _FILE["ui"]
# The sections of the flyer's chart that /destinations follows.
CHART: list[dict[str, Any]] = _FILE["chart"]
