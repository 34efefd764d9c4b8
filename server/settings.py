"""Settings read from the environment (and an optional .env file), with embedded defaults."""

from dataclasses import dataclass
from pathlib import Path

from starlette.config import Config
from starlette.datastructures import CommaSeparatedStrings

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """Everything the app needs to start; tests build their own."""

    data_dir: Path = ROOT / "data"
    host: str = "127.0.0.1"
    port: int = 8000
    # Extension pages call the API from these origins; `*` in an entry matches any extension id.
    cors_origins: tuple[str, ...] = ("chrome-extension://*", "moz-extension://*")
    max_body_bytes: int = 64 * 1024
    quick_exit_url: str = "https://www.google.com/search?q=%E5%A4%A9%E6%B0%97"
    debug: bool = False


def from_environment(env_file: str | None = ".env") -> Settings:
    """Read settings from environment variables such as HOST, PORT and CORS_ORIGINS."""
    config = Config(env_file if env_file and Path(env_file).exists() else None)
    return Settings(
        data_dir=Path(config("DATA_DIR", default=str(ROOT / "data"))),
        host=config("HOST", default="127.0.0.1"),
        port=config("PORT", cast=int, default=8000),
        cors_origins=tuple(
            config(
                "CORS_ORIGINS",
                cast=CommaSeparatedStrings,
                default="chrome-extension://*,moz-extension://*",
            )
        ),
        quick_exit_url=config("QUICK_EXIT_URL", default=Settings.quick_exit_url),
        debug=config("DEBUG", cast=bool, default=False),
    )
