"""rnnlib: the reference math behind the notebooks, in plain NumPy.

Dimension letters used everywhere: N samples, T time steps, D input
features, M hidden units, K outputs. Arrays are batch-major, (N, T, D).

- `simple_rnn_step`, `simple_rnn_forward`: h_t = φ(x_t U + h_{t-1} W + b).
- `lstm_step`, `lstm_forward`, `gru_step`, `gru_forward`: the gated layers,
  in Keras's gate order, GRU in both `reset_after` forms.
- `dense_forward`: ŷ = g(h V + b_y) on (N, M) or (N, T, M).
- `simple_rnn_backward`, `lstm_backward`, `gru_backward`, `dense_backward`:
  backpropagation through time, the gradients of each forward.
- `mean_squared_error`, `sparse_softmax_cross_entropy`: losses with their gradients.
- `gradients_by_hand(model, x, y, loss=...)`: what tf.GradientTape computes
  for a SimpleRNN/LSTM/GRU + Dense model, by backpropagation in NumPy.
- `by_hand(layer_or_model, x)`: what a built Keras layer or model returns,
  recomputed from its config and weights, never by calling it.
- `next_token_probabilities`, `perplexity`: a language model's, by hand (`rnnlib.language_model`
  also samples); `rnnlib.brackets`: a tiny language whose probabilities are known exactly.
- `count_params`, `param_table`: parameter counts by formula, layer by layer.
- `to_pytorch_layout`, `pytorch_forward`: Keras's weights in PyTorch's layout, and PyTorch's recurrence.
- `one_unit_rnn`: states and prediction of notebook 01's 1-unit model.
- `tokenize`, `build_vocabulary`, `encode`: text to padded token ids.
- `check_answer`: the checker behind every exercise.
- `configure_tensorflow()`: TensorFlow's environment, set before Keras is imported.

Plots and widgets live in `rnnlib.plots` and `rnnlib.widgets`, and Keras
helpers in `rnnlib.copies`, imported on demand so that `import rnnlib` needs
only NumPy. `rnnlib.keras_adapter` is the one module that reads Keras objects;
`rnnlib.layers` lists the layer kinds rnnlib supports.
"""

from rnnlib.activations import ACTIVATIONS, get_activation
from rnnlib.by_hand import SUPPORTED_LAYERS, by_hand
from rnnlib.dense import dense_backward, dense_forward
from rnnlib.exercises import check_answer
from rnnlib.gradients import gradients_by_hand
from rnnlib.gru import gru_backward, gru_forward, gru_step
from rnnlib.language_model import next_token_probabilities, perplexity
from rnnlib.losses import mean_squared_error, sparse_softmax_cross_entropy
from rnnlib.lstm import lstm_backward, lstm_forward, lstm_step
from rnnlib.params import count_params, param_table
from rnnlib.pytorch_layout import pytorch_forward, to_pytorch_layout
from rnnlib.session import configure_tensorflow
from rnnlib.simple_rnn import one_unit_rnn, simple_rnn_backward, simple_rnn_forward, simple_rnn_step
from rnnlib.text import build_vocabulary, encode, tokenize

__all__ = [
    "ACTIVATIONS", "SUPPORTED_LAYERS", "build_vocabulary", "by_hand", "check_answer", "configure_tensorflow",
    "count_params", "dense_backward", "dense_forward", "encode", "get_activation", "gradients_by_hand",
    "gru_backward", "gru_forward", "gru_step", "lstm_backward", "lstm_forward", "lstm_step", "mean_squared_error",
    "next_token_probabilities", "one_unit_rnn", "param_table", "perplexity", "pytorch_forward",
    "simple_rnn_backward", "simple_rnn_forward", "simple_rnn_step", "sparse_softmax_cross_entropy",
    "to_pytorch_layout", "tokenize"
]
