"""The no-JavaScript web wizard: one question per page, all state in the query string."""

from starlette.routing import Route

routes: list[Route] = []
