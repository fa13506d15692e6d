"""What every recurrent layer shares: the order of its steps, and Keras's masking rules.

A mask (N, T) is True where a step is real and False where it is padding.
Keras treats a padded step in two ways, and rnnlib follows it:
  - the **state** is carried over unchanged: h_t = h_{t-1} (and c_t = c_{t-1});
  - the **output** at a padded step is the previous step's output again (zeros
    before the first real step), or zeros when zero_output_for_mask=True.
This is the CPU path of Keras's TensorFlow backend. On a GPU, that backend runs
eligible LSTM and GRU layers with cuDNN, which outputs zeros at padded steps.
"""

import numpy as np

def time_steps(t, go_backwards=False):
    """The steps in the order they are processed: 0, ..., T-1, or T-1, ..., 0 with go_backwards."""
    return range(t - 1, -1, -1) if go_backwards else range(t)


def carry_over(new, old, mask, step):
    """The state after step `step`: `new` for the samples whose step is real, `old` where it is padding.

    new, old: (N, M).  mask: (N, T) booleans or None.
    """
    if mask is None:
        return new
    return np.where(mask[:, step, None], new, old)


def masked_outputs(outputs, mask, zero_output_for_mask):
    """What a Keras RNN outputs at each step, given the state after every step and the mask.

    outputs: (N, T, M), the state after every step, in processing order.
    mask: (N, T) booleans in processing order, or None.
    Because the state is carried over at a padded step, the state there already
    is the previous real step's output; before the first real step it is the
    initial state, where Keras outputs zeros. With zero_output_for_mask, every
    padded step outputs zeros. Returns (N, T, M).
    """
    if mask is None:
        return outputs
    keep = mask if zero_output_for_mask else np.cumsum(mask, axis=1) > 0
    return np.where(keep[:, :, None], outputs, np.zeros((), dtype=outputs.dtype))
