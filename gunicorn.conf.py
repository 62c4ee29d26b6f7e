"""gunicorn's configuration (``make serve``): threaded workers on ``HOST``:``PORT``, sized from the environment.

Run as ``gunicorn -c gunicorn.conf.py cms.wsgi``; the values come from ``cms/settings/web.py``, which the production
settings also read to size each worker's database pool (a connection per thread, plus two).
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
# No access log by default (the proxy in front keeps one; WEB_ACCESS_LOG=true writes it to stdout); Django logs
# failed requests, gunicorn its own life (start, workers, errors) to stderr.
accesslog = "-" if web.WEB_ACCESS_LOG else None
errorlog = "-"
