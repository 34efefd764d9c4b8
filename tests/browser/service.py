"""The live service as the browser tests ask it directly, to compare with what a page shows."""

import json
import urllib.request


def assess(service_url: str, body: dict) -> dict:
    """The service's own answer to POST /api/v1/assess with this body."""
    request = urllib.request.Request(
        f"{service_url}/api/v1/assess",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)
