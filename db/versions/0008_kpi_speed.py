"""The measures of a city year within their target: the case keeps its first dispatch, the
work calendar is looked up in arrays.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

from commandcenter.store.sqlfiles import run_sql_files

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

FILES = ["0008_kpi_speed.sql", "harden.sql"]


def upgrade() -> None:
    run_sql_files(op.get_bind(), FILES)


def downgrade() -> None:
    raise NotImplementedError("forward-only: restore a backup to go back")
