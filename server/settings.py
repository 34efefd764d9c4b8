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
    # Host names this service answers to (any other Host header gets a 400); `*.example.org` matches
    # subdomains, `*` any host (only behind a proxy that checks it).
    allowed_hosts: tuple[str, ...] = ("localhost", "127.0.0.1", "[::1]")
    max_body_bytes: int = 64 * 1024
    # The server process: a request line and headers over this many bytes get a 431; a request not
    # whole this many seconds after the connection opened (or after its first byte) is closed; over
    # this many open connections, new requests get a 503.
    max_header_bytes: int = 64 * 1024
    request_timeout: float = 10.0
    limit_concurrency: int = 500
    # Worker processes, each with its own copy of the data (the service keeps no state to share).
    workers: int = 1
    quick_exit_url: str = "https://www.google.com/search?q=%E5%A4%A9%E6%B0%97"
    # The address people reach this service at (e.g. https://tsuho.example.jp), for links and QR codes
    # handed to another device; empty: this computer's own address, and the share view says so.
    public_url: str = ""
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
        allowed_hosts=tuple(
            config("ALLOWED_HOSTS", cast=CommaSeparatedStrings, default=",".join(Settings.allowed_hosts))
        ),
        max_header_bytes=config("MAX_HEADER_BYTES", cast=int, default=Settings.max_header_bytes),
        request_timeout=config("REQUEST_TIMEOUT", cast=float, default=Settings.request_timeout),
        limit_concurrency=config("LIMIT_CONCURRENCY", cast=int, default=Settings.limit_concurrency),
        # WEB_CONCURRENCY is the name many hosting platforms set.
        workers=config("WORKERS", cast=int, default=config("WEB_CONCURRENCY", cast=int, default=1)),
        quick_exit_url=config("QUICK_EXIT_URL", default=Settings.quick_exit_url),
        public_url=config("PUBLIC_URL", default=""),
        debug=config("DEBUG", cast=bool, default=False),
    )
