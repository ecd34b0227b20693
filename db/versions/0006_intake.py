"""Intake: call-taking with duplicates offered before a case is opened, repeat reports on an
existing case, and Open311 GeoReport v2 requests in and out.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

from commandcenter.store.sqlfiles import run_sql_files

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

FILES = ["0006_intake.sql", "0006_open311.sql", "0006_field.sql", "harden.sql"]


def upgrade() -> None:
    run_sql_files(op.get_bind(), FILES)


def downgrade() -> None:
    raise NotImplementedError("forward-only: restore a backup to go back")
