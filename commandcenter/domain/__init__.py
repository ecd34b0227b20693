"""Domain vocabulary shared by the core and the views (no Qt, no SQL).

The rules themselves (which actions a state allows, time limits, the calendar) live in the
database and are read from it; this package holds only names and value types.
"""
