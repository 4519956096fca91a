"""Reading the real administrative divisions shipped in `data/` (GB/T 2260 codes; see data/README.md)."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
# Direct-controlled municipalities: the province-level unit is the city, and its federation is a city federation.
MUNICIPALITIES = {"11", "12", "31", "50"}


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    parent_code: str


def _rows(name: str) -> Iterator[dict[str, str]]:
    with gzip.open(DATA_DIR / f"{name}.csv.gz", "rb") as fh:
        yield from csv.DictReader(io.TextIOWrapper(fh, encoding="utf-8"))


def provinces() -> list[Division]:
    return [Division(r["code"], r["name"], "") for r in _rows("provinces")]


def cities(province_code: str) -> list[Division]:
    return [
        Division(r["code"], r["name"], r["provinceCode"]) for r in _rows("cities") if r["provinceCode"] == province_code
    ]


def areas(province_code: str) -> list[Division]:
    return [Division(r["code"], r["name"], r["cityCode"]) for r in _rows("areas") if r["provinceCode"] == province_code]


def streets(province_code: str) -> list[Division]:
    return [
        Division(r["code"], r["name"], r["areaCode"]) for r in _rows("streets") if r["provinceCode"] == province_code
    ]


def communities(province_code: str) -> list[Division]:
    """Communities and villages. The project ships them for Beijing only (the demo city)."""
    if province_code != "11":
        return []
    return [Division(r["code"], r["name"], r["streetCode"]) for r in _rows("beijing-communities")]


def area_centroids() -> dict[str, tuple[float, float]]:
    """District/county centres by 6-digit code: (longitude, latitude), GCJ-02 as published. A few published rows
    have no coordinates; they are left out."""
    return {
        r["adcode"][:6]: (float(r["longitude"]), float(r["latitude"]))
        for r in _rows("area-centroids")
        if r["longitude"] and r["latitude"]
    }


def federation_name(division_name: str, *, suffix: str = "总工会") -> str:
    return f"{division_name}{suffix}"


def community_federation_name(name: str) -> str:
    for tail in ("社区居委会", "居委会", "村委会", "委员会"):
        if name.endswith(tail):
            stem = name[: -len(tail)]
            if tail == "社区居委会":
                return f"{stem}社区工会联合会"
            if tail == "村委会":
                return f"{stem}村工会联合会"
            return f"{stem}工会联合会"
    return f"{name}工会联合会"


def is_village(name: str) -> bool:
    return name.endswith("村委会")
