"""Load data/*.toml: check each file against the schema, then across files, and build the Catalog."""

import sys
from pathlib import Path

import tomli

from server import checks, model, words
from server.model import Catalog
from server.schema import FILES, SCHEMA, CatalogError, Checker

__all__ = ["Catalog", "CatalogError", "load", "main"]


def load(data_dir: Path) -> Catalog:
    """Read and validate every data file, raising CatalogError on the first problem."""
    raw: dict[str, dict] = {}
    checkers: dict[str, Checker] = {}
    for file in FILES:
        path = data_dir / file
        try:
            raw[file] = tomli.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CatalogError(f"data/{file}: file is missing") from None
        except tomli.TOMLDecodeError as error:
            raise CatalogError(f"data/{file}: not valid TOML: {error}") from None
        checkers[file] = Checker(f"data/{file}")
        checkers[file].check(raw[file], SCHEMA[file], "")
    checks.check_references(raw, checkers)
    catalog = model.build(raw)
    checks.check_reachability(catalog)
    # The words the pages use, read once (server.words): parsing strings.toml again costs ~15 ms a start.
    checks.check_page_words(words.UI)
    return catalog


def main(argv: list[str]) -> int:
    """`python -m server.catalog DATA_DIR`: validate the data as start-up does (make check-data)."""
    data_dir = Path(argv[1] if len(argv) > 1 else "data")
    try:
        catalog = load(data_dir)
    except CatalogError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(
        f"data ok: {len(catalog.destinations)} destinations, {len(catalog.questions)} questions, "
        f"{len(catalog.rules)} rules, {len(catalog.platforms)} platforms, "
        f"{len(catalog.sources)} sources"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
