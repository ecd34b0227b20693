"""PLACEHOLDER for revision 0010, which is being written on main: it only lets revision 0011
(the shift handover) stand on a chain that reaches 0009 in this branch. Drop this file at merge.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23
"""

from __future__ import annotations

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing: the real 0010 lives on main."""


def downgrade() -> None:
    raise NotImplementedError("forward-only: restore a backup to go back")
