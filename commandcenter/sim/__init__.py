"""Live traffic for the demo and the benchmarks, through the same SQL functions as everyone."""
