"""Server-rendered pages of the daily log, by area."""
