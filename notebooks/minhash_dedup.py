# %% [markdown]
# ### Notebook: MinHash near-duplicate detection and LSH banding
#
# Documents become sets of word 5-grams ("shingles"). The Jaccard similarity of two sets is
# $J(A, B) = |A \cap B| / |A \cup B|$. MinHash keeps, for each of $k$ random hash functions,
# the smallest hash value over a document's shingles; two documents agree on one such
# minimum with probability exactly $J$, so the fraction of agreeing minima estimates $J$ with
# standard deviation $\sqrt{J(1-J)/k} \le 1/(2\sqrt{k})$. LSH cuts the $k$ minima into $b$
# bands of $r$ rows and makes two documents a candidate pair if any band matches entirely,
# which happens with probability $1 - (1 - J^r)^b$. On synthetic documents the notebook proves
# the figures of the answer:
#
# - with $k = 128$ hashes the estimates over 300 document pairs have a root-mean-square error
#   of 0.04 (theory: 0.039 for these pairs, at most $1/(2\sqrt{k}) = 0.044$), at least 90% of
#   them fall within two standard deviations, and none is off by more than three worst-case
#   standard deviations (0.13);
# - with FineWeb's setting ($b = 14$ bands of $r = 8$, 112 hashes) the candidate probability is
#   0.05 at $J = 0.5$, 0.77 at $J = 0.75$, 0.92 at $J = 0.8$ and 0.9996 at $J = 0.9$; the S-curve's
#   threshold is about $(1/b)^{1/r} = 0.72$; the measured candidate rates agree with the formula;
# - in a toy corpus of 1,000 documents (800 originals, 100 exact copies and 100 light edits),
#   exact hashing removes the 100 copies and MinHash-LSH finds all 100 edited copies (1% of
#   words changed) and removes nothing else.

# %%
import hashlib

import matplotlib.pyplot as plt
import numpy as np

plt.rcParams.update({"figure.figsize": (7, 3.5), "figure.dpi": 100,
                     "figure.facecolor": "white", "axes.facecolor": "white"})
rng = np.random.default_rng(0)
PRIME = (1 << 31) - 1           # hash arithmetic modulo a Mersenne prime; a * x fits in 64 bits
VOCAB = 5_000


def shingles(words, n=5):
    """The set of word n-grams of a document, each mapped to an integer below PRIME."""
    ids = np.asarray(words, dtype=np.int64)
    grams = np.lib.stride_tricks.sliding_window_view(ids, n)
    keys = (grams * VOCAB ** np.arange(n)).sum(axis=1) % PRIME   # distinct n-grams, distinct keys (almost surely)
    return set(keys.tolist())


def jaccard(a, b):
    return len(a & b) / len(a | b)


def make_hashes(k, seed=1):
    g = np.random.default_rng(seed)
    return g.integers(1, PRIME, size=k), g.integers(0, PRIME, size=k)


def minhash(shingle_set, hashes):
    """k minima of (a x + b) mod p over the document's shingles."""
    a, b = hashes
    x = np.fromiter(shingle_set, dtype=np.int64)
    return ((np.outer(a, x) + b[:, None]) % PRIME).min(axis=1)


def edit(words, rate, rng):
    """A near-duplicate: each word replaced by a random one with probability `rate`."""
    words = words.copy()
    mask = rng.random(words.size) < rate
    words[mask] = rng.integers(0, VOCAB, size=mask.sum())
    return words


# %% [markdown]
# **Estimated against exact Jaccard.** 300 pairs of 400-word documents, edit rates from 0 to
# 20% of words (each edited word breaks up to five shingles).

# %%
k = 128
hashes = make_hashes(k)
exact, estimate = [], []
for rate in np.linspace(0.0, 0.2, 300):
    doc = rng.integers(0, VOCAB, size=400)
    A, B = shingles(doc), shingles(edit(doc, rate, rng))
    exact.append(jaccard(A, B))
    estimate.append(np.mean(minhash(A, hashes) == minhash(B, hashes)))
exact, estimate = np.array(exact), np.array(estimate)
err = estimate - exact
theory = np.sqrt(exact * (1 - exact) / k)
rmse = np.sqrt(np.mean(err**2))
print(f"J from {exact.min():.2f} to {exact.max():.2f}; RMSE {rmse:.3f}, "
      f"theory {np.sqrt(np.mean(theory**2)):.3f}; largest error {np.abs(err).max():.3f}")
within_2sd = np.mean(np.abs(err) <= 2 * theory + 1e-12)
print(f"{within_2sd:.0%} of the pairs within two standard deviations of the exact value")
assert exact.min() < 0.3 and exact.max() == 1.0
assert abs(rmse - np.sqrt(np.mean(theory**2))) < 0.01      # matches sqrt(J(1-J)/k)
assert round(rmse, 2) == 0.04 and within_2sd >= 0.9
assert np.abs(err).max() < 3 / (2 * np.sqrt(k))             # no pair beyond 3 worst-case sd
assert round(1 / (2 * np.sqrt(k)), 3) == 0.044

