# %% [markdown]
# ### Notebook: label smoothing by the numbers
#
# This notebook computes the smoothed targets and the loss they imply. With $\varepsilon = 0.1$
# and $K = 10$ classes the true class gets $1 - \varepsilon + \varepsilon/K = 0.91$ and every other
# class $0.01$; the smoothed loss equals $(1-\varepsilon)$ times the usual cross-entropy plus
# $\varepsilon$ times the cross-entropy against the uniform distribution; it can no longer reach
# 0 but bottoms out at the entropy of the target, about $0.500$ nats; and it is minimised at a
# finite logit gap of $\ln 91 \approx 4.51$ between the true class and each other class
# ($\ln 9001 \approx 9.11$ for $K = 1000$). Gradient descent on the logits confirms it: with
# smoothing the gap settles at $\ln 91$, without it the gap keeps growing.

# %%
import math

import matplotlib.pyplot as plt
import numpy as np

plt.rcParams.update({"figure.figsize": (7, 3.5), "figure.dpi": 100,
                     "figure.facecolor": "white", "axes.facecolor": "white"})
rng = np.random.default_rng(0)


def smooth(label, K, eps):
    """Mix the one-hot target with the uniform distribution (the PyTorch and Keras convention)."""
    return (1 - eps) * np.eye(K)[label] + eps / K


def log_softmax(z):
    z = z - z.max()
    return z - np.log(np.exp(z).sum())


def cross_entropy(target, logits):
    return -np.sum(target * log_softmax(logits))

# %% [markdown]
# **The targets.** For $K = 10$, $\varepsilon = 0.1$: $0.91$ for the true class, $0.01$ for each of
# the other nine. For $K = 1000$ (ImageNet): $0.9001$ and $0.0001$.

# %%
q10 = smooth(3, K=10, eps=0.1)
print("K=10:", q10.round(4))
assert np.isclose(q10[3], 1 - 0.1 + 0.1 / 10) and np.isclose(q10[3], 0.91)
assert np.allclose(np.delete(q10, 3), 0.01) and np.isclose(q10.sum(), 1)

q1000 = smooth(0, K=1000, eps=0.1)
assert np.isclose(q1000[0], 0.9001) and np.isclose(q1000[1], 0.0001)

# %% [markdown]
# **The loss is a mixture of two cross-entropies.** Because the target is linear in
# $\varepsilon$, $\text{CE}(q', p) = (1-\varepsilon)\,\text{CE}(y, p) + \varepsilon\,\text{CE}(u, p)$
# with $u$ uniform: the usual loss plus a pull of every log-probability towards the others. We
# check it on random logits.

# %%
for _ in range(5):
    z = rng.normal(scale=3, size=10)
    y = np.eye(10)[3]
    u = np.full(10, 0.1)
    assert np.isclose(cross_entropy(q10, z), 0.9 * cross_entropy(y, z) + 0.1 * cross_entropy(u, z))

# %% [markdown]
# **Where it is minimised.** Cross-entropy $\text{CE}(q', p)$ is smallest when $p = q'$, and its
# value there is the entropy $H(q')$: about $0.500$ nats for $K = 10$, not 0. Matching $p = q'$
# with a softmax needs a logit gap of $\ln\bigl(q'_\text{true}/q'_\text{other}\bigr) =
# \ln\bigl(1 + K(1-\varepsilon)/\varepsilon\bigr)$ between the true class and each other class:
# $\ln 91 \approx 4.51$ for $K = 10$ and $\ln 9001 \approx 9.11$ for $K = 1000$.

# %%
entropy = -np.sum(q10 * np.log(q10))
gap10 = math.log(1 + 10 * 0.9 / 0.1)
gap1000 = math.log(1 + 1000 * 0.9 / 0.1)
print(f"loss floor H(q') = {entropy:.4f} nats, optimal gap K=10: {gap10:.3f}, K=1000: {gap1000:.3f}")
assert round(entropy, 3) == 0.500
assert math.isclose(gap10, math.log(91)) and round(gap10, 2) == 4.51
assert math.isclose(gap1000, math.log(9001)) and round(gap1000, 2) == 9.11

z_opt = np.zeros(10)
z_opt[3] = gap10
assert np.allclose(np.exp(log_softmax(z_opt)), q10)
assert np.isclose(cross_entropy(q10, z_opt), entropy)

# %% [markdown]
# **What gradient descent does with free logits.** The gradient of cross-entropy with respect to
# the logits is $p - \text{target}$. With the one-hot target it never vanishes (every $p_k > 0$), so
# the true logit keeps running away: the gap grows without bound, roughly like the logarithm of the
# number of steps. With the smoothed target the gradient vanishes at $p = q'$, and the gap settles
# at $\ln 91$.

# %%
def descend(target, steps=5000, lr=1.0):
    z, gaps = np.zeros(10), []
    for _ in range(steps):
        z -= lr * (np.exp(log_softmax(z)) - target)
        gaps.append(z[3] - np.delete(z, 3).mean())
    return np.array(gaps)


gaps_hard, gaps_smooth = descend(np.eye(10)[3]), descend(q10)
print(f"gap after 1,000 / 5,000 steps: one-hot {gaps_hard[999]:.2f} / {gaps_hard[-1]:.2f}, "
      f"smoothed {gaps_smooth[999]:.3f} / {gaps_smooth[-1]:.3f}")
assert np.isclose(gaps_smooth[-1], gap10, atol=1e-6)
assert gaps_hard[-1] > gaps_hard[999] > gap10

fig, ax = plt.subplots()
ax.plot(gaps_hard, label="one-hot target")
ax.plot(gaps_smooth, label="smoothed target (ε = 0.1)")
ax.axhline(gap10, color="grey", ls="--", lw=0.8, label="ln 91")
ax.set(xscale="log", xlabel="gradient step", ylabel="true logit minus other logits",
       title="Label smoothing caps the logit gap")
ax.legend()
ax.grid(alpha=0.3)
fig.tight_layout()
plt.show()
