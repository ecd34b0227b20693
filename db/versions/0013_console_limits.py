"""Hostile console, third review: no advisory locks or backend signals for consoles; the guard
ends a console holding very many locks, holding back a filling NOTIFY queue or running one
statement for a minute, and puts back a console login's changed settings; the self-check reads
every database's login settings.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-24
"""

from __future__ import annotations

from alembic import op

from commandcenter.store.sqlfiles import run_sql_files

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

FILES = ["0013_console_limits.sql", "harden.sql"]


def upgrade() -> None:
    run_sql_files(op.get_bind(), FILES)


def downgrade() -> None:
    raise NotImplementedError("forward-only: restore a backup to go back")
