"""Compiled templates kept on disk between starts, so that a start loads them instead of compiling."""

import contextlib
import hashlib
from pathlib import Path

import jinja2


class CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept on disk for the next start; Jinja compiles again a template that changed."""

    def __init__(self, directory: Path, *shaping: Path) -> None:
        super().__init__(str(directory))
        # The compiled code also depends on Jinja and on the environment's options (the files given as
        # `shaping`), which Jinja's own check of the template's source does not see: a change is a new key.
        self.version = hashlib.sha1(
            b"".join([jinja2.__version__.encode(), *(path.read_bytes() for path in shaping)])
        ).hexdigest()

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(f"{self.version}|{name}", filename)

    # A cache that cannot be read or written (a read-only file system, an image built without it)
    # only means compiling, as without a cache.
    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            Path(self.directory).mkdir(exist_ok=True)
            super().dump_bytecode(bucket)
