"""Chat webhooks: POST ``{"text": ...}`` as JSON, the body Slack, Mattermost, Rocket.Chat and
Google Chat incoming webhooks accept (Teams' legacy connectors too)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request


def post_json(url: str, payload: dict, timeout: float = 30.0) -> int:
    """POST ``payload`` to ``url``; the HTTP status, OSError on a non-2xx answer."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as err:
        raise OSError(f"{url} answered HTTP {err.code} {err.reason}") from None
    except urllib.error.URLError as err:
        raise OSError(f"{url}: {err.reason}") from None
