# %% [markdown]
# ### Notebook: confusion matrix, precision, recall, ROC and AUC
#
# This notebook scores 1,000 synthetic samples with a toy classifier and computes every metric
# from scratch: the confusion matrix at threshold 0.5, precision, recall, F1 and accuracy (checked
# against their definitions in terms of the confusion matrix), the ROC curve by sweeping the
# threshold, its area by the trapezoid rule (equal, to $10^{-9}$, to the Mann–Whitney rank
# statistic: the probability that a random positive scores above a random negative) and the
# precision–recall curve. It ends by showing why accuracy misleads on imbalanced data: with 1%
# positives, predicting "negative" for everything scores 0.99.

# %%
import matplotlib.pyplot as plt
import numpy as np

plt.rcParams.update({"figure.figsize": (7, 3.5), "figure.dpi": 100,
                     "figure.facecolor": "white", "axes.facecolor": "white"})
np.set_printoptions(precision=4, suppress=True)
rng = np.random.default_rng(0)

n = 1000
# about 30% positives
y = (rng.random(n) < 0.3).astype(int)
# The classifier's logit is +1 for positives and -1 for negatives plus noise: the classes overlap.
logit = np.where(y == 1, 1.0, -1.0) + rng.normal(0, 1.2, size=n)
score = 1 / (1 + np.exp(-logit))  # the classifier's P(positive)
print("positives:", y.sum(), "negatives:", n - y.sum())
assert y.sum() == 277

# %% [markdown]
# **Confusion matrix at threshold 0.5** (rows: actual class, columns: predicted class), and the
# metrics it determines:
#
# - precision $= \frac{TP}{TP + FP}$: of the samples flagged positive, the fraction that are;
# - recall (sensitivity, TPR) $= \frac{TP}{TP + FN}$: of the positives, the fraction flagged;
# - F1 $= \frac{2PR}{P + R}$, the harmonic mean of precision and recall;
# - accuracy $= \frac{TP + TN}{N}$.
#
# With this seed there are 277 positives and 723 negatives, and TP = 221, FP = 146, FN = 56,
# TN = 577, so precision $\approx 0.602$, recall $\approx 0.798$, F1 $\approx 0.686$ and accuracy
# $0.798$. Each is also computed directly from
# the predictions, without the confusion matrix, to check the formulas.

# %%
pred = (score >= 0.5).astype(int)
tp = int(np.sum((pred == 1) & (y == 1)))
fp = int(np.sum((pred == 1) & (y == 0)))
fn = int(np.sum((pred == 0) & (y == 1)))
tn = int(np.sum((pred == 0) & (y == 0)))
print("confusion matrix [[TN, FP], [FN, TP]]:\n", np.array([[tn, fp], [fn, tp]]))
assert (tp, fp, fn, tn) == (221, 146, 56, 577) and tp + fp + fn + tn == n

precision = tp / (tp + fp)
recall = tp / (tp + fn)
f1 = 2 * precision * recall / (precision + recall)
accuracy = (tp + tn) / n
print(f"precision {precision:.3f}, recall {recall:.3f}, F1 {f1:.3f}, "
      f"accuracy {accuracy:.3f}")
# share of flagged that are positive
assert np.isclose(precision, y[pred == 1].mean())
# share of positives that are flagged
assert np.isclose(recall, pred[y == 1].mean())
assert np.isclose(accuracy, np.mean(pred == y))
# the same harmonic mean, rewritten
assert np.isclose(f1, tp / (tp + (fp + fn) / 2))
assert np.allclose([precision, recall, f1, accuracy], [0.602, 0.798, 0.686, 0.798],
                   atol=5e-4)

# %% [markdown]
# **ROC curve and AUC.** Lowering the threshold from $+\infty$ to $-\infty$ flags more and more
# samples; at each distinct score we record the true-positive rate $TP/P$ and the false-positive
# rate $FP/N$. The area under that curve, by the trapezoid rule, equals the Mann–Whitney statistic
# $U/(P\cdot N)$ computed from the ranks of the scores, i.e. the probability that a randomly
# chosen positive is scored above a randomly chosen negative (ties count one half). Here
# AUC $\approx 0.885$.

