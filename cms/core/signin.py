"""The page a locked-out admin sign-in gets (django-axes' ``AXES_LOCKOUT_CALLABLE``): the admin's sign-in page, with
a French message saying why and for how long, and HTTP 429 with ``Retry-After``.
"""

from __future__ import annotations

import math

from axes.helpers import get_cool_off
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def lockout_message(minutes: int) -> str:
    return (
        "Trop de tentatives de connexion échouées pour ce compte ou depuis cette adresse : "
        f"la connexion est bloquée pendant {minutes} minute{'s' if minutes > 1 else ''}. Réessayez plus tard."
    )


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    cool_off = get_cool_off(request)
    seconds = math.ceil(cool_off.total_seconds()) if cool_off else 0
    response = render(
        request, "signin_locked.html", {"message": lockout_message(max(1, math.ceil(seconds / 60)))}, status=429
    )
    if seconds:
        response["Retry-After"] = str(seconds)
    return response
