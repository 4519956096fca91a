"""Test support shared by every app's tests and the cross-cutting suites (never imported by the platform)."""
