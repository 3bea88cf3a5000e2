# %% [markdown]
# ### Notebook: convolution arithmetic
#
# This notebook implements a 2-D convolution and pooling with NumPy sliding windows and proves the
# output-size formula $\left\lfloor \frac{n + 2p - f}{s} \right\rfloor + 1$ (input $n\times n$,
# filter $f\times f$, padding $p$, stride $s$) against it for thousands of cases, together with
# TensorFlow's `"SAME"`/`"VALID"` rules, the pooling sizes and the parameter counts quoted in the
# answers.

# %%
import itertools
import math

import matplotlib.pyplot as plt
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

plt.rcParams.update({"figure.figsize": (7, 3.5), "figure.dpi": 100,
                     "figure.facecolor": "white", "axes.facecolor": "white"})
rng = np.random.default_rng(0)


def conv2d(x, k, stride=1, pad=0):
    """'Convolution' as deep-learning libraries define it: cross-correlation (no flip).

    pad: an int (the same on every side) or ((top, bottom), (left, right)).
    """
    x = np.pad(x, pad)
    # (out, out, f, f)
    windows = sliding_window_view(x, k.shape)[::stride, ::stride]
    return np.einsum("ijkl,kl->ij", windows, k)


def conv2d_loops(x, k, stride=1, pad=0):  # slow reference implementation
    x = np.pad(x, pad)
    f = k.shape[0]
    out = (x.shape[0] - f) // stride + 1
    y = np.zeros((out, out))
    for i in range(out):
        for j in range(out):
            top, left = i * stride, j * stride
            y[i, j] = np.sum(x[top:top + f, left:left + f] * k)
    return y


def out_size(n, f, p, s):
    return (n + 2 * p - f) // s + 1

# %% [markdown]
# **The formula.** The filter fits $\lfloor (n + 2p - f)/s \rfloor$ times after its first position, hence
# the $+1$. We check it against the actual output shape for every $n \le 12$, $f \le 7$, $p \le 3$,
# $s \le 4$ with $f \le n + 2p$: 1,208 cases. For $n \le 6$ the values are also compared with an explicit double loop.

# %%
cases = 0
for n, f, p, s in itertools.product(range(1, 13), range(1, 8), range(4), range(1, 5)):
    if f > n + 2 * p:
        continue
    x, k = rng.normal(size=(n, n)), rng.normal(size=(f, f))
    y = conv2d(x, k, s, p)
    assert y.shape == (out_size(n, f, p, s),) * 2, (n, f, p, s)
    if n <= 6:
        assert np.allclose(y, conv2d_loops(x, k, s, p))
    cases += 1
print("cases checked:", cases)
assert cases == 1208

# %% [markdown]
# Common special cases:
#
# - $28\times28$ input, $3\times3$ filter, padding $1$, stride $1$ → $28\times28$ (padding $p = (f-1)/2$ keeps the size);
# - no padding, stride 1: $n\times n$ with $f\times f$ → $(n-f+1)\times(n-f+1)$, e.g. $28 \to 26$ with $3\times3$;
# - TensorFlow's `padding="SAME"` gives $\lceil n/s\rceil$ and pads $\max((\lceil n/s\rceil - 1)s + f - n, 0)$ zeros in total, the extra one at the bottom/right when that total is odd; `"VALID"` (no padding) gives $\lceil (n-f+1)/s\rceil$. For $n = 28$, $f = 3$, $s = 2$: SAME → $14$, VALID → $13$.

# %%
x28 = rng.normal(size=(28, 28))
k3 = rng.normal(size=(3, 3))
assert conv2d(x28, k3, stride=1, pad=1).shape == (28, 28)
for n in range(3, 40):
    assert conv2d(rng.normal(size=(n, n)), k3).shape == (n - 3 + 1, n - 3 + 1)
assert conv2d(x28, k3).shape == (26, 26)


