"""JSON log lines for production (LOG_FORMAT=json in settings.py): one JSON object per line.

Nothing from Django is imported here: gunicorn's master process uses this formatter too
(deploy/gunicorn.conf.py), before Django is set up.
"""

import json
import logging
from datetime import UTC, datetime


class JsonFormatter(logging.Formatter):
    """`time`, `level`, `logger`, `message`, then the record's `fields` (the request line's keys)."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(getattr(record, "fields", None) or {})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)
