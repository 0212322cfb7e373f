"""The Starlette app behind ``medlint serve``: routes, limits and safety around a Service.

Routes:

* ``POST /v1/check``            JSON in, findings with UTF-16 offsets, verdict, summary, versions
* ``GET|POST /v2/check``        LanguageTool's protocol (``languagetool.py``)
* ``GET /v2/languages``         what LanguageTool clients ask before checking
* ``GET /v1/rules``, ``GET /v1/rules/{id}``   the rule listing and ``medlint explain``
* ``GET /healthz``              liveness plus versions
* ``GET /``                     the review page (``static/``) and its assets

Safety, and why each is here rather than left to a proxy:

* Body cap (default 1 MB): Starlette and uvicorn read any size, so the app counts the bytes
  as they arrive and answers 413 as soon as the cap is passed (a ``Content-Length`` over
  the cap is refused before reading anything).
* Text never causes a 500: malformed JSON or form data is 400, an unknown rule, format or
  severity 422 (``/v1``) or 400 (``/v2``, as LanguageTool answers), and the text itself is
  only ever handed to ``Linter.check``, which does not raise for text.
* Token: when the environment variable named by ``token_env`` (``MEDLINT_SERVER_TOKEN`` by
  default) is set, ``/v1`` and ``/v2/check`` need ``Authorization: Bearer <token>`` or,
  for LanguageTool clients, the ``apiKey`` field. Compared in constant time.
* CORS is off unless origins are listed; the default bind address is 127.0.0.1.
* Linting is CPU work: it runs in Starlette's thread pool so the event loop keeps
  answering (``/healthz``, other requests) while a long draft is checked.
"""
from __future__ import annotations

import hmac
import json
import logging
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Awaitable, Callable
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from .service import RequestError, Service, parse_check

log = logging.getLogger("medlint.server")
STATIC = Path(__file__).with_name("static")
DEFAULT_MAX_BODY = 1_000_000
SETTINGS_ENV = "MEDLINT_SERVE_SETTINGS"  # how `medlint serve --workers N` hands settings to workers


@dataclass
class Settings:
    """What ``medlint serve``'s flags set (JSON-able, so worker processes get the same)."""

    config: str | None = None  # a .medlint.yaml / pyproject.toml; None: found from the cwd
    no_config: bool = False
    max_body: int = DEFAULT_MAX_BODY
    token_env: str = "MEDLINT_SERVER_TOKEN"
    cors_origins: list[str] = field(default_factory=list)
    cache_size: int = 32

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, raw: str) -> "Settings":
        return cls(**json.loads(raw))


def _base_config(settings: Settings) -> Any:
    from ..config import Config
    from ..configfile import find_config_file, load_config_file

    if settings.no_config:
        return Config()
    path = Path(settings.config) if settings.config else find_config_file(Path.cwd())
    return load_config_file(path) if path else Config()


def _error(status: int, message: str, lt: bool = False) -> Response:
    if lt:  # LanguageTool answers errors as plain text
        return PlainTextResponse(f"Error: {message}", status_code=status)
    return JSONResponse({"error": {"status": status, "message": message}}, status_code=status)


