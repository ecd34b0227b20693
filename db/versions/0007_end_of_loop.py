"""The end of the loop: extension, suspension and supervision of a case, the measures of a
period for every scope, and two-way assessment.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

from commandcenter.store.sqlfiles import run_sql_files

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

FILES = ["0007_loop.sql", "0007_measures.sql", "0007_assessment.sql", "harden.sql"]


def upgrade() -> None:
    run_sql_files(op.get_bind(), FILES)


def downgrade() -> None:
    raise NotImplementedError("forward-only: restore a backup to go back")
