"""Plain-Python rules: dates and numbers in, dates and numbers out, each with its citation."""
