"""The ten-minute service circle as plain numpy/scipy: projection, grid, travel time, coverage, site choice.

Nothing here touches Django or the database, so each piece is tested and benchmarked on its own.
"""
