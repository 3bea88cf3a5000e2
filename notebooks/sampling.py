# %% [markdown]
# ### Notebook: temperature, top-k, nucleus (top-p) and min-p sampling
#
# This notebook works through one next-token distribution over 8 candidate tokens, with logits
# $z = (3, 2, 1.5, 1, 0, -1, -2, -3)$, and proves the figures in the answer above:
#
# - at temperature $T = 1$ the probabilities are 0.554, 0.204, 0.124, 0.075, 0.028, 0.010,
#   0.004, 0.001; $T \to 0$ tends to the arg-max (one-hot), $T \to \infty$ to uniform (1/8 each),
#   and the entropy grows with $T$: 0.611, 1.280 and 1.753 nats at $T = 0.5, 1, 2$ (uniform:
#   $\ln 8 = 2.079$);
# - top-$k$ with $k = 3$ keeps 88.2% of the mass and renormalises it to 0.629, 0.231, 0.140;
# - nucleus sampling with $p = 0.9$ keeps 4 tokens at $T = 1$ (mass 0.957), but 2 tokens at
#   $T = 0.5$ and 5 tokens at $T = 2$: the kept set adapts to the shape of the distribution;
# - min-$p$ with base 0.1 keeps every token with probability at least $0.1 \times 0.554 = 0.055$,
#   which is 4 tokens at $T = 1$.
#
# It also checks the repeated-sampling figures used in the test-time compute answer: with a
# per-sample success rate of 0.3, pass@10 is $1 - 0.7^{10} = 0.972$; majority voting over
# 1, 11 and 41 samples is right 0.400, 0.581 and 0.763 of the time when the correct answer is
# the most likely one (probability 0.4 against wrong answers at 0.3, 0.2, 0.1), but 0.300, 0.295
# and 0.213 of the time when a wrong answer is the most likely one.

# %%
from math import factorial

import matplotlib.pyplot as plt
import numpy as np

plt.rcParams.update({"figure.figsize": (7, 3.5), "figure.dpi": 100,
                     "figure.facecolor": "white", "axes.facecolor": "white"})
rng = np.random.default_rng(0)

tokens = ["door", "window", "box", "letter", "book", "fridge", "car", "sky"]
z = np.array([3.0, 2.0, 1.5, 1.0, 0.0, -1.0, -2.0, -3.0])


def softmax(logits, T=1.0):
    """Softmax of logits / T, computed stably by subtracting the maximum."""
    s = logits / T
    e = np.exp(s - s.max())
    return e / e.sum()


def entropy(p):
    p = p[p > 0]
    return float(-(p * np.log(p)).sum())

# %% [markdown]
# **Temperature.** Dividing the logits by $T$ changes every log-odds by the factor $1/T$:
# $\log(p_i / p_j) = (z_i - z_j)/T$. At $T = 1$ the distribution is the model's own.

# %%
p1 = softmax(z, 1.0)
for t, pi in zip(tokens, p1):
    print(f"{t:>7}: {pi:.4f}")
assert np.allclose(p1.round(3), [0.554, 0.204, 0.124, 0.075, 0.028, 0.010, 0.004, 0.001])
assert np.isclose(p1.sum(), 1.0)
# log-odds scale by 1/T
for T in (0.5, 2.0):
    pT = softmax(z, T)
    assert np.isclose(np.log(pT[0] / pT[1]), (z[0] - z[1]) / T)

# T -> 0 approaches the arg-max, large T approaches uniform
assert softmax(z, 0.01)[np.argmax(z)] > 0.999_999
assert np.allclose(softmax(z, 1e4), np.full(8, 1 / 8), atol=1e-3)

# entropy increases with T
temps = [0.25, 0.5, 1.0, 2.0, 4.0, 100.0]
H = [entropy(softmax(z, T)) for T in temps]
print("entropy (nats):", [round(h, 3) for h in H])
assert all(a < b for a, b in zip(H, H[1:])) and H[-1] < np.log(8)
assert [round(entropy(softmax(z, T)), 3) for T in (0.5, 1.0, 2.0)] == [0.611, 1.280, 1.753]
assert round(np.log(8), 3) == 2.079

# %% [markdown]
# **Top-$k$.** Keep the $k$ most probable tokens, set the rest to zero, renormalise.

# %%
def top_k(p, k):
    keep = np.argsort(p)[::-1][:k]
    q = np.zeros_like(p)
    q[keep] = p[keep]
    return q / q.sum(), keep


qk, keep = top_k(p1, 3)
print("top-3 kept:", [tokens[i] for i in keep], "mass", round(p1[keep].sum(), 3),
      "renormalised", qk[keep].round(3))
assert [tokens[i] for i in keep] == ["door", "window", "box"]
assert round(p1[keep].sum(), 3) == 0.882
assert np.allclose(qk[keep].round(3), [0.629, 0.231, 0.140])

# %% [markdown]
# **Nucleus (top-$p$).** Sort by probability and keep the smallest prefix whose cumulative
# probability reaches $p$; renormalise. Temperature is applied first, so the nucleus depends on
# $T$: a peaked distribution gives a small nucleus, a flat one a large nucleus.

