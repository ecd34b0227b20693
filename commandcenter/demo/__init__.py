"""The demo district: territory, staff, accounts and a history played through the workflow.

The defaults live here, light to import (the command line's parser reads them)."""

#: The demo district, and the history `commandcenter demo seed` builds by default.
DEFAULT_DISTRICT = "东城区"
FULL_DAYS = 90
#: The first start's demo seed (its territory may be drawn ahead: demo.prebuilt).
FIRST_START_SEED = 1
FULL_CASES = 22000
