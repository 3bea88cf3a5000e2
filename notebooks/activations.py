# %% [markdown]
# ### Notebook: activation functions and their derivatives
#
# This notebook implements the common activation functions in NumPy, checks every
# hand-derived derivative against a central finite difference, and proves the facts the
# answers quote: $\sigma'(x)$ peaks at $0.25$ at $x=0$, $\tanh'(0)=1$, ReLU's derivative is
# $0$ for $x<0$ and $1$ for $x>0$, softmax sums to one and ignores a constant shift, and
# Swish reaches its minimum of about $-0.2785$ at $x \approx -1.2785$.

# %%
import math

import matplotlib.pyplot as plt
import numpy as np

# White figures read as light cards on both the light and the dark site theme.
plt.rcParams.update({"figure.figsize": (7, 3.5), "figure.dpi": 100,
                     "figure.facecolor": "white", "axes.facecolor": "white"})
np.set_printoptions(precision=4, suppress=True)

# NumPy has no erf; math.erf is exact to double precision
erf = np.vectorize(math.erf)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def silu(x):  # Swish with beta = 1, also called SiLU
    return x * sigmoid(x)


# exact GELU, x * Phi(x), with the Gaussian CDF written through erf
def gelu(x):
    return 0.5 * x * (1 + erf(x / math.sqrt(2)))


def gelu_tanh(x):  # the tanh approximation used by the original BERT/GPT-2 code
    return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))


ALPHA = 0.01  # leaky ReLU slope for x < 0
functions = {
    # name: (f, f' derived by hand)
    "sigmoid": (sigmoid, lambda x: sigmoid(x) * (1 - sigmoid(x))),
    "tanh": (np.tanh, lambda x: 1 - np.tanh(x) ** 2),
    "ReLU": (lambda x: np.maximum(x, 0), lambda x: (x > 0).astype(float)),
    "leaky ReLU": (lambda x: np.where(x > 0, x, ALPHA * x),
                   lambda x: np.where(x > 0, 1.0, ALPHA)),
    "ELU": (lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0))),
            lambda x: np.where(x > 0, 1.0, np.exp(np.minimum(x, 0)))),
    "Swish/SiLU": (silu, lambda x: sigmoid(x) * (1 + x * (1 - sigmoid(x)))),
    # GELU'(x) = Phi(x) + x phi(x), with phi the Gaussian density
    "GELU (erf)": (gelu, lambda x: 0.5 * (1 + erf(x / math.sqrt(2)))
                   + x * np.exp(-x**2 / 2) / math.sqrt(2 * math.pi)),
}

# %% [markdown]
# **Derivative check.** For every function we compare the analytic derivative with the central
# difference $\frac{f(x+h)-f(x-h)}{2h}$ on a grid that avoids the kink of the ReLU family at $0$.
# All of them agree to better than $10^{-6}$.

# %%
x = np.linspace(-6, 6, 1201)  # step 0.01, contains x = 0 exactly
h = 1e-5
away_from_kink = np.abs(x) > 1e-3
for name, (f, df) in functions.items():
    numeric = (f(x + h) - f(x - h)) / (2 * h)
    error = np.max(np.abs(numeric - df(x))[away_from_kink])
    print(f"{name:12s} max |analytic - numeric| = {error:.1e}")
    assert error < 1e-6, name

# %% [markdown]
# **Saturation and gradient flow.** The sigmoid's derivative is at most $0.25$ (at $x=0$), so each
# sigmoid layer shrinks a back-propagated gradient by at least a factor of 4. $\tanh'$ peaks at
# $1$, and ReLU passes the gradient unchanged ($1$) for positive inputs and blocks it ($0$) for
# negative ones.

# %%
d_sigmoid = functions["sigmoid"][1](x)
print("max sigmoid'(x) =", d_sigmoid.max(), "at x =", x[d_sigmoid.argmax()])
assert np.isclose(d_sigmoid.max(), 0.25) and x[d_sigmoid.argmax()] == 0
assert np.isclose(functions["tanh"][1](np.array(0.0)), 1.0)

d_relu = functions["ReLU"][1](x)
assert np.all(d_relu[x < 0] == 0) and np.all(d_relu[x > 0] == 1)
d_leaky = functions["leaky ReLU"][1](x)
assert np.all(d_leaky[x < 0] == ALPHA)  # leaky ReLU never has a zero gradient

