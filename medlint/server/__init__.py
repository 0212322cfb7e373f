"""``medlint serve``: medlint over HTTP for any CMS, LanguageTool clients, and people.

A thin face over one shared :class:`medlint.Linter` (the developers' guide: faces build a
Linter and call ``check``; none reaches into checks, documents or rule sets):

* ``service.py``   what a request means: settings -> a cached Linter, text -> findings with
                   UTF-16 offsets, summary, verdict and versions. No HTTP in it.
* ``languagetool.py``  the LanguageTool ``/v2/check`` protocol: form fields and annotated
                   ``data`` in, LanguageTool's ``matches`` out, offsets in the caller's string.
* ``app.py``       the Starlette app: routes, body cap, token, CORS, errors, the review page.

Starlette and uvicorn come with ``pip install 'medlint[server]'``; nothing here is imported
by ``medlint check``.
"""
from __future__ import annotations

__all__ = ["create_app"]


def create_app(*args, **kwargs):  # type: ignore[no-untyped-def]
    """The ASGI app (see :func:`medlint.server.app.create_app`)."""
    from .app import create_app as build

    return build(*args, **kwargs)
