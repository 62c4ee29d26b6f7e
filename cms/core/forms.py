"""Admin forms Wagtail lets a project replace, where its own leave English on the page."""

from __future__ import annotations

from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    """Wagtail's sign-in form declares its password field without a label, so Django shows the English "Password"."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].label = "Mot de passe"