# %%
def roc_curve(y, score):
    order = np.argsort(-score, kind="stable")
    y_sorted, s_sorted = y[order], score[order]
    # last sample of each distinct score
    last = np.r_[np.diff(s_sorted) != 0, True]
    tps = np.cumsum(y_sorted)[last]
    fps = np.cumsum(1 - y_sorted)[last]
    return np.r_[0, fps / fps[-1]], np.r_[0, tps / tps[-1]], s_sorted[last]


def average_ranks(values):  # ranks 1..n, ties get the average of their ranks
    order = np.argsort(values, kind="stable")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(1, len(values) + 1)
    _, group = np.unique(values, return_inverse=True)  # group of equal values
    return (np.bincount(group, weights=ranks) / np.bincount(group))[group]


fpr, tpr, thresholds = roc_curve(y, score)
auc_trapezoid = np.trapezoid(tpr, fpr)
P, N = y.sum(), n - y.sum()
U = average_ranks(score)[y == 1].sum() - P * (P + 1) / 2
auc_mann_whitney = U / (P * N)
# every positive-negative pair
pairs = score[y == 1][:, None] - score[y == 0][None, :]
auc_pairs = (np.sum(pairs > 0) + 0.5 * np.sum(pairs == 0)) / (P * N)
print(f"AUC: trapezoid {auc_trapezoid:.12f}, Mann-Whitney {auc_mann_whitney:.12f}, "
      f"pairs {auc_pairs:.12f}")
assert abs(auc_trapezoid - auc_mann_whitney) < 1e-9
assert abs(auc_pairs - auc_mann_whitney) < 1e-9
assert np.isclose(auc_trapezoid, 0.885, atol=5e-4)

# The same identity holds with heavy ties (scores rounded to one decimal).
coarse = np.round(score, 1)
f_c, t_c, _ = roc_curve(y, coarse)
U_c = average_ranks(coarse)[y == 1].sum() - P * (P + 1) / 2
assert abs(np.trapezoid(t_c, f_c) - U_c / (P * N)) < 1e-9

# %% [markdown]
# **Precision–recall curve.** Sweeping the same thresholds, precision $TP/(TP+FP)$ against recall.
# Unlike the ROC curve, whose chance level is the diagonal whatever the class balance, the PR
# curve's chance level is the positive rate (0.277 here), which makes it the more informative plot
# when positives are rare.

# %%
order = np.argsort(-score, kind="stable")
tps = np.cumsum(y[order])
precisions, recalls = tps / np.arange(1, n + 1), tps / P
# flag everything: precision = positive rate
assert np.isclose(precisions[-1], 0.277)

fig, (ax_roc, ax_pr) = plt.subplots(1, 2)
ax_roc.plot(fpr, tpr, label=f"classifier (AUC = {auc_trapezoid:.3f})")
ax_roc.plot([0, 1], [0, 1], "--", color="grey", label="chance")
ax_roc.plot(fp / N, tp / P, "o", color="tab:red", label="threshold 0.5")
ax_roc.set(xlabel="false-positive rate", ylabel="true-positive rate (recall)",
           title="ROC curve")
ax_roc.legend(fontsize=7, loc="lower right")
ax_pr.plot(recalls, precisions)
ax_pr.axhline(P / n, ls="--", color="grey", label=f"chance (positive rate {P / n:.3f})")
ax_pr.plot(recall, precision, "o", color="tab:red", label="threshold 0.5")
ax_pr.set(xlabel="recall", ylabel="precision", ylim=(0, 1.02),
          title="Precision–recall curve")
ax_pr.legend(fontsize=7, loc="lower left")
fig.tight_layout()
plt.show()

# %% [markdown]
# **Accuracy on imbalanced data.** 10,000 samples of which exactly 100 (1%) are positive. The
# classifier that always answers "negative" has accuracy $9{,}900/10{,}000 = 0.99$ and yet recall
# $0$: it never finds a positive (its precision is undefined, $0/0$). Precision, recall, F1 and the
# PR curve expose it immediately.

# %%
y_rare = np.zeros(10_000, dtype=int)
y_rare[rng.choice(10_000, size=100, replace=False)] = 1
all_negative = np.zeros_like(y_rare)
accuracy_rare = np.mean(all_negative == y_rare)
recall_rare = np.sum((all_negative == 1) & (y_rare == 1)) / y_rare.sum()
print(f"always-negative classifier: accuracy {accuracy_rare}, recall {recall_rare}")
assert accuracy_rare == 0.99 and recall_rare == 0 and np.sum(all_negative) == 0
