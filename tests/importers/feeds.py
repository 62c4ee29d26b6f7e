"""Builds small engagement XML feeds for tests: ``xml_feed(mission("a"), mission("b", title="…"))``."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

FIXTURES = Path(__file__).parent / "fixtures"


def mission(client_id: str, **fields: object) -> dict:
    """A valid mission of the engagement feed; ``fields`` override or add elements (None drops one)."""
    base: dict[str, object] = {
        "clientId": client_id,
        "title": f"Accompagner des enfants vers la lecture {client_id}",
        "description": "<p>Animer des ateliers de lecture pour des enfants de 6 à 10 ans.</p>",
        "applicationUrl": f"https://www.example.org/missions/{client_id}",
        "startAt": "01/03/2027",
        "endAt": "30/06/2027",
        "places": "2",
        "domain": "education",
        "addresses": [
            {
                "street": "12 rue de la République",
                "postalCode": "69002",
                "city": "Lyon",
                "lat": "45.764",
                "lon": "4.8357",
            }
        ],
        "organizationName": "Lire et faire lire",
        "organizationClientId": "org-lire",
    }
    base.update(fields)
    return {key: value for key, value in base.items() if value is not None}


def _element(name: str, value: object) -> str:
    if name == "addresses":
        items = []
        for address in value:  # type: ignore[union-attr]
            inner = "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in address.items() if k not in ("lat", "lon"))
            if "lat" in address:
                inner += f"<location><lat>{address['lat']}</lat><lon>{address['lon']}</lon></location>"
            items.append(f"<address>{inner}</address>")
        return f"<addresses>{''.join(items)}</addresses>"
    return f"<{name}><![CDATA[{value}]]></{name}>"


def xml_feed(*missions: dict) -> bytes:
    body = "".join("<mission>" + "".join(_element(k, v) for k, v in m.items()) + "</mission>\n" for m in missions)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<source><publisher>Test</publisher>\n{body}</source>\n'.encode()
