"""Random points in central Beijing for the finder (shared by the load test and its locustfile)."""

import random


def where(rng: random.Random) -> dict[str, str]:
    return {"lng": f"{116.40 + rng.uniform(-0.25, 0.25):.5f}", "lat": f"{39.90 + rng.uniform(-0.2, 0.2):.5f}"}
