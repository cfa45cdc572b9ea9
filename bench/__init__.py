"""kg benchmarks: commands that measure and print tables (``python -m bench --help``)."""
