# %% [markdown]
# ### Notebook: agreement and significance for LLM evaluations
#
# Two statistical tools every evaluation needs, computed from scratch with numpy and the
# standard library:
#
# 1. **Cohen's kappa**, agreement corrected for chance, $\kappa = (p_o - p_e) / (1 - p_e)$, where
#    $p_o$ is the observed agreement and $p_e$ the agreement expected if both raters labelled
#    independently at their own base rates. Proved here: the worked example of the answer
#    (85% agreement, $\kappa = 0.70$); the prevalence paradox (90% agreement but
#    $\kappa = 0.44$ when 90% of items are "pass"); and for a simulated judge that grades on a
#    1–5 scale one point too high a third of the time: exact agreement 0.70, kappa 0.63,
#    quadratic-weighted kappa 0.87 (checked against scikit-learn when it is installed).
# 2. **Is B better than A?** On 1,000 shared items, B scores 70.1% and A 66.6%. The paired
#    bootstrap 95% interval for the difference, [+1.0, +6.0] points, excludes zero; the interval
#    that ignores the pairing, [-0.6, +7.6], is 1.6 times as wide and does not. McNemar's exact
#    test on the 165 items where the models disagree gives p = 0.008. The sample size to detect
#    a 2-point gain (70% to 72%) with 80% power at the 5% level is 2,936 items when the models
#    disagree on 15% of items, and 8,077 if the comparison were unpaired; a simulation confirms
#    the power.

# %%
from math import comb
from statistics import NormalDist

import matplotlib.pyplot as plt
import numpy as np

plt.rcParams.update({"figure.figsize": (7, 3.5), "figure.dpi": 100,
                     "figure.facecolor": "white", "axes.facecolor": "white"})
rng = np.random.default_rng(0)


def confusion(a, b, k):
    """k x k table of counts: rows rater a's label, columns rater b's label."""
    table = np.zeros((k, k))
    np.add.at(table, (a, b), 1)
    return table


def cohen_kappa(table, weights="none"):
    """Kappa from a confusion table; weights 'none' or 'quadratic' (for ordinal labels)."""
    k = table.shape[0]
    observed = table / table.sum()
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0))
    i, j = np.indices((k, k))
    w = (i != j).astype(float) if weights == "none" else (i - j) ** 2 / (k - 1) ** 2
    return 1 - (w * observed).sum() / (w * expected).sum()


# %% [markdown]
# **Worked example.** Two annotators label 100 answers as acceptable or not. They agree on
# $40 + 45 = 85$ items, $p_o = 0.85$. Annotator 1 says "acceptable" on 50 items, annotator 2 on
# 45, so chance agreement is $p_e = 0.50 \times 0.45 + 0.50 \times 0.55 = 0.50$ and
# $\kappa = (0.85 - 0.50) / (1 - 0.50) = 0.70$.

# %%
worked = np.array([[40, 10],     # rows: annotator 1 (acceptable, not)
                   [5, 45]])     # columns: annotator 2
p_o = np.trace(worked) / worked.sum()
p_e = (worked.sum(axis=1) / 100) @ (worked.sum(axis=0) / 100)
assert (p_o, p_e) == (0.85, 0.5)
assert np.isclose(cohen_kappa(worked), 0.70) and np.isclose((p_o - p_e) / (1 - p_e), 0.70)

# %% [markdown]
# **The prevalence paradox.** Now 90% of the answers are acceptable. The annotators agree on
# 90 of 100, more than before, yet $p_e = 0.9^2 + 0.1^2 = 0.82$ and $\kappa = 0.08 / 0.18 =
# 0.44$: when one label dominates, agreeing on it is cheap, and kappa says so. Report the
# confusion table or per-class agreement beside kappa.

# %%
skewed = np.array([[85, 5],
                   [5, 5]])
assert np.trace(skewed) / skewed.sum() == 0.90
assert round(cohen_kappa(skewed), 2) == 0.44

