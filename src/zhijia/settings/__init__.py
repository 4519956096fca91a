"""Settings: base (shared), dev (local default), test, production (secrets from the environment)."""
