"""Timing helper for the speed comparisons (a notebook cell and benchmarks/)."""

import time


def best_time(fn, repeats=10):
    """The fastest of `repeats` calls of fn(), in seconds, after one warm-up call.

    The minimum is the run least disturbed by whatever else the machine was doing, which makes it the most
    repeatable summary of a short timing.
    """
    return best_times({"fn": fn}, repeats)["fn"]


def best_times(fns, repeats=10):
    """The fastest call of each function in a dict {name: fn}, in seconds.

    The functions take turns, one call each per round, for `repeats` rounds after one warm-up round. A machine that
    slows down or speeds up halfway (another job starts, the CPU clock changes) then touches every function alike,
    so ratios between the results stay fair; timing one function after the other would put the change in some
    results only.
    """
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1; got {repeats}")
    for fn in fns.values():
        fn()
    best = dict.fromkeys(fns, float("inf"))
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - start)
    return best
