"""Posting to a chat webhook (Slack, Discord, or any JSON receiver): a few attempts with
backoff, never raising, never logging the URL (a webhook URL is a credential)."""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.request
from typing import Any

TIMEOUT_SECONDS = 3.0
ATTEMPTS = 3
BACKOFF_SECONDS = 0.5  # doubled after each failed attempt
USER_AGENT = "pollen-pipeline"


def post(url: str, body: bytes, content_type: str, log: Any, what: str = "webhook") -> bool:
    """POST ``body``; True when delivered. Failures are logged as warnings naming ``what``."""
    headers = {"Content-Type": content_type, "User-Agent": USER_AGENT}
    for attempt in range(ATTEMPTS):
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                response.read()
            return True
        except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
            reason = f"{type(error).__name__}: {getattr(error, 'reason', error)}"
            log.warning(f"{what} attempt {attempt + 1}/{ATTEMPTS} failed: {reason}")
        if attempt + 1 < ATTEMPTS:
            time.sleep(BACKOFF_SECONDS * 2**attempt)
    return False
