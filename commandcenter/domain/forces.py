"""The seven forces every grid must have (七种力量) and the X forces that join by grid character.

Codes match cc.force_role; names and the is_core flag are read from the database.
"""

from __future__ import annotations

CORE_ROLES: tuple[str, ...] = ("grid_manager", "grid_assistant", "grid_police", "grid_supervisor",
                               "party_secretary", "judicial_worker", "grid_firefighter")
X_ROLES: tuple[str, ...] = ("social_security", "trade_union", "youth_league", "womens_federation",
                            "united_front", "social_org")
