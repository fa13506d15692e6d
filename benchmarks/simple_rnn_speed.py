"""How fast is rnnlib's SimpleRNN forward pass next to Keras's own layer?

    .venv/bin/python benchmarks/simple_rnn_speed.py [--repeats 30]

For each shape (N, T, D) -> M it times, in this one process and on the same
float32 input and weights:
  - Keras's SimpleRNN called eagerly,
  - the same layer compiled with XLA, tf.function(jit_compile=True),
  - rnnlib.simple_rnn_forward(method="loop"), the equation step by step,
  - rnnlib.simple_rnn_forward(method="hoisted"), notebook 02's fast form,
and prints the best of `--repeats` runs (the minimum is the least disturbed
by other work on the machine) and the ratios. "vs GEMM" divides the hoisted
time by the time the multiply-adds alone, 2*N*T*(D*M + M*M) flops, would take
at this machine's float32 matrix-multiply rate, measured here on a
2048 x 2048 product. Before timing, every variant is checked against Keras.
"""

import argparse
import os

from rnnlib.session import TF_ENVIRONMENT

os.environ.update(TF_ENVIRONMENT)

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

from rnnlib import simple_rnn_forward  # noqa: E402
from rnnlib.timing import best_time  # noqa: E402

SHAPES = [(16, 32, 28, 64), (32, 28, 32, 16), (256, 100, 64, 128)]  # seeds 000 and 001, then a large one


def gemm_rate(repeats):
    a = np.random.default_rng(0).standard_normal((2048, 2048), dtype=np.float32)
    out = np.empty_like(a)
    seconds = best_time(lambda: np.matmul(a, a, out=out), repeats)
    return 2 * 2048**3 / seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    keras.utils.set_random_seed(0)
    rate = gemm_rate(max(5, args.repeats // 3))
    print(f"float32 GEMM rate: {rate / 1e9:.0f} GFLOP/s (2048 x 2048 x 2048); "
          f"TensorFlow {tf.__version__}, Keras {keras.__version__}, NumPy {np.__version__}, {os.cpu_count()} CPUs")
    header = (f"{'(N, T, D) -> M':<22}{'Keras eager':>12}{'Keras XLA':>11}{'rnnlib loop':>12}{'hoisted':>10}"
              f"{'hoisted/XLA':>13}{'hoisted/eager':>15}{'vs GEMM':>9}")
    print(header)
    print("-" * len(header))
    for n, t, d, m in SHAPES:
        x = rng.standard_normal((n, t, d), dtype=np.float32)
        layer = keras.layers.SimpleRNN(m, return_sequences=True)
        x_tf = tf.constant(x)
        layer(x_tf)
        kernel, recurrent_kernel, bias = layer.get_weights()
        compiled = tf.function(lambda inputs: layer(inputs), jit_compile=True)

        def eager():
            return layer(x_tf).numpy()

        def xla():
            return compiled(x_tf).numpy()

        def loop():
            return simple_rnn_forward(x, kernel, recurrent_kernel, bias, method="loop")[0]

        def hoisted():
            return simple_rnn_forward(x, kernel, recurrent_kernel, bias, method="hoisted")[0]

        reference = eager()
        for fn in (xla, loop, hoisted):
            np.testing.assert_allclose(fn(), reference, rtol=1e-4, atol=1e-4)

        times = {fn.__name__: best_time(fn, args.repeats) for fn in (eager, xla, loop, hoisted)}
        ideal = 2 * n * t * (d * m + m * m) / rate
        ms = {k: v * 1e3 for k, v in times.items()}
        print(f"{str((n, t, d)) + ' -> ' + str(m):<22}{ms['eager']:>10.2f}ms{ms['xla']:>9.2f}ms{ms['loop']:>10.2f}ms"
              f"{ms['hoisted']:>8.2f}ms{times['hoisted'] / times['xla']:>13.2f}{times['hoisted'] / times['eager']:>15.3f}"
              f"{times['hoisted'] / ideal:>8.1f}x")


if __name__ == "__main__":
    main()
