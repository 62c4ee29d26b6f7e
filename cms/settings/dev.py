"""Local development and the demo: debug on, mail to the console."""

from .base import *  # noqa: F403
from .base import VAR_DIR
from .env import env_bool

DEBUG = env_bool("DEBUG", True)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
CORS_ALLOW_ALL_ORIGINS = env_bool("CORS_ALLOW_ALL_ORIGINS", True)

VAR_DIR.mkdir(exist_ok=True)  # the demo's media (and the embedded PostgreSQL, when used) live here
