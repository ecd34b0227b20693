"""Accounts: login roles managed by admins, audit of sign-ins and account changes, people by street, private reporter data.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

from commandcenter.store.sqlfiles import run_sql_files

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

FILES = ["0003_accounts.sql"]


def upgrade() -> None:
    run_sql_files(op.get_bind(), FILES)


def downgrade() -> None:
    raise NotImplementedError("forward-only: restore a backup to go back")
