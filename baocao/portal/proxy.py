"""The portal behind an HTTPS reverse proxy (README, "Cổng tỉnh sau máy chủ proxy"): the session
cookie gets Secure, and the proxy's X-Forwarded-For/-Proto/-Host are trusted (werkzeug's ProxyFix)
from exactly the configured number of proxies, so the login throttle sees each client's own address.

Set per run (`portal serve --behind-https [--proxies N]`) or once in data/portal.json
("behind_https": true, "proxies": 1) for every `portal serve` process of the data folder.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def proxy_settings(settings: dict[str, Any], secure: bool | None, proxies: int | None) -> tuple[bool, int]:
    """(Secure cookies, proxies trusted): the options given, else portal.json's, else neither. Behind
    HTTPS one proxy is trusted unless told otherwise."""
    if secure is None:
        secure = bool(settings.get("behind_https", False))
    if proxies is None:
        proxies = int(settings.get("proxies", 1 if secure else 0))
    return secure, max(0, proxies)


def behind_proxy(app: Flask, proxies: int) -> None:
    """Trust X-Forwarded-For, -Proto, -Host and -Prefix set by `proxies` reverse proxies (none: trust nothing)."""
    app.config["PORTAL_PROXIES"] = proxies
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_prefix=proxies)  # type: ignore[method-assign]


def waitress_options(app: Flask) -> dict[str, Any]:
    """waitress removes the X-Forwarded-* headers by default; behind the configured proxies they reach ProxyFix."""
    return {"clear_untrusted_proxy_headers": False} if app.config.get("PORTAL_PROXIES") else {}
