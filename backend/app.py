"""The API's application factory: `create_app()` wires settings, middleware and domains."""

from __future__ import annotations

from redis.asyncio import Redis
from sanic import HTTPResponse, Request, Sanic, json
from sanic_ext import Extend, openapi
from sanic_ext.extensions.http.extension import HTTPExtension
from sanic_ext.extensions.openapi.builders import SpecificationBuilder
from sanic_ext.extensions.openapi.extension import OpenAPIExtension

from backend import db
from backend.accounts.routes import bp as accounts_bp
from backend.accounts.tokens import AccessTokenVerifier
from backend.creators.routes import bp as creators_bp
from backend.feed.routes import bp as feed_bp
from backend.health.broker import broker_check
from backend.health.metrics import bp as metrics_bp
from backend.health.routes import bp as health_bp
from backend.http import api_docs
from backend.http.errors import JsonErrorHandler
from backend.http.middleware import install_middleware
from backend.http.ratelimit import RateLimiter, RatePolicy
from backend.http.sanic_types import App
from backend.http.security_headers import page_csp
from backend.media.routes import bp as media_bp
from backend.notifications.routes import bp as notifications_bp
from backend.observability.logging import configure_logging
from backend.observability.sentry import init_sentry
from backend.outbox import publisher
from backend.outbox.publisher import Publisher
from backend.payments.routes import bp as payments_bp
from backend.payouts.routes import bp as payouts_bp
from backend.posts.routes import bp as posts_bp
from backend.settings import Settings, get_settings
from backend.wallet.routes import bp as wallet_bp
from backend.web.routes import bp as web_bp

APP_NAME = "digis"
EXPOSED_HEADERS = ["X-Request-ID", "RateLimit", "RateLimit-Policy", "Retry-After"]


def create_app(settings: Settings | None = None) -> App:
    settings = settings or get_settings()
    configure_logging(process="api", level=settings.log_level, json_lines=settings.json_logs)
    init_sentry(settings, component="api")
    app: App = Sanic(
        APP_NAME,
        error_handler=JsonErrorHandler(show_tracebacks=settings.is_development),
        configure_logging=False,
    )
    app.ctx.settings = settings
    app.ctx.token_verifier = AccessTokenVerifier(settings)
    _configure(app, settings)
    # Only the extensions Digis uses: each of the others costs time on every request.
    Extend(app, built_in_extensions=False, extensions=[OpenAPIExtension, HTTPExtension])
    app.ext.openapi.add_security_scheme("bearer", "http", scheme="bearer", bearer_format="JWT")
    app.ext.openapi.describe(
        "Digis API",
        version="1.0.0",
        description="Fans follow creators, buy tokens and tip them; creators upload media.",
    )
    install_middleware(
        app,
        default_policy=(
            RatePolicy("default", settings.rate_limit_default)
            if settings.rate_limit_default
            else None
        ),
        hsts=settings.is_production,
        metrics=settings.metrics_enabled,
        csp=page_csp(
            settings.csp_connect_sources,
            [settings.media_public_origin] if settings.media_public_origin else [],
        ),
    )
    _register_lifecycle(app, settings)
    _register_routes(app)
    return app


def _configure(app: App, settings: Settings) -> None:
    app.config.update(
        {
            "ACCESS_LOG": False,
            "FALLBACK_ERROR_FORMAT": "json",
            "PROXIES_COUNT": settings.proxies_count,
            "REQUEST_MAX_SIZE": settings.media_max_upload_bytes + 1024 * 1024,
            "KEEP_ALIVE_TIMEOUT": 75,
            "CORS_ORIGINS": ",".join(settings.allowed_origins),
            "CORS_SUPPORTS_CREDENTIALS": True,
            "CORS_EXPOSE_HEADERS": ",".join(EXPOSED_HEADERS),
            "CORS_MAX_AGE": 600,
            **api_docs.SANIC_EXT_CONFIG,
            "OAS_AUTODOC": True,
            "OAS_IGNORE_HEAD": True,
            "OAS_IGNORE_OPTIONS": True,
        }
    )


def _register_lifecycle(app: App, settings: Settings) -> None:
    @app.before_server_start
    async def connect(app: App) -> None:
        app.ctx.owns_db = not db.is_initialised()
        if app.ctx.owns_db:
            await db.init_db(settings)
        app.ctx.redis = Redis.from_url(
            str(settings.redis_url), socket_timeout=1.0, socket_connect_timeout=1.0
        )
        app.ctx.broker_check = broker_check(settings)
        app.ctx.replaced_publisher = publisher.current()  # restored at stop (nested apps)
        app.ctx.publisher = Publisher(settings)
        publisher.install(app.ctx.publisher)
        app.ctx.rate_limiter = RateLimiter.from_url(
            str(settings.redis_url), settings.redis_namespace, enabled=settings.rate_limit_enabled
        )

    @app.after_server_stop
    async def disconnect(app: App) -> None:
        await app.ctx.publisher.drain()
        app.ctx.publisher.close()
        publisher.install(app.ctx.replaced_publisher)
        await app.ctx.redis.aclose()
        await app.ctx.broker_check.aclose()
        if app.ctx.owns_db:
            await db.close_db()


def _register_routes(app: App) -> None:
    app.blueprint(health_bp)
    app.blueprint(accounts_bp)
    app.blueprint(media_bp)
    app.blueprint(payouts_bp)
    app.blueprint(creators_bp)
    app.blueprint(feed_bp)
    app.blueprint(posts_bp)
    app.blueprint(notifications_bp)
    app.blueprint(payments_bp)
    app.blueprint(wallet_bp)
    if app.ctx.settings.metrics_enabled:
        app.blueprint(metrics_bp)

    app.blueprint(api_docs.bp)
    app.blueprint(web_bp)  # last: its catch-all page route must not shadow the API

    @app.get("/openapi.json")
    @openapi.exclude()
    async def openapi_document(request: Request) -> HTTPResponse:
        document = SpecificationBuilder().build(request.app).serialize()
        document["openapi"] = "3.1.0"  # the schemas are pydantic's JSON Schema 2020-12
        return json(document)
