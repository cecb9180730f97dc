"""Locust users for bench/load_bench.py (run by it; not a test).

``LOAD_MIX`` chooses the user: ``mixed`` (public reads of every family, some conditional),
``home`` (the home page only) or ``bare`` (the trivial Flask endpoint). ``LOAD_URLS`` is a
JSON file of detail paths and search queries prepared by load_bench.py. Requests are named by
URL family, so locust's statistics are per family.
"""
from __future__ import annotations

import json
import os
import random

from locust import FastHttpUser, constant, task

MIX = os.environ.get("LOAD_MIX", "mixed")
URLS = json.loads(open(os.environ["LOAD_URLS"], encoding="utf-8").read()) if os.environ.get("LOAD_URLS") else {}
CONDITIONAL_SHARE = 0.25


class Reader(FastHttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        self.etags: dict[str, str] = {}

    def _get(self, family: str, path: str) -> None:
        headers = {}
        conditional = path in self.etags and random.random() < CONDITIONAL_SHARE
        if conditional:
            headers["If-None-Match"] = self.etags[path]
        name = family + (" (conditional)" if conditional else "")
        with self.client.get(path, headers=headers, name=name, catch_response=True) as response:
            if response.status_code == 200:
                if response.headers.get("ETag"):
                    self.etags[path] = response.headers["ETag"]
                response.success()
            elif response.status_code == 304 and conditional:
                response.success()
            else:
                response.failure(f"{path}: HTTP {response.status_code}")

    if MIX == "mixed":
        @task(4)
        def home(self) -> None:
            self._get("home", random.choice(["/", "/en/"]))

        @task(4)
        def lists(self) -> None:
            self._get("list", random.choice(URLS["lists"]))

        @task(6)
        def details(self) -> None:
            self._get("detail", random.choice(URLS["details"]))

        @task(3)
        def search(self) -> None:
            self._get("search", random.choice(URLS["searches"]))

        @task(2)
        def feeds(self) -> None:
            self._get("feed", random.choice(URLS["feeds"]))

        @task(3)
        def api(self) -> None:
            self._get("api", random.choice(URLS["api"]))

    elif MIX == "home":
        @task
        def home_only(self) -> None:
            self._get("home", "/")

    else:
        @task
        def bare(self) -> None:
            self._get("bare", "/__bench/bare")
