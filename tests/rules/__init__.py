"""Tests for the plain-Python rules in iepright.rules."""