def tf_same(x, k, s):
    n, f = x.shape[0], k.shape[0]
    total = max((math.ceil(n / s) - 1) * s + f - n, 0)
    before = total // 2  # the odd extra zero goes after (bottom/right)
    return conv2d(x, k, s, ((before, total - before), (before, total - before)))


for n, f, s in itertools.product(range(1, 30), range(1, 6), range(1, 5)):
    x, k = rng.normal(size=(n, n)), rng.normal(size=(f, f))
    assert tf_same(x, k, s).shape[0] == math.ceil(n / s)
    if f <= n:
        valid = conv2d(x, k, s).shape[0]
        assert valid == math.ceil((n - f + 1) / s) == out_size(n, f, 0, s)
same, valid = tf_same(x28, k3, 2).shape, conv2d(x28, k3, 2).shape
print("n=28, f=3, s=2: SAME", same, "VALID", valid)
assert same == (14, 14) and valid == (13, 13)

# %% [markdown]
# **Pooling** slides a window like a convolution but applies a fixed reduction (max, average, ...)
# and has no parameters; the same size formula applies. $2\times2$ pooling with stride 2 halves
# each side: $28\times28 \to 14\times14$. On a $4\times4$ example:

# %%
def pool(x, size=2, stride=2, op=np.max):
    windows = sliding_window_view(x, (size, size))[::stride, ::stride]
    return op(windows, axis=(2, 3))


assert pool(x28).shape == (14, 14)
X = np.array([[1, 3, 2, 1],
              [4, 6, 5, 0],
              [7, 2, 9, 8],
              [1, 0, 3, 4]])
pooled = {name: pool(X, op=op) for name, op in
          [("max", np.max), ("average", np.mean), ("min", np.min), ("sum", np.sum)]}
for name, value in pooled.items():
    print(f"{name} pooling:\n{value}")
assert np.array_equal(pooled["max"], [[6, 5], [7, 9]])
assert np.array_equal(pooled["average"], [[3.5, 2], [2.5, 6]])
assert np.array_equal(pooled["min"], [[1, 0], [0, 3]])
assert np.array_equal(pooled["sum"], [[14, 8], [10, 24]])

fig, axes = plt.subplots(1, 5, figsize=(7, 2),
                         gridspec_kw={"width_ratios": [2, 1, 1, 1, 1]})
for ax, (title, m) in zip(axes, [("input 4×4", X), *pooled.items()]):
    ax.imshow(m, cmap="Blues", vmin=0, vmax=m.max() * 1.6)
    for (i, j), v in np.ndenumerate(m):
        ax.text(j, i, f"{v:g}", ha="center", va="center", fontsize=9)
    ax.set(title=title if title == "input 4×4" else f"{title} pool",
           xticks=[], yticks=[])
fig.tight_layout()
plt.show()

# %% [markdown]
# **Parameter counts.** A convolution layer has $f\cdot f\cdot C_\text{in}\cdot C_\text{out}$
# weights plus $C_\text{out}$ biases, independent of the image size; a dense layer has
# $n_\text{in}\cdot n_\text{out} + n_\text{out}$.
#
# - Conv2D $3\times3$, $1 \to 32$ channels: $3\cdot3\cdot1\cdot32 + 32 = 320$;
# - Conv2D $3\times3$, $32 \to 64$ channels: $3\cdot3\cdot32\cdot64 + 64 = 18{,}496$;
# - Dense from a flattened $28\times28\times32$ feature map to 128 units: $28\cdot28\cdot32\cdot128 + 128 = 3{,}211{,}392$, ten thousand times the first convolution, which is why CNNs pool or use global average pooling before the dense head.

# %%
def conv_params(f, c_in, c_out):
    return f * f * c_in * c_out + c_out


def dense_params(n_in, n_out):
    return n_in * n_out + n_out


assert conv_params(3, 1, 32) == 320
assert conv_params(3, 32, 64) == 18_496
assert dense_params(28 * 28 * 32, 128) == 3_211_392
assert dense_params(28 * 28 * 32, 128) // conv_params(3, 1, 32) == 10_035
