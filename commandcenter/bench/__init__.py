"""Benchmarks with their targets: `commandcenter bench NAME [--json]`. The harness is Qt-free;
a bench that measures the console loads the real Qt stack when it runs."""
