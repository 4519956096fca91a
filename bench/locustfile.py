"""One kind of visitor asking for one URL, as fast as it is answered (BENCH_PACE=0) or at a steady pace of
BENCH_PACE requests a second each. Run by bench.load, one endpoint per run. A URL with {lng} and {lat} gets a
random point in central Beijing each time (the finder)."""

import os
import random

import gevent
from locust import FastHttpUser, constant, constant_throughput, task

from bench.points import where

PATH = os.environ.get("BENCH_PATH", "/")
PACE = float(os.environ.get("BENCH_PACE", "0"))
HEADERS = {"X-Forwarded-Proto": "https", "Accept-Language": "zh-CN,zh;q=0.9"}
if os.environ.get("BENCH_TOKEN"):
    HEADERS["Authorization"] = f"Bearer {os.environ['BENCH_TOKEN']}"


class Visitor(FastHttpUser):
    wait_time = constant_throughput(PACE) if PACE else constant(0)

    def on_start(self) -> None:
        self.rng = random.Random()
        # Every user starts in the same instant; a random phase keeps paced users from sending in step.
        if PACE:
            gevent.sleep(self.rng.random() / PACE)

    @task
    def read(self) -> None:
        url = PATH.format(**where(self.rng)) if "{" in PATH else PATH
        self.client.get(url, headers=HEADERS, name=PATH)
