"""`make bench` / `python -m bench`: run every benchmark (filled in by the benchmarks issue)."""

import sys


def main() -> int:
    print("no benchmarks yet")
    return 0


if __name__ == "__main__":
    sys.exit(main())