# %% [markdown]
# **LSH banding.** $b = 14$ bands of $r = 8$ rows (FineWeb's configuration: 5-grams, 112
# hashes). The formula, then a measurement: for 2,000 pairs spread over similarities, the
# fraction that share at least one full band, against the formula averaged over the same pairs.

# %%
def candidate_probability(s, bands, rows):
    return 1 - (1 - s**rows) ** bands


b, r = 14, 8
for s in (0.5, 0.75, 0.8, 0.9):
    print(f"J = {s}: P(candidate) = {candidate_probability(s, b, r):.4f}")
assert round(candidate_probability(0.5, b, r), 2) == 0.05
assert round(candidate_probability(0.75, b, r), 2) == 0.77
assert round(candidate_probability(0.8, b, r), 2) == 0.92
assert round(candidate_probability(0.9, b, r), 4) == 0.9996
assert round((1 / b) ** (1 / r), 2) == 0.72

hashes112 = make_hashes(b * r, seed=2)


def band_keys(signature, bands=b, rows=r):
    """One key per band: the band's index and its r minima."""
    return {(i, signature[i * rows:(i + 1) * rows].tobytes()) for i in range(bands)}


js, hits = [], []
for rate in np.linspace(0.0, 0.12, 2_000):
    doc = rng.integers(0, VOCAB, size=400)
    A, B = shingles(doc), shingles(edit(doc, rate, rng))
    js.append(jaccard(A, B))
    hits.append(bool(band_keys(minhash(A, hashes112)) & band_keys(minhash(B, hashes112))))
js, hits = np.array(js), np.array(hits)
for lo, hi in [(0.4, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9)]:
    sel = (js >= lo) & (js < hi)
    expected = candidate_probability(js[sel], b, r).mean()
    se = np.sqrt(expected * (1 - expected) / sel.sum())
    print(f"J in [{lo}, {hi}): {sel.sum():4d} pairs, measured {hits[sel].mean():.3f}, formula {expected:.3f}")
    assert sel.sum() > 100 and abs(hits[sel].mean() - expected) < 4 * se + 0.01

# %% [markdown]
# **A toy deduplication run.** 800 original documents, 100 exact copies and 100 copies with 1%
# of their words changed. Exact duplicates go first (a hash of the normalised text); near-duplicates are
# then found by bucketing band keys, and each candidate pair is confirmed by its estimated
# Jaccard ≥ 0.7 before one document of the pair is dropped.

# %%
originals = [rng.integers(0, VOCAB, size=int(rng.integers(200, 600))) for _ in range(800)]
copies = [originals[i].copy() for i in rng.choice(800, 100, replace=False)]


def change_words(words, n, rng):
    """A copy with exactly n words replaced by different ones."""
    words = words.copy()
    pos = rng.choice(words.size, n, replace=False)
    words[pos] = (words[pos] + rng.integers(1, VOCAB, size=n)) % VOCAB
    return words


edited = [change_words(originals[i], originals[i].size // 100, rng)
          for i in rng.choice(800, 100, replace=False)]
corpus = originals + copies + edited

seen, kept = set(), []
for i, doc in enumerate(corpus):
    digest = hashlib.sha256(" ".join(map(str, doc)).encode()).hexdigest()
    if digest not in seen:
        seen.add(digest)
        kept.append(i)
print(f"exact dedup: {len(corpus)} -> {len(kept)} documents")
assert len(kept) == 900

signatures = {i: minhash(shingles(corpus[i]), hashes112) for i in kept}
buckets = {}
for i in kept:
    for key in band_keys(signatures[i]):
        buckets.setdefault(key, []).append(i)
pairs = {(m[0], j) for m in buckets.values() if len(m) > 1 for j in m[1:]}
confirmed = {(i, j) for i, j in pairs if np.mean(signatures[i] == signatures[j]) >= 0.7}
removed = {j for _, j in confirmed}
print(f"candidate pairs {len(pairs)}, confirmed {len(confirmed)}, removed {len(removed)}")
assert removed == set(range(900, 1000))              # exactly the 100 edited copies
assert all(i < 800 for i, _ in confirmed)           # each matched to its original

# %% [markdown]
# **The S-curve** of LSH for a few band settings with the same 112 hashes: more rows per band
# push the threshold up and sharpen it.

# %%
s = np.linspace(0, 1, 201)
fig, ax = plt.subplots()
for bands, rows in [(28, 4), (14, 8), (8, 14)]:
    ax.plot(s, candidate_probability(s, bands, rows), label=f"b = {bands}, r = {rows}")
ax.scatter(js, hits + rng.normal(0, 0.01, hits.size), s=2, color="grey", alpha=0.3,
           label="measured pairs (b = 14, r = 8)")
ax.set(xlabel="Jaccard similarity of the two documents", ylabel="P(candidate pair)",
       title="LSH banding: 1 - (1 - s^r)^b")
ax.legend(fontsize=8)
fig.tight_layout()
plt.show()
