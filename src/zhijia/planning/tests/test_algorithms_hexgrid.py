"""The H3 grid: cells, centres and per-cell coverage figures, each against a brute-force computation (every
location looked up in h3 one by one, every distance to every site), and the hexagon the map draws."""

from __future__ import annotations

import h3
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhijia.planning.algorithms.coverage import coverage
from zhijia.planning.algorithms.hexgrid import HexGrid, bin_cells, hex_shape
from zhijia.planning.algorithms.projection import LocalProjection
from zhijia.planning.algorithms.travel import TravelModel

CENTRE = (116.40, 39.90)
PROJ = LocalProjection(*CENTRE)


def _lnglat(xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return PROJ.inverse(xy)


def test_resolutions_outside_a_citys_range_are_refused():
    with pytest.raises(ValueError, match="resolution"):
        HexGrid(5)
    with pytest.raises(ValueError, match="resolution"):
        HexGrid(11)
    assert HexGrid(9).edge_m == pytest.approx(200.8, abs=0.1)


@settings(max_examples=40, deadline=None)
@given(
    xy=st.lists(st.tuples(st.floats(-4000, 4000), st.floats(-4000, 4000)), min_size=1, max_size=80),
    res=st.sampled_from([7, 8, 9, 10]),
)
def test_every_location_falls_in_the_cell_h3_itself_names(xy, res):
    lng, lat = _lnglat(np.array(xy, dtype=float))
    grid = HexGrid(res)

    cells = grid.cell_of(lng, lat)
    binned = bin_cells(cells)

    expected = [h3.latlng_to_cell(y, x, res) for x, y in zip(lng, lat, strict=True)]
    assert [h3.int_to_str(int(c)) for c in cells] == expected
    assert [h3.int_to_str(int(binned.cells[i])) for i in binned.index] == expected
    assert len(binned.cells) == len(set(expected))
    c_lng, c_lat = grid.centre(binned.cells)
    for cell, x, y in zip(binned.cells, c_lng, c_lat, strict=True):
        assert (y, x) == pytest.approx(h3.cell_to_latlng(h3.int_to_str(int(cell))))


@settings(max_examples=40, deadline=None)
@given(
    sites=st.lists(st.tuples(st.integers(-3000, 3000), st.integers(-3000, 3000)), min_size=1, max_size=10),
    workers=st.lists(
        st.tuples(st.floats(-3000, 3000), st.floats(-3000, 3000), st.integers(1, 30)), min_size=1, max_size=60
    ),
    res=st.sampled_from([8, 9]),
)
def test_workers_covered_workers_and_minutes_per_hexagon_match_counting_by_hand(sites, workers, res):
    # given a small city: sites, and workers (with counts) around them, in metres from the centre
    model = TravelModel(4.8, 1.3)
    s = np.array(sites, dtype=float)
    d = np.array([(x, y) for x, y, _n in workers], dtype=float)
    w = np.array([n for _x, _y, n in workers], dtype=float)
    grid = HexGrid(res)

    # when the analysis's steps run: coverage of each worker, workers binned by H3 cell, minutes at the centres
    cov = coverage(s, d, model, minutes=10, cap_minutes=1e9)
    lng, lat = _lnglat(d)
    binned = bin_cells(grid.cell_of(lng, lat))
    cell_workers = binned.total(w)
    cell_covered = binned.total(w * cov.covered)
    c_lng, c_lat = grid.centre(binned.cells)
    cell_minutes = coverage(s, PROJ.forward(c_lng, c_lat), model, cap_minutes=1e9).minutes

    # then each cell's figures are the plain sums over the workers h3 puts in it, and the minutes are those from
    # the cell's centre to the nearest site, every site tried
    reach = model.reach_m(10)
    by_hand: dict[str, list[float]] = {}
    for (x, y), n, lo, la in zip(d, w, lng, lat, strict=True):
        near = min(np.hypot(x - sx, y - sy) for sx, sy in s)
        row = by_hand.setdefault(h3.latlng_to_cell(la, lo, res), [0.0, 0.0])
        row[0] += n
        row[1] += n if near <= reach + 1e-9 else 0.0
    assert {
        h3.int_to_str(int(c)): [a, b] for c, a, b in zip(binned.cells, cell_workers, cell_covered, strict=True)
    } == (by_hand)
    for cell, minutes in zip(binned.cells, cell_minutes, strict=True):
        la, lo = h3.cell_to_latlng(h3.int_to_str(int(cell)))
        cx, cy = PROJ.forward([lo], [la])[0]
        near = min(np.hypot(cx - sx, cy - sy) for sx, sy in s)
        assert minutes == pytest.approx(near * 1.3 / 80.0)


@pytest.mark.parametrize("res", [7, 9, 10])
def test_the_drawn_outline_lies_on_every_cells_corners(res):
    # given the cells over ten kilometres of Beijing
    rng = np.random.default_rng(res)
    lng, lat = _lnglat(rng.uniform(-5000, 5000, (300, 2)))
    cells = np.unique(HexGrid(res).cell_of(lng, lat))

    shape = hex_shape(cells, PROJ)

    # then the one outline the map repeats, set at each cell's centre, lies on that cell's own corners to within
    # one per cent of its size
    assert shape is not None
    drawn = np.array(shape.corners_m)
    assert shape.radius_m == pytest.approx(np.mean(np.hypot(drawn[:, 0], drawn[:, 1])), abs=0.1)
    for cell in cells:
        c_lng, c_lat = HexGrid.centre([cell])
        centre = PROJ.forward(c_lng, c_lat)[0]
        corners = HexGrid.boundary(int(cell))
        real = PROJ.forward([p[0] for p in corners], [p[1] for p in corners]) - centre
        gaps = np.min(np.hypot(real[:, None, 0] - drawn[None, :, 0], real[:, None, 1] - drawn[None, :, 1]), axis=1)
        assert gaps.max() < 0.01 * shape.radius_m
