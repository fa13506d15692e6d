import numpy as np

from rnnlib.exercises import check_answer


def test_open_exercise(capsys):
    check_answer(None, 1.0)
    assert "Not answered yet" in capsys.readouterr().out


def test_right_and_wrong_answers(capsys):
    check_answer(np.float32(0.5746256), np.array([[0.5746256]]))
    assert "Correct" in capsys.readouterr().out
    check_answer(0.6, [[0.5746256]])
    assert "largest difference is 0.02537" in capsys.readouterr().out
    check_answer(np.ones((2, 3)), np.ones((3, 2)))
    assert "shape (2, 3)" in capsys.readouterr().out


def test_an_answer_that_is_not_a_number_is_reported_not_raised(capsys):
    check_answer("0.57", 0.5746256)  # typed in quotes
    assert "Not yet: your answer, '0.57', is not a number" in capsys.readouterr().out
    check_answer([[1.0, 2.0], [3.0]], np.ones(3))  # a ragged list
    assert "is not a number or an array of numbers" in capsys.readouterr().out