# GELU: the tanh approximation stays within 1e-3 of the exact erf form.
gap = np.max(np.abs(gelu(x) - gelu_tanh(x)))
print(f"max |GELU(erf) - GELU(tanh approx)| = {gap:.1e}")
assert gap < 1e-3

# %%
fig, (ax_f, ax_d) = plt.subplots(1, 2, sharex=True)
for name, (f, df) in functions.items():
    # dashed: ReLU stays visible below
    style = "--" if name == "leaky ReLU" else "-"
    ax_f.plot(x, f(x), style, label=name)
    ax_d.plot(x, df(x), style, label=name)
ax_f.set(xlim=(-4, 4), ylim=(-1.5, 3), xlabel="x", ylabel="f(x)",
         title="Activation functions")
ax_d.set(xlim=(-4, 4), ylim=(-0.2, 1.3), xlabel="x", ylabel="f'(x)",
         title="Derivatives")
for ax in (ax_f, ax_d):
    ax.axhline(0, color="grey", lw=0.5)
    ax.grid(alpha=0.3)
ax_d.legend(fontsize=7, loc="upper left")
fig.tight_layout()
plt.show()

# %% [markdown]
# **Swish's minimum.** Setting the derivative $\sigma(x)\,(1 + x(1-\sigma(x)))$ to zero gives
# $\sigma(x) = 1 + 1/x$, and then the value there is $x\,\sigma(x) = x + 1$. Bisection finds
# $x_{\min} \approx -1.2785$ and $\text{swish}(x_{\min}) \approx -0.2785$: the function is non-monotonic and
# slightly negative, unlike ReLU.

# %%
d_silu = functions["Swish/SiLU"][1]
lo, hi = -3.0, -0.5  # d_silu(lo) < 0 < d_silu(hi)
for _ in range(60):
    mid = (lo + hi) / 2
    lo, hi = (mid, hi) if d_silu(mid) < 0 else (lo, mid)
x_min = (lo + hi) / 2
print(f"Swish minimum at x = {x_min:.4f}, value {silu(x_min):.4f}")
assert np.isclose(x_min, -1.2785, atol=1e-4)
assert np.isclose(silu(x_min), -0.2785, atol=1e-4)
assert np.isclose(silu(x_min), x_min + 1)

# %% [markdown]
# **Softmax vs sigmoid on the logits $[2, 1, 0.1]$.** Softmax turns the logits into one
# distribution over mutually exclusive classes, $\approx [0.659, 0.242, 0.099]$, summing to $1$.
# Element-wise sigmoids, $\approx [0.881, 0.731, 0.525]$, are independent per-class probabilities
# (multi-label) and here sum to about $2.137$. Adding a constant to every logit leaves softmax
# unchanged, which is why implementations subtract the maximum logit before exponentiating:
# the naive formula overflows on logits like $[1000, 1001, 1002]$, the shifted one does not.

# %%
def softmax(z):
    # shift for numerical stability
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


logits = np.array([2.0, 1.0, 0.1])
print("softmax:", softmax(logits), "sum =", softmax(logits).sum())
print("sigmoid:", sigmoid(logits), "sum =", sigmoid(logits).sum())
assert np.isclose(softmax(logits).sum(), 1.0)
assert np.allclose(softmax(logits), [0.659, 0.242, 0.099], atol=1e-3)
assert np.allclose(sigmoid(logits), [0.881, 0.731, 0.525], atol=1e-3)
assert np.isclose(sigmoid(logits).sum(), 2.137, atol=1e-3)

rng = np.random.default_rng(0)
z = rng.normal(size=(5, 10))
assert np.allclose(softmax(z).sum(axis=1), 1.0)
# invariant to adding a constant
assert np.allclose(softmax(z + 123.4), softmax(z))

big = np.array([1000.0, 1001.0, 1002.0])
with np.errstate(over="ignore", invalid="ignore"):
    naive = np.exp(big) / np.exp(big).sum()
print("naive softmax of", big, "->", naive, "| shifted ->", softmax(big))
assert np.all(np.isnan(naive)) and np.allclose(softmax(big), softmax(big - 1000))
