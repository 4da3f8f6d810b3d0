"""Chat webhooks: POST ``{"text": ...}`` as JSON, the body Slack, Mattermost, Rocket.Chat and
Google Chat incoming webhooks accept (Teams' legacy connectors too)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from metrics.notify.retry import PermanentError

RETRYABLE_HTTP = (408, 425, 429)  # client errors that a later try can get past


def post_json(url: str, payload: dict, timeout: float = 30.0) -> int:
    """POST ``payload`` to ``url``; the HTTP status, OSError on a non-2xx answer (PermanentError
    on a client error such as 404 or 403, which no retry fixes)."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as err:
        if 400 <= err.code < 500 and err.code not in RETRYABLE_HTTP:
            raise PermanentError(f"{url} answered HTTP {err.code} {err.reason}") from None
        raise OSError(f"{url} answered HTTP {err.code} {err.reason}") from None
    except urllib.error.URLError as err:
        raise OSError(f"{url}: {err.reason}") from None
