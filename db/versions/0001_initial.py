"""Initial schema: territory, forces, taxonomy, calendar, workflow functions, events, security.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

from commandcenter.store.sqlfiles import run_sql_files

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

FILES = [
    "0001_roles.sql",
    "0001_schema.sql",
    "0001_calendar.sql",
    "0001_workflow.sql",
    "0001_events.sql",
    "0001_views.sql",
    "0001_reference.sql",
    "0001_security.sql",
]


def upgrade() -> None:
    run_sql_files(op.get_bind(), FILES)


def downgrade() -> None:
    raise NotImplementedError("forward-only: restore a backup to go back")