async def read_body(request: Request, cap: int) -> bytes:
    """The request body, refused with 413 once it passes ``cap`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            size = int(declared)
        except ValueError:
            raise RequestError(400, "invalid Content-Length header") from None
        if size > cap:
            raise RequestError(413, f"request body of {size} bytes is over the limit of {cap} bytes")
    chunks, total = [], 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > cap:
            raise RequestError(413, f"request body is over the limit of {cap} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise RequestError(400, f"the body is not valid UTF-8 (byte {err.start})") from None


def create_app(settings: Settings | None = None, service: Service | None = None) -> Starlette:
    """Build the app; the Linter is built here, so the first request is as fast as the rest."""
    settings = settings or Settings()
    service = service or Service(_base_config(settings), settings.cache_size)
    token = os.environ.get(settings.token_env) or None
    cap = settings.max_body

    def allowed(request: Request, api_key: str | None = None) -> bool:
        if token is None:
            return True
        header = request.headers.get("authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(value.strip().encode(), token.encode()):
            return True
        return api_key is not None and hmac.compare_digest(api_key.encode(), token.encode())

    def unauthorized(lt: bool = False) -> Response:
        response = _error(401, "missing or wrong token: send 'Authorization: Bearer <token>'"
                               + (" or the apiKey field" if lt else ""), lt)
        response.headers["WWW-Authenticate"] = 'Bearer realm="medlint"'
        return response

    def guarded(handler: Callable[[Request], Awaitable[Response]], lt: bool = False) -> Callable[[Request], Awaitable[Response]]:
        async def run(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestError as err:
                return _error(err.status, err.message, lt)
            except Exception:  # noqa: BLE001 - a bug, not the caller's text: logged, answered 500
                log.exception("medlint serve: internal error on %s %s", request.method, request.url.path)
                return _error(500, "internal error (logged by the server)", lt)
        return run

    async def check_v1(request: Request) -> Response:
        if not allowed(request):
            return unauthorized()
        raw = _decode(await read_body(request, cap))
        try:
            data = json.loads(raw)
        except ValueError as err:
            raise RequestError(400, f"the body is not valid JSON: {err}") from None
        parsed = parse_check(data)

        def work() -> dict[str, Any]:
            return service.answer(parsed, service.run(parsed))

        return JSONResponse(await run_in_threadpool(work))

    async def check_v2(request: Request) -> Response:
        if len(request.url.query) > cap:
            raise RequestError(413, f"query string is over the limit of {cap} bytes")
        try:
            params: dict[str, str] = dict(parse_qsl(request.url.query, keep_blank_values=True, errors="strict"))
        except (ValueError, UnicodeDecodeError) as err:
            raise RequestError(400, f"malformed query string: {err}") from None
        if request.method == "POST":
            kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
            body = await read_body(request, cap)
            if body:
                if kind not in ("", "application/x-www-form-urlencoded"):
                    raise RequestError(415, f"send the fields as application/x-www-form-urlencoded "
                                            f"(as LanguageTool clients do), not {kind}")
                try:
                    params.update(parse_qsl(_decode(body), keep_blank_values=True, errors="strict"))
                except (ValueError, UnicodeDecodeError) as err:
                    raise RequestError(400, f"malformed form data: {err}") from None
        if not allowed(request, params.get("apiKey")):
            return unauthorized(lt=True)
        base = str(request.base_url)

        def work() -> dict[str, Any]:
            from .languagetool import answer

            return answer(service, params, base)

        return JSONResponse(await run_in_threadpool(work))

    async def languages(request: Request) -> Response:
        from .languagetool import LANGUAGES

        return JSONResponse(LANGUAGES)

    async def rules(request: Request) -> Response:
        if not allowed(request):
            return unauthorized()
        from ..ruledocs import rule_record

        every = request.query_params.get("all", "").lower() in ("1", "true", "yes")
        chosen = [rule_record(r) for r in service.rules.values() if every or r.enabled]
        return JSONResponse({"rules": chosen, "versions": service.versions})

    async def rule(request: Request) -> Response:
        if not allowed(request):
            return unauthorized()
        from difflib import get_close_matches

        from ..ruledocs import explain_text, rule_record

        rule_id = request.path_params["rule_id"]
        found = service.rules.get(rule_id)
        if found is None:
            close = get_close_matches(rule_id, list(service.rules), n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise RequestError(404, f"unknown rule {rule_id!r}{hint}")
        return JSONResponse({**rule_record(found), "explain": explain_text(found)})

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok", "versions": service.versions})

    page_headers = {
        "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
                                   "connect-src 'self'; img-src 'self'; form-action 'none'; "
                                   "base-uri 'none'; frame-ancestors 'none'",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }

    async def index(request: Request) -> Response:
        return HTMLResponse((STATIC / "index.html").read_text(encoding="utf-8"), headers=page_headers)

    assets = {"review.css": "text/css", "review.js": "text/javascript", "page.js": "text/javascript"}

    async def asset(request: Request) -> Response:
        from ..report.html import asset as shared

        name = request.path_params["name"]
        if name not in assets:
            raise RequestError(404, f"no such file {name!r}")
        text = (STATIC / name).read_text(encoding="utf-8") if name == "page.js" else shared(name)
        return Response(text, media_type=assets[name], headers={"X-Content-Type-Options": "nosniff",
                                                                "Cache-Control": "no-cache"})

    routes = [
        Route("/", guarded(index), methods=["GET"]),
        Route("/static/{name}", guarded(asset), methods=["GET"]),
        Route("/healthz", guarded(healthz), methods=["GET"]),
        Route("/v1/check", guarded(check_v1), methods=["POST"]),
        Route("/v1/rules", guarded(rules), methods=["GET"]),
        Route("/v1/rules/{rule_id:path}", guarded(rule), methods=["GET"]),
        Route("/v2/check", guarded(check_v2, lt=True), methods=["GET", "POST"]),
        Route("/v2/languages", guarded(languages, lt=True), methods=["GET"]),
    ]
    middleware = []
    if settings.cors_origins:
        from starlette.middleware import Middleware
        from starlette.middleware.cors import CORSMiddleware

        middleware.append(Middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                                     allow_methods=["GET", "POST"],
                                     allow_headers=["Authorization", "Content-Type"], max_age=600))
    app = Starlette(routes=routes, middleware=middleware)

    async def not_found(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 404)
        detail = getattr(exc, "detail", None) or "not found"
        return _error(status, f"{detail}: {request.method} {request.url.path}",
                      lt=request.url.path.startswith("/v2/"))

    app.add_exception_handler(404, not_found)
    app.add_exception_handler(405, not_found)
    app.state.service = service
    app.state.settings = settings
    return app


def app_from_env() -> Starlette:
    """uvicorn's factory for ``medlint serve`` (every worker process calls it)."""
    raw = os.environ.get(SETTINGS_ENV)
    return create_app(Settings.from_json(raw) if raw else Settings())
