"""gunicorn's configuration (``make serve``): threaded workers on ``HOST``:``PORT``, sized from the environment.

Run as ``gunicorn -c gunicorn.conf.py cms.wsgi``; the values come from ``cms/settings/web.py``, which the production
settings also read to size each worker's database pool (one connection per thread).
"""

from cms.settings import web

bind = f"{web.HOST}:{web.PORT}"
worker_class = "gthread"
workers = web.WEB_CONCURRENCY
threads = web.WEB_THREADS
timeout = web.WEB_TIMEOUT
graceful_timeout = web.WEB_TIMEOUT
keepalive = 5
max_requests = web.WEB_MAX_REQUESTS
max_requests_jitter = web.WEB_MAX_REQUESTS // 10
# Requests are logged by Django's loggers; gunicorn logs its own life (start, workers, errors) to stderr.
accesslog = None
errorlog = "-"
