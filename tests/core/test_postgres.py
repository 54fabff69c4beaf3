"""PostgreSQL, the scale-out database: the server answers, is new enough, and every migration applies.

On SQLite (the default `make test`) this module talks to $ASPA_TEST_POSTGRES_URL directly and is skipped,
with a notice, when nothing answers there. When the whole suite already runs on PostgreSQL
(DATABASE_URL=postgres://…, as `.ci/run` does) it checks the connection the suite uses instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.postgres

URL = os.environ.get("ASPA_TEST_POSTGRES_URL", "postgres://aspa:aspa@127.0.0.1:5432/aspa")
MIN_VERSION = 150000  # PostgreSQL 15, what Debian 12 ships and the README names
ROOT = Path(__file__).resolve().parents[2]
SUITE_ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def _shown(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}@{host}:{parts.port or 5432}"))


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture
def server() -> Iterator[object]:
    psycopg = pytest.importorskip("psycopg")
    try:
        conn = psycopg.connect(URL, connect_timeout=3, autocommit=True)
    except psycopg.OperationalError as exc:
        reason = " ".join(str(exc).split())[:160]
        if os.environ.get("ASPA_POSTGRES_REQUIRED", "") not in ("", "0"):
            pytest.fail(f"ASPA_POSTGRES_REQUIRED is set but no PostgreSQL answers at {_shown(URL)}: {reason}")
        pytest.skip(
            f"NOTICE: no PostgreSQL at {_shown(URL)} ({reason}) — PostgreSQL tests skipped (.ci/run starts one)"
        )
    with conn:
        yield conn


# Exactly one of the two checks exists in a run, so neither adds a needless skip line to the summary.
if SUITE_ON_POSTGRES:

    @pytest.mark.django_db
    def test_suite_runs_on_a_recent_postgresql():
        assert connection.vendor == "postgresql"
        assert connection.pg_version >= MIN_VERSION, connection.pg_version

else:

    def test_server_is_recent_and_every_migration_applies(server):
        assert server.info.server_version >= MIN_VERSION, server.info.server_version
        scratch = f"aspa_migrate_{uuid.uuid4().hex[:10]}"
        server.execute(f'CREATE DATABASE "{scratch}"')
        try:
            env = {**os.environ, "DATABASE_URL": _with_database(URL, scratch)}
            env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
            result = subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput", "-v", "1"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
            import psycopg

            with psycopg.connect(env["DATABASE_URL"], connect_timeout=3) as migrated:
                tables = {
                    row[0]
                    for row in migrated.execute("SELECT tablename FROM pg_tables WHERE schemaname='public'")
                }
                applied = migrated.execute("SELECT count(*) FROM django_migrations").fetchone()
            assert {"org_organisation", "org_membership", "core_auditentry"} <= tables, sorted(tables)
            assert applied is not None and applied[0] > 0
        finally:
            server.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
