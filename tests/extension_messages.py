"""The extension's strings as its locales hold them (no browser needed)."""

import functools
import json
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

EXTENSION = Path(__file__).resolve().parents[1] / "extension"


@functools.cache
def messages(lang: str = "ja") -> Mapping[str, str]:
    """Message key → text in `lang`, read once; read-only, as every caller shares it."""
    entries = json.loads((EXTENSION / "_locales" / lang / "messages.json").read_text("utf-8"))
    return MappingProxyType({key: entry["message"] for key, entry in entries.items()})
