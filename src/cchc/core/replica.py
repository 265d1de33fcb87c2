"""Reads that may lag go to a streaming replica; a person's own writes are read back from
the primary (issue 18: one deployment for the whole country).

With `DATABASE_REPLICA_URL` set (a PostgreSQL hot standby of the primary), Django's
database router sends to the "replica" alias the reads of the pages named in LAGGING_VIEWS:
public pages, statistics and exports, whose figures may be a few seconds old. Everything
else reads from the primary, and so does:
- any request that is not a GET/HEAD/OPTIONS (a write reads what it writes);
- any request within CCHC_REPLICA_PIN_SECONDS after the same browser's last write (the
  PIN_COOKIE): the page a form redirects to shows what was just saved, though the standby
  has not replayed it yet;
- any read inside a transaction on the primary, and every read of accounts, sessions, login
  locks, tokens and jobs (never stale: a logout or a lock must hold at once).
Without the variable there is no "replica" alias and every read goes to the primary.
The replication itself is PostgreSQL's (pg_basebackup -R, streaming); nothing here copies
data. README "Running in production" tells how to set one up.
"""

from __future__ import annotations

import time
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, router

REPLICA = "replica"
PIN_COOKIE = "cchc_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Pages (URL names) whose reads may lag behind the primary by a few seconds.
LAGGING_VIEWS = frozenset(
    {
        # public results of published cycles
        "public-results",
        "public-cycle",
        "public-cycle-xlsx",
        # dossier statistics (form 06) and their exports
        "dossiers:stats",
        "dossiers:stats-charts",
        "dossiers:stats-xlsx",
        "dossiers:stats-json",
        # the service index (QĐ 766): ranking, trend and exports
        "service_index:home",
        "service_index:unit",
        "service_index:unit-trend",
        "service_index:unit-xlsx",
        "service_index:ranking",
        "service_index:ranking-xlsx",
    }
)

# Never read from the replica: who may act, and the state of work in progress.
PRIMARY_ONLY_APPS = frozenset({"auth", "sessions", "axes", "admin", "django_tasks_database"})
PRIMARY_ONLY_MODELS = frozenset(
    {"core.job", "core.apitoken", "units.profile", "units.rolegrant", "units.appraisalassignment"}
)

_lagging: ContextVar[bool] = ContextVar("cchc_reads_may_lag", default=False)


def configured() -> bool:
    return REPLICA in connections.settings


def _primary_only(model) -> bool:
    meta = model._meta
    return meta.app_label in PRIMARY_ONLY_APPS or meta.label_lower in PRIMARY_ONLY_MODELS


class ReplicaRouter:
    """Installed always; answers the primary unless a replica is configured and this
    request's reads may lag."""

    def db_for_read(self, model, **hints):
        if not _lagging.get() or _primary_only(model) or not configured():
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS  # a transaction reads what it (may) write
        return REPLICA

    def db_for_write(self, model, **hints):
        # Always the primary, also for an object read from the replica (Django would
        # otherwise write where the instance came from).
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies of it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS  # the standby replays the primary's migrations


def reading_connection(model):
    """The connection for raw SQL that reads `model`'s table: the replica where the ORM
    would read from it, else the primary."""
    return connections[router.db_for_read(model)]


def pinned(request) -> bool:
    """This browser wrote within the last CCHC_REPLICA_PIN_SECONDS."""
    try:
        return float(request.COOKIES.get(PIN_COOKIE, "0")) > time.time()
    except ValueError:
        return False


class ReplicaMiddleware:
    """Lets LAGGING_VIEWS read from the replica, and pins a browser to the primary for
    CCHC_REPLICA_PIN_SECONDS after each write (read-your-writes)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _lagging.set(False)
        try:
            response = self.get_response(request)
        finally:
            _lagging.reset(token)
        seconds = settings.REPLICA_PIN_SECONDS
        if request.method not in SAFE_METHODS and seconds and configured():
            response.set_cookie(
                PIN_COOKIE,
                f"{time.time() + seconds:.0f}",
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (
            match is not None
            and match.view_name in LAGGING_VIEWS
            and request.method in SAFE_METHODS
            and not pinned(request)
            and configured()
        ):
            _lagging.set(True)
