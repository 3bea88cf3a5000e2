# %% [markdown]
# ### Notebook: gradient accumulation equals the large-batch gradient
#
# This notebook proves the claims of the gradient-accumulation answer on a linear model with a
# squared loss:
#
# - Summing the gradients of $k$ micro-batch losses, each divided by $k$, gives exactly the gradient
#   of the mean loss over the whole batch (to floating-point rounding).
# - Forgetting the division by $k$ multiplies the gradient by $k$.
# - With per-token losses and micro-batches holding different numbers of tokens, the mean of
#   per-micro-batch means differs from the mean over all tokens; dividing summed token losses by
#   the total token count fixes it.
# - 4 sequences × 16 accumulation steps × 64 GPUs is 4,096 sequences per update, 16,777,216 tokens at
#   4,096 tokens per sequence.

# %%
import numpy as np

rng = np.random.default_rng(0)

B, k, d = 64, 8, 5
X = rng.normal(size=(B, d))
y = rng.normal(size=B)
w = rng.normal(size=d)


def grad_mean_loss(Xb, yb, w):
    """Gradient of mean_i 0.5 (x_i . w - y_i)^2."""
    return Xb.T @ (Xb @ w - yb) / len(yb)


full = grad_mean_loss(X, y, w)
accumulated = np.zeros(d)
for Xm, ym in zip(np.split(X, k), np.split(y, k)):
    accumulated += grad_mean_loss(Xm, ym, w) / k
assert np.allclose(accumulated, full)

no_division = sum(grad_mean_loss(Xm, ym, w) for Xm, ym in zip(np.split(X, k), np.split(y, k)))
assert np.allclose(no_division, k * full)

# %% [markdown]
# **Variable token counts.** Two micro-batches with 10 and 90 tokens of per-token loss: averaging the
# two micro-batch means weights each of the 10 tokens 9 times more than each of the 90.

# %%
losses = [rng.random(10), rng.random(90)]
mean_of_means = np.mean([l.mean() for l in losses])
token_mean = np.concatenate(losses).mean()
fixed = sum(l.sum() for l in losses) / sum(len(l) for l in losses)
print(f"mean of means {mean_of_means:.4f}, token mean {token_mean:.4f}")
assert not np.isclose(mean_of_means, token_mean) and np.isclose(fixed, token_mean)

# %%
micro, steps, gpus, seq = 4, 16, 64, 4096
assert micro * steps * gpus == 4096 and micro * steps * gpus * seq == 16_777_216
