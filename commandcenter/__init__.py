"""commandcenter: the desktop command hall for grid-based social service management."""

__version__ = "0.1.0"
