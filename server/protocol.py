"""HTTP-level refusals answered before any route: unknown Host headers and refused CORS preflights."""

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response

from server.errors import ApiError, header_lang, refusal

BAD_HOST = ApiError(
    400,
    "invalid-host",
    "このサービスはこのホスト名では使えません。アドレスを確かめてください。",
    "This service does not answer to this host name. Check the address.",
)
CORS_REFUSED = ApiError(
    403,
    "cors-refused",
    "このページ（送信元）からはAPIを呼び出せません。",
    "The API cannot be called from this page (origin).",
)


def host_name(header: str) -> str:
    """The host of a Host header, lower-case and without its port; an IPv6 address keeps its brackets."""
    host = header.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1]
    return host.partition(":")[0] if host.count(":") == 1 else host


def host_allowed(host: str, allowed: tuple[str, ...]) -> bool:
    """Whether a host name matches an entry: exact, `*.example.org` for its subdomains, or `*`."""
    return bool(host) and any(
        pattern in ("*", host) or (pattern.startswith("*.") and host.endswith(pattern[1:]))
        for pattern in allowed
    )


class JsonCORSMiddleware(CORSMiddleware):
    """Starlette's CORS, but a refused preflight gets the same JSON error as every other refusal."""

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code < 400:
            return response
        return refusal(CORS_REFUSED, header_lang(request_headers))
