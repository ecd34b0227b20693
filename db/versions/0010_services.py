"""Places and organisations of the grid information base, and the service directory:
providers, items, opening hours, the nearest open provider, service requests as cases, and
the 15-minute coverage of each grid.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

from commandcenter.store.sqlfiles import run_sql_files

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

FILES = ["0010_services.sql", "harden.sql"]


def upgrade() -> None:
    run_sql_files(op.get_bind(), FILES)


def downgrade() -> None:
    raise NotImplementedError("forward-only: restore a backup to go back")
