# %% [markdown]
# ### Notebook: weight initialisation in a 50-layer network
#
# This notebook pushes a batch of 512 random inputs through 50-layer, 256-unit-wide tanh and ReLU
# networks (no biases) under different weight initialisations and tracks the standard deviation
# of each layer's activations. It proves that zero (or any constant) initialisation never breaks
# the symmetry between hidden units, that $\mathcal N(0, 1)$ saturates tanh and explodes ReLU,
# that $\mathcal N(0, 0.01^2)$ makes the signal vanish, and that Xavier/Glorot (tanh) and He
# (ReLU) keep it alive.

# %%
import matplotlib.pyplot as plt
import numpy as np

plt.rcParams.update({"figure.figsize": (7, 3.5), "figure.dpi": 100,
                     "figure.facecolor": "white", "axes.facecolor": "white"})
rng = np.random.default_rng(0)

width, depth, batch = 256, 50, 512
X = rng.normal(size=(batch, width))  # unit-variance inputs


def relu(z):
    return np.maximum(z, 0)


def layer_stds(activation, weight_std):
    """Std of every layer's activations, and the last layer's activations."""
    a, stds = X, []
    for _ in range(depth):
        if weight_std:
            W = rng.normal(scale=weight_std, size=(width, width))
        else:
            W = np.zeros((width, width))
        a = activation(a @ W)
        stds.append(a.std())
    return np.array(stds), a

# %% [markdown]
# **Zero initialisation.** With all weights equal to $0$, every hidden unit computes the same
# value (here $0$) in every layer. Worse, they also receive the same gradient, so gradient descent
# can never make them different: the layer behaves like a single unit. The small 3 → 4 → 1
# network below starts with every weight equal to $0.5$ and is trained for 100 steps; its four
# hidden units stay identical throughout.

# %%
for activation in (np.tanh, relu):
    stds, last = layer_stds(activation, 0.0)
    # all units identical: 0
    assert np.all(last == last[:, :1]) and np.all(stds == 0)

x_small = rng.normal(size=(16, 3))
target = rng.normal(size=(16, 1))
W1, W2 = np.full((3, 4), 0.5), np.full((4, 1), 0.5)  # constant initialisation
for _ in range(100):
    h = np.tanh(x_small @ W1)
    # gradient of 0.5 * squared error
    error = h @ W2 - target
    dW2 = h.T @ error / len(x_small)
    dW1 = x_small.T @ ((error @ W2.T) * (1 - h**2)) / len(x_small)
    W1, W2 = W1 - 0.1 * dW1, W2 - 0.1 * dW2
print("hidden-unit weight vectors after 100 steps (columns of W1):\n", W1.round(4))
# symmetry never broken
assert np.allclose(W1, W1[:, :1]) and np.allclose(W2, W2[0])

# %% [markdown]
# **Random initialisations.** For a layer $a^{(l)} = \phi(a^{(l-1)} W)$ with fan-in $n$,
# the pre-activation variance is $n \cdot \operatorname{Var}(w) \cdot \mathbb E[a^2]$, so the scale
# of $w$ decides whether the signal grows or shrinks layer after layer:
#
# | init | $\operatorname{Var}(w)$ | what happens over 50 layers |
# |---|---|---|
# | $\mathcal N(0,1)$, tanh | $1$ | pre-activations have std $\approx 16$: most units saturate at $\pm1$ (over 80% have $\lvert a\rvert > 0.99$ in the last layer), so $\tanh' \approx 0$ and gradients vanish |
# | $\mathcal N(0,1)$, ReLU | $1$ | std multiplies by $\approx\sqrt{256/2} \approx 11$ per layer: above $10^{40}$ after 50 layers |
# | $\mathcal N(0,0.01^2)$ | $10^{-4}$ | std shrinks by $\approx 6\times$ (tanh) to $9\times$ (ReLU) per layer: below $10^{-30}$ after 50 layers, for tanh and ReLU |
# | Xavier/Glorot, tanh | $2/(n_\text{in}+n_\text{out}) = 1/256$ | slow, non-exponential decay (std still above $0.05$ at layer 50) |
# | Xavier/Glorot, ReLU | $1/256$ | ReLU zeroes half the signal, so the variance halves every layer: std falls by more than $10^{6}\times$ |
# | He, ReLU | $2/n_\text{in} = 2/256$ | std stays within a factor of 2 of layer 1's across all 50 layers |

# %%
xavier, he = np.sqrt(2 / (width + width)), np.sqrt(2 / width)
runs = {
    ("tanh", "N(0, 1)"): layer_stds(np.tanh, 1.0),
    ("tanh", "N(0, 0.01²)"): layer_stds(np.tanh, 0.01),
    ("tanh", "Xavier"): layer_stds(np.tanh, xavier),
    ("ReLU", "N(0, 1)"): layer_stds(relu, 1.0),
    ("ReLU", "N(0, 0.01²)"): layer_stds(relu, 0.01),
    ("ReLU", "Xavier"): layer_stds(relu, xavier),
    ("ReLU", "He"): layer_stds(relu, he),
}
for (act, init), (stds, _) in runs.items():
    print(f"{act:4s} {init:12s} std layer 1 = {stds[0]:.3g}, layer 50 = {stds[-1]:.3g}")

def per_layer_factor(stds):  # geometric mean of std[l+1] / std[l]
    return (stds[-1] / stds[0]) ** (1 / (depth - 1))


last_tanh = runs["tanh", "N(0, 1)"][1]
pre_activation_std = np.std(last_tanh @ rng.normal(size=(width, width)))
print(f"tanh N(0, 1): pre-activation std {pre_activation_std:.1f}")
# sqrt(256) * std(a), std(a) near 1
assert np.isclose(pre_activation_std, 16, rtol=0.1)
growth = per_layer_factor(runs["ReLU", "N(0, 1)"][0])
assert np.isclose(growth, np.sqrt(256 / 2), rtol=0.05)  # about 11
shrink = [1 / per_layer_factor(runs[a, "N(0, 0.01²)"][0]) for a in ("tanh", "ReLU")]
print("N(0, 0.01²): std shrinks per layer by", np.round(shrink, 2))
assert 6 < min(shrink) and max(shrink) < 9.5

saturated = np.mean(np.abs(runs["tanh", "N(0, 1)"][1]) > 0.99)
print(f"tanh N(0, 1): {saturated:.0%} of last-layer units saturated")
assert saturated > 0.8
assert runs["ReLU", "N(0, 1)"][0][-1] > 1e40
assert runs["tanh", "N(0, 0.01²)"][0][-1] < 1e-30
assert runs["ReLU", "N(0, 0.01²)"][0][-1] < 1e-30
tanh_xavier = runs["tanh", "Xavier"][0]
assert 0.05 < tanh_xavier[-1] < tanh_xavier[0]
relu_xavier = runs["ReLU", "Xavier"][0]
assert relu_xavier[-1] / relu_xavier[0] < 1e-6
he_stds = runs["ReLU", "He"][0]
assert np.all((he_stds > he_stds[0] / 2) & (he_stds < he_stds[0] * 2))

# %%
fig, axes = plt.subplots(1, 2, sharey=True)
for ax, act in zip(axes, ("tanh", "ReLU")):
    for (a, init), (stds, _) in runs.items():
        if a == act:
            ax.plot(np.arange(1, depth + 1), stds, label=init)
    ax.set(yscale="log", xlabel="layer", title=f"{act}, width {width}")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
axes[0].set_ylabel("std of activations")
fig.tight_layout()
plt.show()
