"""Timing helper for the speed comparisons (a notebook cell and benchmarks/)."""

import time


def best_time(fn, repeats=10):
    """The fastest of `repeats` calls of fn(), in seconds, after one warm-up call.

    The minimum is the run least disturbed by whatever else the machine was
    doing, which makes it the most repeatable summary of a short timing.
    """
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1; got {repeats}")
    fn()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best
