"""How the web processes run (gunicorn, ``gunicorn.conf.py``): read here once so that the database pool is sized
for the same number of threads the server starts."""

from __future__ import annotations

from .env import env_bool, env_int, env_str

HOST = env_str("HOST", "127.0.0.1")
PORT = env_int("PORT", 8000)
#: gunicorn worker processes (gunicorn's own variable name); each has its own threads and database pool.
WEB_CONCURRENCY = env_int("WEB_CONCURRENCY", 2)
#: threads per worker process (gthread workers): requests served at once by one process.
WEB_THREADS = env_int("WEB_THREADS", 8)
#: seconds a request may run before its worker is restarted.
WEB_TIMEOUT = env_int("WEB_TIMEOUT", 30)
#: a worker is replaced after this many requests (plus up to 10 % jitter), so that a slow leak stays bounded; 0: never.
#: Each replacement is a cold start (imports, schema) of several CPU-seconds, so the bound must stay far above what a
#: worker serves in a minute of cached answers.
WEB_MAX_REQUESTS = env_int("WEB_MAX_REQUESTS", 100_000)
#: whether gunicorn writes an access log line per request to stdout.
WEB_ACCESS_LOG = env_bool("WEB_ACCESS_LOG", False)
