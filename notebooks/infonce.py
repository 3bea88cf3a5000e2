# %% [markdown]
# ### Notebook: the InfoNCE loss and CLIP's symmetric loss
#
# This notebook checks the numbers quoted in the contrastive-learning and CLIP answers:
#
# - with $N$ candidates and uninformative (all-equal) similarities the InfoNCE loss is exactly
#   $\ln N$: 10.397 nats for CLIP's batch of 32,768, which is also the most mutual information the
#   bound $I \ge \ln N - \mathcal{L}$ can certify with that batch;
# - at random initialisation (random unit vectors in 512 dimensions, temperature 0.07) the loss is
#   close to $\ln N$, slightly above it;
# - in SimCLR a batch of 4,096 images gives 8,192 views, so each positive pair is contrasted with
#   8,190 negatives;
# - the loss falls towards 0 when matching pairs line up, and a zero-shot classifier built from
#   "class text" embeddings picks the right class.

# %%
import numpy as np

rng = np.random.default_rng(0)


def log_softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def normalise(x):
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def clip_loss(img, txt, tau):
    """Symmetric InfoNCE: row i of img matches row i of txt."""
    logits = normalise(img) @ normalise(txt).T / tau        # (N, N) cosine similarities / tau
    i2t = -np.diag(log_softmax(logits)).mean()              # each image picks its caption
    t2i = -np.diag(log_softmax(logits.T)).mean()            # each caption picks its image
    return (i2t + t2i) / 2

# %% [markdown]
# **Uninformative embeddings give $\ln N$.** If all similarities are equal, the softmax puts
# $1/N$ on the right answer, and the loss is $-\ln(1/N) = \ln N$. For CLIP's batch of 32,768
# that is 10.397 nats.

# %%
for N in (8, 1024, 32_768):
    logits = np.zeros((1, N))                               # one row is enough
    loss = -log_softmax(logits)[0, 0]
    assert np.isclose(loss, np.log(N))
print(f"ln 32768 = {np.log(32_768):.3f}")
assert round(np.log(32_768), 3) == 10.397

# %% [markdown]
# **At initialisation.** Random unit vectors in $d = 512$ dimensions have cosine similarities with
# standard deviation about $1/\sqrt{d}$; divided by $\tau = 0.07$ the logits have spread
# $\sigma \approx 0.63$, so the loss is about $\ln N + \sigma^2/2$, a little above $\ln N$.

# %%
N, dim, tau = 1024, 512, 0.07
img = rng.standard_normal((N, dim))
txt = rng.standard_normal((N, dim))
loss0 = clip_loss(img, txt, tau)
sigma = 1 / (np.sqrt(dim) * tau)
print(f"random init: loss {loss0:.3f}, ln N = {np.log(N):.3f}, ln N + sigma^2/2 = {np.log(N) + sigma**2 / 2:.3f}")
assert np.log(N) < loss0 < np.log(N) + 0.5
assert abs(loss0 - (np.log(N) + sigma ** 2 / 2)) < 0.05

# %% [markdown]
# **Aligned pairs.** Make each caption embedding a noisy copy of its image embedding: the
# diagonal dominates and the loss drops far below $\ln N$.

# %%
txt_aligned = img + 0.3 * rng.standard_normal((N, dim))
loss_aligned = clip_loss(img, txt_aligned, tau)
print(f"aligned pairs: loss {loss_aligned:.4f}")
assert loss_aligned < 0.01

# %% [markdown]
# **Zero-shot classification.** Embed one prompt per class ("a photo of a {class}"), normalise,
# and pick the class whose text embedding has the highest cosine similarity with the image
# embedding. Here the "text encoder" output for each of 10 classes is a random direction, and
# images of a class are noisy versions of it.

# %%
n_classes, per_class = 10, 50
class_text = normalise(rng.standard_normal((n_classes, dim)))
labels = np.repeat(np.arange(n_classes), per_class)
images = class_text[labels] + 0.04 * rng.standard_normal((labels.size, dim))
pred = (normalise(images) @ class_text.T).argmax(axis=1)
print(f"zero-shot accuracy: {(pred == labels).mean():.3f}")
assert (pred == labels).mean() == 1.0

# %% [markdown]
# **SimCLR's negatives.** A batch of $N$ images gives $2N$ augmented views; for each positive pair
# the other $2N - 2$ views are negatives: 8,190 for $N = 4{,}096$.

# %%
batch = 4096
assert 2 * batch == 8192 and 2 * batch - 2 == 8190