# %% [markdown]
# **A judge against human labels on a 1–5 scale.** 400 items with a human score; the judge
# gives the same score, except one point higher on about a third of the items (a lenient
# judge) and a random other score on 10%. Unweighted kappa counts a 4 against a 5 as a full
# disagreement; quadratic weights count it as $1/16$ of one, which suits ordinal scales. Both
# are checked against scikit-learn when it is installed.

# %%
n_items, k = 400, 5
human = rng.integers(0, k, size=n_items)                       # scores 1..5 stored as 0..4
judge = human.copy()
lenient = rng.random(n_items) < 1 / 3
judge[lenient] = np.minimum(human[lenient] + 1, k - 1)
noisy = rng.random(n_items) < 0.10
judge[noisy] = rng.integers(0, k, size=noisy.sum())
table = confusion(human, judge, k)
exact = np.mean(human == judge)
kappa_plain, kappa_quad = cohen_kappa(table), cohen_kappa(table, "quadratic")
print(f"exact agreement {exact:.2f}; kappa {kappa_plain:.2f}; "
      f"quadratic-weighted kappa {kappa_quad:.2f}")
assert (round(exact, 2), round(kappa_plain, 2), round(kappa_quad, 2)) == (0.70, 0.63, 0.87)
assert kappa_plain < exact and kappa_quad > kappa_plain
try:
    from sklearn.metrics import cohen_kappa_score
except ImportError:
    print("scikit-learn not installed: the worked examples above are the check")
else:
    assert np.isclose(cohen_kappa_score(human, judge), kappa_plain)
    assert np.isclose(cohen_kappa_score(human, judge, weights="quadratic"), kappa_quad)
    print("matches sklearn.metrics.cohen_kappa_score")

# %% [markdown]
# **Is B better than A? The paired bootstrap.** Both models answer the same 1,000 items. Items
# differ in difficulty, and a hard item tends to defeat both models, so the per-item results are
# correlated. Resampling *items* (keeping each item's pair of results together) keeps that
# correlation; resampling the two models' results independently throws it away and inflates the
# interval.

# %%
n = 1_000
items = np.random.default_rng(0)        # its own seed: the example does not depend on cells above
difficulty = items.normal(0, 4, size=n)
a = (items.random(n) < 1 / (1 + np.exp(-(1.5 - difficulty)))).astype(int)
b = (items.random(n) < 1 / (1 + np.exp(-(2.0 - difficulty)))).astype(int)
diff = b.mean() - a.mean()
print(f"accuracy A {a.mean():.3f}, B {b.mean():.3f}, difference {diff:+.3f}")

resamples = 10_000
idx = rng.integers(0, n, size=(resamples, n))
paired = b[idx].mean(axis=1) - a[idx].mean(axis=1)
unpaired = (b[rng.integers(0, n, size=(resamples, n))].mean(axis=1)
            - a[rng.integers(0, n, size=(resamples, n))].mean(axis=1))
ci_paired = np.percentile(paired, [2.5, 97.5])
ci_unpaired = np.percentile(unpaired, [2.5, 97.5])
ratio = np.ptp(ci_paired) / np.ptp(ci_unpaired)
print(f"95% CI paired   [{ci_paired[0]:+.3f}, {ci_paired[1]:+.3f}]")
print(f"95% CI unpaired [{ci_unpaired[0]:+.3f}, {ci_unpaired[1]:+.3f}]  width ratio {ratio:.2f}")
assert (round(a.mean(), 3), round(b.mean(), 3)) == (0.666, 0.701)
assert np.allclose(ci_paired, [0.010, 0.060], atol=5e-4)
assert np.allclose(ci_unpaired, [-0.006, 0.076], atol=5e-4)
assert round(ratio, 2) == 0.61 and round(1 / ratio, 1) == 1.6
assert ci_paired[0] > 0 > ci_unpaired[0]      # only the paired analysis detects the gain

# The bootstrap standard error matches the analytic one, sd(b_i - a_i) / sqrt(n).
se_analytic = np.std(b - a, ddof=1) / np.sqrt(n)
assert abs(paired.std() / se_analytic - 1) < 0.05

