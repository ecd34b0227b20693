"""Data access: the embedded server, connections, migrations, commands, events (no Qt)."""
