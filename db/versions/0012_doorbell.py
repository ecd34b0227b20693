"""The doorbell without a table lookup: one NOTIFY per transaction, remembered in a setting
local to the transaction instead of searched for in the event table (issue 10: the search was
half of the first start's history).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

from commandcenter.store.sqlfiles import run_sql_files

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

FILES = ["0012_doorbell.sql", "harden.sql"]


def upgrade() -> None:
    run_sql_files(op.get_bind(), FILES)


def downgrade() -> None:
    raise NotImplementedError("forward-only: restore a backup to go back")