# %%
def top_p(p, threshold):
    order = np.argsort(p)[::-1]
    cum = np.cumsum(p[order])
    n = int(np.searchsorted(cum, threshold) + 1)      # first index where cum >= threshold
    keep = order[:n]
    q = np.zeros_like(p)
    q[keep] = p[keep]
    return q / q.sum(), keep


qp, keep = top_p(p1, 0.9)
print("top-p 0.9 at T=1 kept:", [tokens[i] for i in keep], "mass", round(p1[keep].sum(), 3))
assert [tokens[i] for i in keep] == ["door", "window", "box", "letter"]
assert round(p1[keep].sum(), 3) == 0.957
assert np.allclose(np.cumsum(p1)[:4].round(3), [0.554, 0.758, 0.882, 0.957])
assert p1[keep[:-1]].sum() < 0.9 <= p1[keep].sum()    # smallest such set
assert np.allclose(qp[keep], p1[keep] / p1[keep].sum())
assert np.allclose(qp[keep].round(3), [0.579, 0.213, 0.129, 0.078])

sizes = {T: len(top_p(softmax(z, T), 0.9)[1]) for T in (0.5, 1.0, 2.0)}
print("nucleus size at p=0.9:", sizes)
assert sizes == {0.5: 2, 1.0: 4, 2.0: 5}

# %% [markdown]
# **Min-$p$.** Keep tokens whose probability is at least a fraction of the top token's
# probability (here 0.1 of it), renormalise.

# %%
def min_p(p, base):
    keep = np.flatnonzero(p >= base * p.max())
    q = np.zeros_like(p)
    q[keep] = p[keep]
    return q / q.sum(), keep


qm, keep = min_p(p1, 0.1)
print("min-p 0.1 threshold", round(0.1 * p1.max(), 4), "kept:", [tokens[i] for i in keep])
assert round(0.1 * p1.max(), 3) == 0.055
assert [tokens[i] for i in keep] == ["door", "window", "box", "letter"]

# %% [markdown]
# **Sampling check.** Drawing 100,000 tokens from the top-3 distribution reproduces its
# probabilities, and never draws a token outside the kept set.

# %%
draws = rng.choice(8, size=100_000, p=qk)
freq = np.bincount(draws, minlength=8) / draws.size
print("empirical top-3 frequencies:", freq.round(3))
assert np.all(freq[3:] == 0) and np.allclose(freq, qk, atol=0.005)

# %%
fig, ax = plt.subplots()
x = np.arange(8)
for i, T in enumerate((0.5, 1.0, 2.0)):
    ax.bar(x + (i - 1) * 0.27, softmax(z, T), width=0.27, label=f"T = {T}")
ax.axhline(1 / 8, color="grey", lw=0.8, ls="--", label="uniform")
ax.set_xticks(x, tokens)
ax.set(ylabel="probability", title="Temperature sharpens (T < 1) or flattens (T > 1) the softmax")
ax.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# **Repeated sampling (test-time compute).** If one sample solves a problem with probability
# $p$ and samples are independent, at least one of $k$ samples is correct with probability
# $1 - (1-p)^k$ (pass@$k$, useful when a verifier can pick the right one). Without a verifier,
# majority voting (self-consistency) returns the most frequent answer: it converges to the
# *mode* of the answer distribution, which helps only if the mode is correct. We compute the
# majority-vote accuracy exactly by enumerating the multinomial counts (ties broken at random).

# %%
pass_at_10 = 1 - (1 - 0.3) ** 10
print("pass@10 at p = 0.3:", round(pass_at_10, 3))
assert round(pass_at_10, 3) == 0.972


def compositions(total, parts):
    if parts == 1:
        yield (total,)
        return
    for first in range(total + 1):
        for rest in compositions(total - first, parts - 1):
            yield (first,) + rest


def majority_vote_accuracy(answer_probs, k, correct=0):
    acc = 0.0
    for counts in compositions(k, len(answer_probs)):
        prob = factorial(k)
        for c, a in zip(counts, answer_probs):
            prob *= a ** c / factorial(c)
        winners = [j for j, c in enumerate(counts) if c == max(counts)]
        if correct in winners:
            acc += prob / len(winners)
    return acc


mode_right = [0.4, 0.3, 0.2, 0.1]    # index 0 is the correct answer
mode_wrong = [0.3, 0.4, 0.2, 0.1]
right = [round(majority_vote_accuracy(mode_right, k), 3) for k in (1, 11, 41)]
wrong = [round(majority_vote_accuracy(mode_wrong, k), 3) for k in (1, 11, 41)]
print("majority vote, correct answer is the mode:", right)
print("majority vote, a wrong answer is the mode:", wrong)
assert right == [0.4, 0.581, 0.763] and wrong == [0.3, 0.295, 0.213]

# Monte Carlo check of the 11-sample case
votes = rng.choice(4, size=(50_000, 11), p=mode_right)
counts = np.stack([(votes == j).sum(axis=1) for j in range(4)], axis=1)
ties = counts == counts.max(axis=1, keepdims=True)
mc = (ties[:, 0] / ties.sum(axis=1)).mean()
assert abs(mc - 0.581) < 0.01
