"""The layer kinds rnnlib supports, in one place.

by_hand computes every kind in BY_HAND (and Sequential and functional models of them); count_params counts the kinds
in WITH_PARAMETERS and NO_PARAMETERS; gradients_by_hand and the language model differentiate and sample RECURRENT
layers; rnnlib.copies trains copies of models made of COPIES.
"""

#: Gate blocks side by side in a recurrent layer's kernel, recurrent kernel and bias.
GATE_BLOCKS = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}
RECURRENT = tuple(GATE_BLOCKS)
POOLING = ("GlobalMaxPooling1D", "GlobalAveragePooling1D")
MODELS = ("Sequential", "Functional")
BY_HAND = tuple(sorted(RECURRENT + POOLING + ("Bidirectional", "Dense", "Embedding", "TimeDistributed")))
WITH_PARAMETERS = RECURRENT + ("Dense", "Embedding", "TimeDistributed", "Bidirectional")
NO_PARAMETERS = {"InputLayer", "Flatten", "Dropout", "Masking", "Activation", "Reshape", "RepeatVector", "Permute"} | {
    f"{how}Pooling{d}D" for how in ("GlobalMax", "GlobalAverage", "Max", "Average") for d in (1, 2, 3)}
COPIES = ("Embedding",) + RECURRENT + POOLING + ("Dense",)


def gate_blocks(kind):
    """How many gate blocks a SimpleRNN, LSTM or GRU keeps side by side in its weights: 1, 4 or 3."""
    if kind not in GATE_BLOCKS:
        raise ValueError(f"kind must be one of {', '.join(GATE_BLOCKS)}; got {kind!r}")
    return GATE_BLOCKS[kind]


def cell(kind, config):
    """A recurrent layer's (forward, backward, step) functions, and the options its config gives them."""
    from rnnlib.gru import gru_backward, gru_forward, gru_step
    from rnnlib.lstm import lstm_backward, lstm_forward, lstm_step
    from rnnlib.simple_rnn import simple_rnn_backward, simple_rnn_forward, simple_rnn_step

    functions, keys = {
        "SimpleRNN": ((simple_rnn_forward, simple_rnn_backward, simple_rnn_step), ("activation",)),
        "LSTM": ((lstm_forward, lstm_backward, lstm_step), ("activation", "recurrent_activation")),
        "GRU": ((gru_forward, gru_backward, gru_step), ("activation", "recurrent_activation", "reset_after")),
    }[kind]
    return (*functions, {key: config[key] for key in keys})
