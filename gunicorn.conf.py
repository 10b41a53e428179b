"""gunicorn settings, read from the environment (README lists them). Used by docker-compose, the
benchmarks and any deployment: ``gunicorn -c gunicorn.conf.py marketplace.wsgi``."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
# 2 threads: the gthread worker (keep-alive; a claim waiting on Redis does not hold the whole worker).
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "0"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"


def post_worker_init(worker: object) -> None:
    """Move the loaded application's objects (about 120,000: Django, the apps, the URLconf) out of the
    garbage collector's reach. They live as long as the worker; left in, every full collection walks them
    all, a pause measured here at 57-124 ms in the middle of some request (the tail of the latency)."""
    import gc

    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imported now, so its objects are frozen too)
    gc.freeze()
