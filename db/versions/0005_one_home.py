"""One home for every rule: the limits table that functions and dialogs read, the board's
warn_at, the key figures as SQL functions, from-states taken from the case, one capability
rule per action.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

from commandcenter.store.sqlfiles import run_sql_files

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

FILES = ["0005_rules.sql", "harden.sql"]


def upgrade() -> None:
    run_sql_files(op.get_bind(), FILES)


def downgrade() -> None:
    raise NotImplementedError("forward-only: restore a backup to go back")
