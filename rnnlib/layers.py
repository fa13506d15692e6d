"""The layer kinds rnnlib supports, in one place.

by_hand computes every kind in BY_HAND (and Sequential and functional models of
them); count_params counts those with weights and those in NO_PARAMETERS;
gradients_by_hand and the language model differentiate and sample RECURRENT
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
