"""Posting the report to a chat webhook (``POLLEN_REPORT_WEBHOOK_URL``): Discord gets the
summary with the main chart attached as a PNG; Slack and json get the summary as text (json
also the numbers). Delivery retries, then logs; it never fails the report."""

from __future__ import annotations

import json
import os
import uuid
from typing import Any

from pollen_pipeline import webhook
from pollen_pipeline.report import charts, page
from pollen_pipeline.settings import SettingsError

URL_VARIABLE = "POLLEN_REPORT_WEBHOOK_URL"
FORMAT_VARIABLE = "POLLEN_REPORT_WEBHOOK_FORMAT"
FORMATS = ("json", "slack", "discord")
DISCORD_LIMIT = 2000  # characters of `content` Discord accepts


def webhook_format() -> str:
    """``POLLEN_REPORT_WEBHOOK_FORMAT``: json (default), slack or discord."""
    fmt = os.environ.get(FORMAT_VARIABLE, "").strip().lower() or "json"
    if fmt not in FORMATS:
        raise SettingsError(f"{FORMAT_VARIABLE}={fmt!r} is not one of {', '.join(FORMATS)}")
    return fmt


def body(numbers: dict[str, Any], fmt: str) -> tuple[bytes, str]:
    """The request body and its content type for ``fmt``."""
    summary = page.markdown(numbers)
    if fmt == "discord":
        return _discord(numbers, summary[:DISCORD_LIMIT])
    if fmt == "slack":
        return json.dumps({"text": summary}).encode(), "application/json"
    return json.dumps({"text": summary, "report": numbers}).encode(), "application/json"


def _discord(numbers: dict[str, Any], content: str) -> tuple[bytes, str]:
    """Discord's multipart form: ``payload_json`` and the main chart as ``files[0]``."""
    payload: dict[str, Any] = {"content": content}
    files = []
    if charts.drawable(charts.MAIN, numbers):
        payload["attachments"] = [{"id": 0, "filename": "report.png"}]
        files.append(
            b'Content-Disposition: form-data; name="files[0]"; filename="report.png"\r\n'
            b"Content-Type: image/png\r\n\r\n" + charts.png(charts.MAIN, numbers)
        )
    fields = [
        b'Content-Disposition: form-data; name="payload_json"\r\n'
        b"Content-Type: application/json\r\n\r\n" + json.dumps(payload).encode(),
        *files,
    ]
    boundary = uuid.uuid4().hex
    separator = f"--{boundary}\r\n".encode()
    data = b"".join(separator + field + b"\r\n" for field in fields)
    return data + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def deliver(numbers: dict[str, Any], log: Any) -> bool | None:
    """Post the report when ``POLLEN_REPORT_WEBHOOK_URL`` is set: True when delivered, False
    when every attempt failed (logged), None when no webhook is configured."""
    url = os.environ.get(URL_VARIABLE, "").strip()
    if not url:
        return None
    data, content_type = body(numbers, webhook_format())
    return webhook.post(url, data, content_type, log, what="report webhook")
