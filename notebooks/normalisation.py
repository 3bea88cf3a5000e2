# %% [markdown]
# ### Notebook: batch norm vs layer norm by hand
#
# This notebook normalises one small tensor of shape (4, 3) (a batch of 4 examples with 3
# features) both ways and proves the difference: batch norm standardises each **column**
# (each feature, across the batch), layer norm each **row** (each example, across its features).
# It then shows the learnable scale $\gamma$ and shift $\beta$, and the running statistics that
# batch norm uses at inference time.

# %%
import matplotlib.pyplot as plt
import numpy as np

plt.rcParams.update({"figure.figsize": (7, 3.5), "figure.dpi": 100,
                     "figure.facecolor": "white", "axes.facecolor": "white"})
np.set_printoptions(precision=3, suppress=True)

X = np.array([[1.0, 2.0, 30.0],
              [2.0, 6.0, 10.0],
              [3.0, 1.0, 20.0],
              [6.0, 3.0, 60.0]])  # rows: 4 examples, columns: 3 features
# added to the variance to avoid dividing by zero
eps = 1e-5


def normalise(x, axis):
    mean = x.mean(axis=axis, keepdims=True)
    var = x.var(axis=axis, keepdims=True)  # biased variance (divides by n)
    return (x - mean) / np.sqrt(var + eps), mean, var


# statistics per feature, over the batch
bn, bn_mean, bn_var = normalise(X, axis=0)
# statistics per example, over its features
ln, ln_mean, ln_var = normalise(X, axis=1)
print("X =\n", X)
print("batch norm: per-column mean", bn_mean.ravel(), "var", bn_var.ravel(), "\n", bn)
print("layer norm: per-row mean", ln_mean.ravel(), "var", ln_var.ravel(), "\n", ln)
assert np.allclose(bn_mean.ravel(), [3, 3, 30])
assert np.allclose(bn_var.ravel(), [3.5, 3.5, 350])
assert np.allclose(ln_mean.ravel(), [11, 6, 8, 23])

# %% [markdown]
# After batch norm every column has mean $0$ and variance $\sigma^2/(\sigma^2+\epsilon)$, i.e. $1$ up
# to the tiny $\epsilon$; the rows are not standardised. Layer norm is the transpose: every row has
# mean $0$ and variance $\approx 1$, and it does not depend on the other examples in the batch, which
# is why Transformers and RNNs (variable batch and sequence sizes) use it.

# %%
assert np.allclose(bn.mean(axis=0), 0)
assert np.allclose(bn.var(axis=0), bn_var / (bn_var + eps))
assert np.allclose(bn.var(axis=0), 1, atol=1e-4)
assert np.allclose(ln.mean(axis=1), 0) and np.allclose(ln.var(axis=1), 1, atol=1e-4)
assert not np.allclose(bn.mean(axis=1), 0) and not np.allclose(ln.mean(axis=0), 0)

# Layer norm of one example alone equals its row in the batch; batch norm of a sub-batch does not.
assert np.allclose(normalise(X[:1], axis=1)[0], ln[:1])
assert not np.allclose(normalise(X[:2], axis=0)[0], bn[:2])

# %% [markdown]
# **$\gamma$ and $\beta$.** Both layers finish with $y = \gamma\,\hat x + \beta$, one learnable
# $\gamma$ and $\beta$ per feature (3 + 3 parameters here), initialised to $1$ and $0$. They let
# the network undo the normalisation when that helps: with $\gamma = \sqrt{\sigma^2+\epsilon}$ and
# $\beta = \mu$ batch norm returns its input exactly.

# %%
gamma, beta = np.ones(3), np.zeros(3)
# initially: no change
assert np.allclose(gamma * bn + beta, bn)
# the identity is reachable
assert np.allclose(np.sqrt(bn_var + eps) * bn + bn_mean, X)

# %% [markdown]
# **Running statistics.** At inference there may be a single example, so batch norm uses
# running averages of the batch means and variances collected during training:
# $\text{running} \leftarrow (1-m)\cdot\text{running} + m\cdot\text{batch statistic}$ with
# $m = 0.1$ in PyTorch's convention (Keras writes the same update with `momentum=0.99` meaning
# $1-m$). Starting from mean $0$ and variance $1$, one update with our batch gives the numbers
# printed below. Over 200 training batches drawn from a distribution with mean $5$ and standard
# deviation $2$ the running mean settles near $5$ and the running variance near $4$, and an example's
# output at inference no longer depends on which batch it comes in.

# %%
m = 0.1
running_mean, running_var = np.zeros(3), np.ones(3)
running_mean = (1 - m) * running_mean + m * bn_mean.ravel()
# PyTorch stores the unbiased variance (divides by n - 1) in the running average.
running_var = (1 - m) * running_var + m * X.var(axis=0, ddof=1)
print("after one update: running mean", running_mean, "running var", running_var)
assert np.allclose(running_mean, 0.1 * X.mean(axis=0))
assert np.allclose(running_var, 0.9 + 0.1 * X.var(axis=0, ddof=1))

rng = np.random.default_rng(0)
running_mean, running_var, history = np.zeros(3), np.ones(3), []
for _ in range(200):
    batch = rng.normal(5.0, 2.0, size=(32, 3))
    running_mean = (1 - m) * running_mean + m * batch.mean(axis=0)
    running_var = (1 - m) * running_var + m * batch.var(axis=0, ddof=1)
    history.append(running_mean[0])
print("after 200 batches: running mean", running_mean, "running var", running_var)
assert np.allclose(running_mean, 5, atol=0.3) and np.allclose(running_var, 4, atol=1.0)


def batch_norm_inference(x):
    return (x - running_mean) / np.sqrt(running_var + eps)


example = rng.normal(5.0, 2.0, size=(1, 3))
other = rng.normal(5.0, 2.0, size=(7, 3))
in_batch = batch_norm_inference(np.vstack([example, other]))[:1]
# alone or in a batch: same
assert np.allclose(batch_norm_inference(example), in_batch)

fig, ax = plt.subplots()
ax.plot(np.arange(1, 201), history, label="running mean of feature 1")
ax.axhline(5.0, color="grey", ls="--", label="true mean 5")
ax.set(xlabel="training batch", ylabel="running mean",
       title="Batch-norm running mean (m = 0.1)")
ax.legend(fontsize=8)
fig.tight_layout()
plt.show()
