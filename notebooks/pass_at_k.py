# %% [markdown]
# ### Notebook: pass@k against pass^k for agents
#
# Run an agent $n$ times on each task and count the $c$ successes. Two numbers summarise the
# runs, and they answer opposite questions:
#
# - **pass@k** (Chen et al., 2021): the probability that *at least one* of $k$ attempts succeeds,
#   estimated without bias by $1 - \binom{n-c}{k} / \binom{n}{k}$ and averaged over tasks. It rises
#   with $k$: the right number when a verifier can pick the good attempt (unit tests).
# - **pass^k** (τ-bench, Yao et al., 2024): the probability that *all* $k$ attempts succeed,
#   estimated by $\binom{c}{k} / \binom{n}{k}$. It falls with $k$: the right number when a user
#   meets the agent $k$ times and every failure counts.
#
# The notebook proves, on 200 simulated tasks with 16 runs each:
#
# - pass@1 = pass^1 = the mean success rate (0.598 here), pass@k never falls and pass^k never
#   rises with $k$; both estimators match the true values of the simulated tasks;
# - the worked example of one task with 3 successes in 10 runs: pass@5 = 0.917, pass^2 = 0.067,
#   pass^5 = 0;
# - two agents with the same pass@1 of 0.6 and different consistency: for the agent that
#   succeeds on each task 60% of the time, pass^8 = 0.017 and pass@8 = 0.999; for the agent that
#   always solves 60% of the tasks and never the rest, both are 0.6;
# - the plug-in estimate $1 - (1 - c/n)^k$ underestimates pass@k (on average 0.687 against the
#   true 0.832 for $n = 5$, $k = 5$, $p = 0.3$), which is why the combinatorial form is used.

# %%
from math import comb

import matplotlib.pyplot as plt
import numpy as np

plt.rcParams.update({"figure.figsize": (7, 3.5), "figure.dpi": 100,
                     "figure.facecolor": "white", "axes.facecolor": "white"})
rng = np.random.default_rng(0)


def pass_at_k(n, c, k):
    """Unbiased P(at least one of k attempts succeeds), from c successes in n runs."""
    return 1.0 - comb(n - c, k) / comb(n, k)


def pass_hat_k(n, c, k):
    """Unbiased P(all k attempts succeed), from c successes in n runs (tau-bench)."""
    return comb(c, k) / comb(n, k)


# %% [markdown]
# **One task, by hand.** With $c = 3$ successes in $n = 10$ runs: pass@1 $= 3/10$; pass@5
# $= 1 - \binom{7}{5}/\binom{10}{5} = 1 - 21/252 = 0.917$; pass^2 $= \binom{3}{2}/\binom{10}{2}
# = 3/45 = 0.067$; pass^5 $= 0$, since 5 successes cannot be drawn from 3.

# %%
assert np.isclose(pass_at_k(10, 3, 1), 0.3) and pass_hat_k(10, 3, 1) == 0.3
assert comb(7, 5) == 21 and comb(10, 5) == 252
assert round(pass_at_k(10, 3, 5), 3) == 0.917
assert round(pass_hat_k(10, 3, 2), 3) == 0.067 and pass_hat_k(10, 3, 5) == 0

# %% [markdown]
# **Many tasks.** Per-task success probabilities $p_i$ drawn from a Beta(0.8, 0.6)
# distribution (many tasks nearly always or nearly never solved, as in real agent benchmarks),
# $n = 16$ runs per task. The true values are $\mathbb{E}[1 - (1 - p)^k]$ and
# $\mathbb{E}[p^k]$ over the tasks.

# %%
n_tasks, n_runs = 200, 16
p = rng.beta(0.8, 0.6, size=n_tasks)
c = rng.binomial(n_runs, p)
ks = np.arange(1, n_runs + 1)
at_k = np.array([np.mean([pass_at_k(n_runs, ci, k) for ci in c]) for k in ks])
hat_k = np.array([np.mean([pass_hat_k(n_runs, ci, k) for ci in c]) for k in ks])
true_at_k = np.array([np.mean(1 - (1 - p) ** k) for k in ks])
true_hat_k = np.array([np.mean(p ** k) for k in ks])
for k in (1, 2, 4, 8, 16):
    print(f"k={k:2d}  pass@k {at_k[k - 1]:.3f} (true {true_at_k[k - 1]:.3f})   "
          f"pass^k {hat_k[k - 1]:.3f} (true {true_hat_k[k - 1]:.3f})")

assert np.isclose(at_k[0], hat_k[0]) and np.isclose(at_k[0], c.mean() / n_runs)
assert round(at_k[0], 3) == 0.598
assert np.all(np.diff(at_k) >= 0) and np.all(np.diff(hat_k) <= 0)
assert np.all(hat_k <= at_k + 1e-12)
assert np.max(np.abs(at_k - true_at_k)) < 0.05 and np.max(np.abs(hat_k - true_hat_k)) < 0.05

# %% [markdown]
# **Same pass@1, different reliability.** Agent A succeeds on every task with probability 0.6,
# independently per run; agent B always solves 60% of the tasks and never the other 40%. Their
# pass@1 is identical; pass^8 separates them by a factor of 36.

# %%
k = 8
a_at, a_hat = 1 - 0.4 ** k, 0.6 ** k          # every task has p = 0.6
b_at = b_hat = 0.6 * 1.0 + 0.4 * 0.0          # p = 1 on 60% of tasks, 0 on the rest
print(f"A: pass@8 {a_at:.5f}, pass^8 {a_hat:.4f}   B: pass@8 {b_at}, pass^8 {b_hat}")
assert round(a_at, 3) == 0.999 and round(a_hat, 3) == 0.017
assert b_at == b_hat == 0.6 and round(b_hat / a_hat) == 36

# %% [markdown]
# **Why not plug in $c/n$?** $1 - (1 - \hat p)^k$ is a concave function of $\hat p = c/n$, so by
# Jensen's inequality its average is below the true pass@k; with few runs the gap is large. The
# combinatorial estimator is exactly unbiased (averaged over 200,000 simulated tasks here).

# %%
n_small, k_small, p_true = 5, 5, 0.3
c_sim = rng.binomial(n_small, p_true, size=200_000)
plug_in = np.mean(1 - (1 - c_sim / n_small) ** k_small)
table = np.array([pass_at_k(n_small, ci, k_small) for ci in range(n_small + 1)])
unbiased = table[c_sim].mean()
truth = 1 - (1 - p_true) ** k_small
print(f"true pass@5 {truth:.3f}; plug-in {plug_in:.3f}; combinatorial {unbiased:.3f}")
assert round(truth, 3) == 0.832 and round(plug_in, 3) == 0.687
assert abs(unbiased - truth) < 0.005

# %%
fig, ax = plt.subplots()
ax.plot(ks, at_k, "o-", label="pass@k (at least one of k succeeds)")
ax.plot(ks, hat_k, "s-", label="pass^k (all k succeed)")
ax.plot(ks, true_at_k, ":", color="grey", label="true values")
ax.plot(ks, true_hat_k, ":", color="grey")
ax.set(xlabel="k (attempts)", ylabel="probability", ylim=(0, 1.02),
       title=f"{n_tasks} simulated tasks, {n_runs} runs each")
ax.legend()
fig.tight_layout()
plt.show()
