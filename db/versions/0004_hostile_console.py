"""Hostile console: definer functions pinned and owned narrowly, no temporary objects for consoles,
bounded and cleaned input, reporter from the account, the tier ladder, connection limits, the
guard against sessions that hold others up, staffing by street, the security self-check.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

from commandcenter.store.sqlfiles import run_sql_files

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# harden.sql last, and again at the end of every later migration that adds or replaces a function.
FILES = ["0004_input.sql", "0004_guard.sql", "0004_owners.sql", "harden.sql"]


def upgrade() -> None:
    run_sql_files(op.get_bind(), FILES)


def downgrade() -> None:
    raise NotImplementedError("forward-only: restore a backup to go back")
