"""How fast is rnnlib's SimpleRNN forward pass next to Keras's own layer?

    .venv/bin/python benchmarks/simple_rnn_speed.py [--repeats 30]

For each shape (N, T, D) -> M it times, in this one process and on the same
float32 input and weights:
  - Keras's SimpleRNN called eagerly,
  - the same layer compiled with XLA, tf.function(jit_compile=True),
  - rnnlib.simple_rnn_forward(method="loop"), the equation step by step,
  - rnnlib.simple_rnn_forward(method="hoisted"), notebook 02's fast form,
and prints the best of `--repeats` runs (the minimum is the least disturbed
by other work on the machine) and the ratios.

The four forward passes are timed one after the other, each in a block of
its own. Taking turns with the NumPy passes made the XLA layer slower at
the small shapes here (about 0.5 ms instead of 0.4), and its best time is
the fair one to beat.

"vs GEMM" divides the hoisted time by the time the multiply-adds alone,
2*N*T*(D*M + M*M) flops, would take at this machine's float32
matrix-multiply rate, measured on a 2048 x 2048 product. A shared VM changes
speed from minute to minute, so the hoisted forward and the large product
take turns, one call each per round, and both minima come from the same
stretch of time. "GEMMs only" times, in the same rounds, the hoisted
forward's matrix products alone (the projection and the T products
h_{t-1} W, with no bias, addition or tanh): the floor for a forward pass
built on NumPy's matmul, against the same rate.

Before timing, every variant is checked against Keras.
"""

import argparse
import os

from rnnlib.session import configure_tensorflow

configure_tensorflow()

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

from rnnlib import simple_rnn_forward  # noqa: E402
from rnnlib.timing import best_time, best_times  # noqa: E402

SHAPES = [(16, 32, 28, 64), (32, 28, 32, 16), (256, 100, 64, 128)]  # notebooks 03 and 01, then a large one
GEMM_SIZE = 2048  # a product big enough to run at the machine's best float32 rate


def make_gemm():
    """A float32 (2048, 2048) @ (2048, 2048) product and its flop count: the machine's best GEMM rate."""
    a = np.random.default_rng(0).standard_normal((GEMM_SIZE, GEMM_SIZE), dtype=np.float32)
    out = np.empty_like(a)

    def gemm():
        np.matmul(a, a, out=out)

    return gemm, 2 * GEMM_SIZE**3


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    keras.utils.set_random_seed(0)
    gemm, gemm_flops = make_gemm()
    print(f"TensorFlow {tf.__version__}, Keras {keras.__version__}, NumPy {np.__version__}, {os.cpu_count()} CPUs; "
          f"best of {args.repeats} rounds")
    header = (f"{'(N, T, D) -> M':<22}{'Keras eager':>12}{'Keras XLA':>11}{'rnnlib loop':>12}{'hoisted':>10}"
              f"{'hoisted/XLA':>13}{'hoisted/eager':>15}{'GEMM rate':>14}{'vs GEMM':>9}{'GEMMs only':>12}")
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

        def gemms_only():
            states = np.empty((t, n, m), dtype=np.float32)
            np.matmul(x.transpose(1, 0, 2), kernel, out=states)
            h = states[0]
            for step in range(1, t):
                np.matmul(h, recurrent_kernel, out=states[step])
                h = states[step]

        reference = eager()
        for fn in (xla, loop, hoisted):
            np.testing.assert_allclose(fn(), reference, rtol=1e-4, atol=1e-4)

        times = {fn.__name__: best_time(fn, args.repeats) for fn in (eager, xla, loop, hoisted)}
        against_gemm = best_times({"hoisted": hoisted, "gemms_only": gemms_only, "gemm": gemm}, args.repeats)
        rate = gemm_flops / against_gemm["gemm"]
        ideal = 2 * n * t * (d * m + m * m) / rate
        ms = {k: v * 1e3 for k, v in times.items()}
        print(f"{str((n, t, d)) + ' -> ' + str(m):<22}{ms['eager']:>10.2f}ms{ms['xla']:>9.2f}ms{ms['loop']:>10.2f}ms"
              f"{ms['hoisted']:>8.2f}ms{times['hoisted'] / times['xla']:>13.2f}{times['hoisted'] / times['eager']:>15.3f}"
              f"{rate / 1e9:>7.0f} GFLOP/s{against_gemm['hoisted'] / ideal:>8.1f}x"
              f"{against_gemm['gemms_only'] / ideal:>11.1f}x")


if __name__ == "__main__":
    main()
