"""One kind of visitor asking for one URL as fast as it is answered (the saturation runs; the paced runs use
bench/paced.py). Run by bench.load, one endpoint per run. A URL with {lng} and {lat} gets a random point in central
Beijing each time (the finder)."""

import os
import random

from locust import FastHttpUser, constant, task

from bench.load import HEADERS as BASE_HEADERS
from bench.points import where

PATH = os.environ.get("BENCH_PATH", "/")
HEADERS = dict(BASE_HEADERS)
if os.environ.get("BENCH_TOKEN"):
    HEADERS["Authorization"] = f"Bearer {os.environ['BENCH_TOKEN']}"


class Visitor(FastHttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        self.rng = random.Random()

    @task
    def read(self) -> None:
        url = PATH.format(**where(self.rng)) if "{" in PATH else PATH
        self.client.get(url, headers=HEADERS, name=PATH)
