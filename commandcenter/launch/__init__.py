"""How a start goes, without Qt: what a first start builds, and who signs in where."""
