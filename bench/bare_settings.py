"""Production settings with the bare view as the whole URL map (see bench.bare)."""

from zhijia.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.bare"
