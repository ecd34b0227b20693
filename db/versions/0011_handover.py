"""The shift handover (交接班, issue 15): a console's shift summarised by the server and a
free-text note, written at sign-out, shown to the next operator of the scope at sign-in and
acknowledged; append-only and read through SECURITY DEFINER functions.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

from commandcenter.store.sqlfiles import run_sql_files

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

FILES = ["0011_handover.sql", "harden.sql"]


def upgrade() -> None:
    run_sql_files(op.get_bind(), FILES)


def downgrade() -> None:
    raise NotImplementedError("forward-only: restore a backup to go back")