# %% [markdown]
# **McNemar's exact test.** Only the discordant items carry information about the difference:
# $n_{10}$ items that only A got right and $n_{01}$ that only B got right. Under "no difference"
# each discordant item is a fair coin, so the two-sided p-value is a binomial tail.

# %%
n10 = int(np.sum((a == 1) & (b == 0)))
n01 = int(np.sum((a == 0) & (b == 1)))
d = n10 + n01
tail = sum(comb(d, x) for x in range(min(n10, n01) + 1)) / 2 ** d
p_value = min(1.0, 2 * tail)
print(f"discordant items: only A right {n10}, only B right {n01}; McNemar p = {p_value:.4f}")
assert np.isclose((n01 - n10) / n, diff)
assert (n10, n01) == (65, 100) and round(p_value, 3) == 0.008
# The two methods agree on the verdict at the 5% level.
assert (p_value < 0.05) == (ci_paired[0] > 0 or ci_paired[1] < 0)

# %% [markdown]
# **How many items do you need?** To detect a true difference $\Delta$ with a two-sided test at
# level $\alpha$ and power $1 - \beta$, $n = (z_{1-\alpha/2} + z_{1-\beta})^2 \sigma^2 /
# \Delta^2$. For a paired comparison $\sigma^2$ is the variance of the per-item difference,
# $p_{\text{disc}} - \Delta^2$, where $p_{\text{disc}}$ is the fraction of items on which the
# models disagree; unpaired, it is $p_A(1 - p_A) + p_B(1 - p_B)$. For 70% against 72%, with the
# models disagreeing on 15% of items:

# %%
z = NormalDist().inv_cdf
alpha, power, p_a, p_b, p_disc = 0.05, 0.80, 0.70, 0.72, 0.15
delta = p_b - p_a
factor = (z(1 - alpha / 2) + z(power)) ** 2
n_paired = int(np.ceil(factor * (p_disc - delta ** 2) / delta ** 2))
n_unpaired = int(np.ceil(factor * (p_a * (1 - p_a) + p_b * (1 - p_b)) / delta ** 2))
print(f"items needed: paired {n_paired:,}, unpaired {n_unpaired:,}")
assert (n_paired, n_unpaired) == (2_936, 8_077)

# With 100 items and 80% accuracy, the 95% interval is about +/- 7.8 points.
assert round(100 * z(0.975) * np.sqrt(0.8 * 0.2 / 100), 1) == 7.8

# %% [markdown]
# **Check by simulation.** Draw 4,000 evaluation sets of 2,936 items from the joint
# distribution (A only right 6.5%, B only right 8.5%, both right 63.5%, both wrong 21.5%, so
# $p_A = 0.70$, $p_B = 0.72$, $p_{\text{disc}} = 0.15$), run the paired z-test on each, and
# count how often it detects the difference: about 80% of the time.

# %%
cells = np.array([0.065, 0.085, 0.635, 0.215])      # A only, B only, both, neither
assert np.isclose(cells.sum(), 1) and np.isclose(cells[0] + cells[2], p_a)
assert np.isclose(cells[1] + cells[2], p_b) and np.isclose(cells[0] + cells[1], p_disc)
counts = rng.multinomial(n_paired, cells, size=4_000)
mean_d = (counts[:, 1] - counts[:, 0]) / n_paired
var_d = (counts[:, 1] + counts[:, 0]) / n_paired - mean_d ** 2
detected = np.abs(mean_d / np.sqrt(var_d / n_paired)) > z(1 - alpha / 2)
print(f"simulated power at n = {n_paired:,}: {detected.mean():.3f}")
assert abs(detected.mean() - 0.80) < 0.025

# %%
fig, ax = plt.subplots()
ax.hist(unpaired, bins=60, alpha=0.6, label="unpaired resampling")
ax.hist(paired, bins=60, alpha=0.6, label="paired (resample items)")
ax.axvline(0, color="black", lw=1)
ax.set(xlabel="accuracy of B minus accuracy of A", ylabel="bootstrap resamples",
       title=f"{n} shared items: the paired interval is {ratio:.2f} times as wide")
ax.legend()
fig.tight_layout()
plt.show()
