"""The portal's one gate on every view, and its error page (used by the app and the views)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, g, redirect, render_template, request, url_for

from baocao.portal.auth import may


def page_error(message: str, status: int) -> tuple[str, int]:
    return render_template("error.html", message=message), status


def require(action: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The one gate of every view: not logged in → the login page; not allowed → 403. The commune
    concerned is the route's `unit_id` when it has one (a clerk only reaches their own)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def guarded(**kwargs: Any) -> Any:
            if g.user is None:
                return redirect(url_for("portal.login", next=request.path))
            if not may(g.user, action, kwargs.get("unit_id")):
                abort(403)
            return view(**kwargs)

        return guarded

    return decorate
