"""Checking a learner's answer to an exercise."""

import numpy as np


def check_answer(answer, expected, *, atol=1e-5):
    """Print whether `answer` equals `expected` within `atol`.

    answer: what the learner computed, or None while the exercise is open.
    expected: the reference value, usually from an rnnlib function.
    A wrong shape or value is reported with what was expected; nothing is raised, so a notebook with open exercises
    still runs to the end. It returns nothing, so the notebook shows only the message.
    """
    if answer is None:
        print("Not answered yet: replace None with your computation and run the cell again.")
        return
    expected = np.asarray(expected, dtype=np.float64)
    try:
        if isinstance(answer, (str, bytes)):
            raise TypeError("text, not a number")  # '0.57' in quotes: NumPy would read it, a learner should not
        answer = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        print(f"Not yet: your answer, {answer!r}, is not a number or an array of numbers "
              f"(a {type(answer).__name__}); compute it as one.")
        return
    if answer.shape != expected.shape and answer.size == expected.size == 1:
        answer, expected = answer.reshape(()), expected.reshape(())
    if answer.shape != expected.shape:
        print(f"Not yet: your answer has shape {answer.shape}, the expected value has shape {expected.shape}.")
        return
    error = float(np.max(np.abs(answer - expected))) if answer.size else 0.0
    if error <= atol:
        print(f"Correct: equal within {atol:g} (largest difference {error:.1e}).")
        return
    print(f"Not yet: the largest difference is {error:.4g}, more than {atol:g}.")
