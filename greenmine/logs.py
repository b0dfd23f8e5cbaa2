"""Logging for the service, configured in one place from `Settings.log_format` and `log_level`.

`json` writes one JSON object per line (for log shippers); `text` writes a readable line. Every
record logged while a request is being served carries that request's id. Structured fields go
in `extra={"fields": {...}}`; the formatters put them at the top level (json) or after the
message as `key=value` (text).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from contextvars import ContextVar
from typing import Any

from greenmine.config import Settings

REQUEST_ID: ContextVar[str | None] = ContextVar("greenmine_request_id", default=None)

# uvicorn's own access log is off (`greenmine.access` writes one richer line per request)
QUIET_LOGGERS = ("uvicorn.access",)


class RequestIdFilter(logging.Filter):
    """Stamps every record with the id of the request being served, if any."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = REQUEST_ID.get()
        return True


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    fields = getattr(record, "fields", None)
    return dict(fields) if isinstance(fields, dict) else {}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "pid": record.process,  # which worker, under `greenmine serve --workers N`
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id is not None:
            line["request_id"] = request_id
        line.update(_fields(record))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str, separators=(",", ":"))


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        fields = _fields(record)
        if fields:
            pairs = (f"{k}={_text_value(v)}" for k, v in fields.items() if v not in (None, []))
            text = f"{text} | {' '.join(pairs)}"
        return text


def _text_value(value: object) -> str:
    if isinstance(value, dict):
        return ",".join(f"{k}:{v}" for k, v in value.items() if v is not None)
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)


def formatter_for(settings: Settings) -> logging.Formatter:
    return JsonFormatter() if settings.log_format == "json" else TextFormatter()


def configure_logging(settings: Settings) -> None:
    """Send every logger (ours, uvicorn's, the drivers') to stderr in the configured format."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter_for(settings))
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    for name in ("uvicorn", "uvicorn.error"):
        # uvicorn may have configured its own handlers; let records reach ours instead
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    for name in QUIET_LOGGERS:
        logging.getLogger(name).disabled = True
