"""The shape of every array in a batched SimpleRNN forward pass, and its cost.

N samples, T time steps, D input features, M hidden units.
"""

from dataclasses import dataclass

from rnnlib._checks import check_sizes


@dataclass(frozen=True)
class ArrayShape:
    name: str
    meaning: str
    shape: tuple


def batching_shapes(N, T, D, M):
    """Every array of the batched forward pass, as ArrayShape(name, meaning, shape)."""
    check_sizes(N=N, T=T, D=D, M=M)
    return [
        ArrayShape("x", "the batch, batch-major as Keras takes it", (N, T, D)),
        ArrayShape("x.transpose(1, 0, 2)", "the same batch, time-major", (T, N, D)),
        ArrayShape("x[:, t]", "every sample's input at step t", (N, D)),
        ArrayShape("U", "kernel", (D, M)),
        ArrayShape("W", "recurrent_kernel", (M, M)),
        ArrayShape("b", "bias, broadcast over the N rows", (M,)),
        ArrayShape("x[:, t] @ U", "input projection at step t", (N, M)),
        ArrayShape("h_prev @ W", "recurrent term at step t", (N, M)),
        ArrayShape("h_t", "the new state", (N, M)),
        ArrayShape("states", "every state, stacked along axis 1", (N, T, M)),
        ArrayShape("x.reshape(N*T, D)", "every step of every sample as rows", (N * T, D)),
        ArrayShape("x.reshape(N*T, D) @ U", "the hoisted input projection", (N * T, M)),
    ]


def multiply_adds(N, T, D, M):
    """Multiply-adds of the forward pass: (per step, whole sequence).

    Each step costs N*D*M for x_t U and N*M*M for h_{t-1} W. Hoisting the input projection out of the loop changes
    how the work is grouped, not how much of it there is.
    """
    check_sizes(N=N, T=T, D=D, M=M)
    per_step = N * D * M + N * M * M
    return per_step, T * per_step


def shape_table(N, T, D, M):
    """The shapes and costs as aligned text, for print()."""
    rows = [(a.name, str(a.shape), a.meaning) for a in batching_shapes(N, T, D, M)]
    widths = [max(len(r[i]) for r in rows) for i in range(2)]
    lines = [f"{n.ljust(widths[0])}  {s.ljust(widths[1])}  {m}" for n, s, m in rows]
    per_step, total = multiply_adds(N, T, D, M)
    lines += ["", f"multiply-adds per step: N·D·M + N·M·M = {per_step:,}",
              f"multiply-adds in all:   T·(N·D·M + N·M·M) = {total:,}"]
    return "\n".join(lines)
