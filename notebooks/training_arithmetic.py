# %% [markdown]
# ### Notebook: epochs, batches, iterations and parameter counts
#
# This notebook proves the bookkeeping behind training loops by counting what a data loader
# actually yields: 1,000,000 samples in batches of 1,000 for 10 epochs is 1,000 iterations per
# epoch and 10,000 weight updates; with 1,000,500 samples there are 1,001 iterations per epoch (the
# last batch has 500 samples) unless the partial batch is dropped. It also counts the parameters
# of the fully connected network 784 → 128 → 64 → 10: 100,480 + 8,256 + 650 = 109,386.

# %%
import math

import matplotlib.pyplot as plt
import numpy as np

plt.rcParams.update({"figure.figsize": (7, 3.5), "figure.dpi": 100,
                     "figure.facecolor": "white", "axes.facecolor": "white"})
rng = np.random.default_rng(0)


def batches(n_samples, batch_size, drop_last=False):
    """Yield shuffled index batches for one epoch, like DataLoader(shuffle=True)."""
    order = rng.permutation(n_samples)
    for start in range(0, n_samples, batch_size):
        batch = order[start:start + batch_size]
        if drop_last and len(batch) < batch_size:
            return
        yield batch


def run(n_samples, batch_size, epochs, drop_last=False):
    """Count the weight updates (one per batch) and the samples seen."""
    updates = seen = 0
    sizes = []
    for _ in range(epochs):
        for batch in batches(n_samples, batch_size, drop_last):
            updates += 1
            seen += len(batch)
            sizes.append(len(batch))
    return updates, seen, sizes

# %% [markdown]
# **Vocabulary.** An *iteration* (step) processes one batch and makes one weight update; an
# *epoch* is one pass over the whole training set. So iterations per epoch $= \lceil N / B\rceil$
# and total updates $= \text{epochs} \times \lceil N/B \rceil$.
#
# For $N = 1{,}000{,}000$, $B = 1{,}000$ and 10 epochs: 1,000 iterations per epoch, 10,000 weight
# updates, and every sample is seen 10 times (10,000,000 sample presentations).

# %%
updates, seen, sizes = run(1_000_000, 1_000, epochs=10)
print(f"updates {updates:,}, samples seen {seen:,}")
assert updates == 10_000 and updates // 10 == 1_000 == math.ceil(1_000_000 / 1_000)
assert seen == 10_000_000 and set(sizes) == {1_000}

# %% [markdown]
# **When $B$ does not divide $N$.** With $N = 1{,}000{,}500$ there are $\lceil N/B \rceil = 1{,}001$
# iterations per epoch: 1,000 full batches and a last one of 500 samples (10,010 updates over 10
# epochs). With `drop_last=True` (PyTorch's `DataLoader` option) the partial batch is skipped: 1,000
# iterations per epoch (10,000 updates), and 500 samples, a different random 500 each epoch when
# shuffling, are not used in that epoch.

# %%
updates, seen, sizes = run(1_000_500, 1_000, epochs=1)
print(f"1 epoch: {updates:,} iterations, last batch {sizes[-1]} samples")
assert updates == 1_001 == math.ceil(1_000_500 / 1_000)
assert sizes[-1] == 500 and seen == 1_000_500
assert run(1_000_500, 1_000, epochs=10)[0] == 10_010

updates, seen, sizes = run(1_000_500, 1_000, epochs=1, drop_last=True)
print(f"drop_last: {updates:,} iterations, {1_000_500 - seen} samples skipped")
assert updates == 1_000 == 1_000_500 // 1_000 and 1_000_500 - seen == 500
assert run(1_000_500, 1_000, epochs=10, drop_last=True)[0] == 10_000

# %% [markdown]
# **Parameters of a fully connected network.** A dense layer from $n_{l-1}$ to $n_l$ units has an
# $n_{l-1}\times n_l$ weight matrix and $n_l$ biases, so a network has
# $\sum_l (n_{l-1}\,n_l + n_l)$ parameters. For 784 → 128 → 64 → 10 (an MNIST classifier):
#
# | layer | weights | biases | parameters |
# |---|---|---|---|
# | 784 → 128 | 100,352 | 128 | 100,480 |
# | 128 → 64 | 8,192 | 64 | 8,256 |
# | 64 → 10 | 640 | 10 | 650 |
# | **total** | | | **109,386** |
#
# We also build the weight arrays and count their entries. The first layer holds 92% of the
# parameters: the widest input dominates.

# %%
def dense_params(widths):
    return [n_in * n_out + n_out for n_in, n_out in zip(widths[:-1], widths[1:])]


widths = [784, 128, 64, 10]
per_layer = dense_params(widths)
layers = list(zip(widths[:-1], widths[1:]))
arrays = [(rng.normal(size=(a, b)), np.zeros(b)) for a, b in layers]
print("per layer:", per_layer, "total:", sum(per_layer))
assert per_layer == [100_480, 8_256, 650] and sum(per_layer) == 109_386
assert [W.size + b.size for W, b in arrays] == per_layer
assert round(100 * per_layer[0] / sum(per_layer)) == 92

fig, ax = plt.subplots()
ax.bar([f"{a}→{b}" for a, b in layers], per_layer, color="tab:blue")
for i, p in enumerate(per_layer):
    ax.text(i, p, f"{p:,}", ha="center", va="bottom")
ax.set(yscale="log", ylim=(100, 5e5), xlabel="layer", ylabel="parameters (log scale)",
       title="Parameters per layer of a 784-128-64-10 network")
fig.tight_layout()
plt.show()
