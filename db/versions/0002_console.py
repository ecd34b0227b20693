"""Console helpers: dispatch options (recommended assignees, open load, preset deadline) and whoami.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

from commandcenter.store.sqlfiles import run_sql_files

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

FILES = ["0002_console.sql"]


def upgrade() -> None:
    run_sql_files(op.get_bind(), FILES)


def downgrade() -> None:
    raise NotImplementedError("forward-only: restore a backup to go back")
