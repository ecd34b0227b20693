"""The grid information base, first part: buildings, households, residents and the special
populations, with their privacy rules.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

from commandcenter.store.sqlfiles import run_sql_files

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

FILES = ["0009_base.sql", "harden.sql"]


def upgrade() -> None:
    run_sql_files(op.get_bind(), FILES)


def downgrade() -> None:
    raise NotImplementedError("forward-only: restore a backup to go back")
