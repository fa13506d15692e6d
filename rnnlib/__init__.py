"""rnnlib: the reference math behind the notebooks, in plain NumPy.

Dimension letters used everywhere: N samples, T time steps, D input features, M hidden units, K outputs. Arrays are
batch-major, (N, T, D). Each module's docstring says what it computes; this package exports the names the notebooks
use most. `import rnnlib` needs only NumPy: plots, widgets and the Keras helpers in `rnnlib.copies` are imported on
demand. `rnnlib.keras_adapter` is the one module that reads Keras objects' configs and weights; `rnnlib.layers`
lists the layer kinds rnnlib supports.
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
