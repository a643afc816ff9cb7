"""gunicorn for the container (deploy/Dockerfile): the web servers web1 and web2 of compose.yaml."""

import os

bind = os.environ.get("BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_WORKERS", "2"))
# Heartbeat files in memory: on the container's overlay filesystem a slow write can look like a hung worker.
worker_tmp_dir = "/dev/shm"
# Each request is one JSON line from Django (LOG_FORMAT=json, samenplan/core/middleware.py); gunicorn's
# access log would repeat it with the raw path and query string.
accesslog = None
# gunicorn's own lines (start, stop, a worker that timed out) as JSON on stdout too.
logconfig_dict = {
    "root": {"level": "WARNING", "handlers": ["console"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False, "qualname": "gunicorn.error"},
        "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False, "qualname": "gunicorn.access"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"}},
    "formatters": {"json": {"()": "samenplan.core.logs.JsonFormatter"}},
}
