# %% [markdown]
# ### Notebook: a tiny Transformer language model that overfits one batch
#
# A decoder-only Transformer (2 pre-norm blocks, width 64, 4 heads, learned positions, tied
# input and output embeddings) and the minimal training loop of a language model: shift the
# tokens by one for the targets, cross-entropy over the vocabulary, AdamW, gradient clipping.
# Overfitting a single batch is the standard first check that the model and the loop are wired
# correctly. The notebook proves what the answer states:
#
# - the model has 110,336 parameters for a vocabulary of 128 and a context of 32;
# - at initialisation the loss is 4.858, within 0.05 of $\ln 128 = 4.852$, the loss of a uniform guess;
# - a causality check passes: changing the last token of a sequence leaves the logits of all
#   earlier positions unchanged;
# - on one batch of 8 random sequences of 32 tokens, the loss falls below 0.1 within 60 AdamW
#   steps and below 0.01 after 300 (a few seconds on a CPU);
# - the same loop with the targets *not* shifted reaches a near-zero loss almost at once,
#   which is the sign of a model that can see the token it must predict.

# %%
import math

import matplotlib.pyplot as plt
import torch
import torch.nn as nn
import torch.nn.functional as F

plt.rcParams.update({"figure.figsize": (7, 3.5), "figure.dpi": 100,
                     "figure.facecolor": "white", "axes.facecolor": "white"})
torch.manual_seed(0)
torch.set_num_threads(1)                 # tiny tensors: extra threads only add overhead


class Block(nn.Module):
    def __init__(self, d, n_heads):
        super().__init__()
        self.n_heads = n_heads
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv, self.proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x):
        B, T, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(d, dim=-1)
        q, k, v = (t.view(B, T, self.n_heads, d // self.n_heads).transpose(1, 2) for t in (q, k, v))
        a = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + self.proj(a.transpose(1, 2).reshape(B, T, d))
        return x + self.mlp(self.ln2(x))


class TinyLM(nn.Module):
    def __init__(self, vocab=128, context=32, d=64, n_heads=4, n_layers=2):
        super().__init__()
        self.tok, self.pos = nn.Embedding(vocab, d), nn.Embedding(context, d)
        self.blocks = nn.ModuleList(Block(d, n_heads) for _ in range(n_layers))
        self.ln_f = nn.LayerNorm(d)
        self.apply(self._init)

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)     # small weights: near-uniform first predictions
        if isinstance(m, nn.Linear):
            nn.init.zeros_(m.bias)

    def forward(self, idx):
        x = self.tok(idx) + self.pos(torch.arange(idx.shape[1]))
        for block in self.blocks:
            x = block(x)
        return self.ln_f(x) @ self.tok.weight.T    # tied output layer: logits (B, T, vocab)


V, T = 128, 32
model = TinyLM(V, T)
n_params = sum(p.numel() for p in model.parameters())
print(f"{n_params:,} parameters")
assert n_params == 110_336

# %% [markdown]
# **Loss at initialisation and causality.** With tiny logits the prediction is close to
# uniform, so the cross-entropy starts at about $\ln V$; a much larger starting loss usually
# means a bad initialisation scale. Then: logits at positions before a change must not move.

# %%
batch = torch.randint(0, V, (8, T))
inputs, targets = batch[:, :-1], batch[:, 1:]             # predict token t+1 from tokens <= t


def lm_loss(model, inputs, targets):
    logits = model(inputs)
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))


with torch.no_grad():
    loss0 = lm_loss(model, inputs, targets).item()
    changed = inputs.clone()
    changed[:, -1] = (changed[:, -1] + 1) % V
    before, after = model(inputs), model(changed)
print(f"initial loss {loss0:.3f}, ln V = {math.log(V):.3f}")
assert abs(loss0 - math.log(V)) < 0.05 and round(loss0, 3) == 4.858
assert torch.allclose(before[:, :-1], after[:, :-1], atol=1e-6)   # the past ignores the future
assert not torch.allclose(before[:, -1], after[:, -1])


# %% [markdown]
# **The training loop.** AdamW (weight decay 0.01 here, as the goal is to memorise), learning
# rate 3e-3, gradients clipped to norm 1.0.

# %%
def train(model, inputs, targets, steps=300, lr=3e-3):
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    losses = []
    for step in range(steps):
        loss = lm_loss(model, inputs, targets)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
        opt.step()
        losses.append(loss.item())
    return losses


losses = train(model, inputs, targets)
first_below = next(i for i, l in enumerate(losses) if l < 0.1)
print(f"loss {losses[0]:.3f} -> {losses[-1]:.4f}; below 0.1 from step {first_below}")
assert first_below < 60 and losses[-1] < 0.01

# %% [markdown]
# **The shifting bug.** Training with `targets = inputs` (no shift) asks each position to
# predict the token it already sees; the loss collapses at once, which looks like success but
# means the model learned to copy its input.

# %%
torch.manual_seed(0)
leaky = train(TinyLM(V, T), inputs, inputs, steps=60)
print(f"unshifted targets: loss {leaky[0]:.3f} -> {leaky[-1]:.4f} after 60 steps")
assert leaky[-1] < 0.1 and leaky[-1] < losses[59]

# %%
fig, ax = plt.subplots()
ax.plot(losses, label="shifted targets (correct)")
ax.plot(leaky, label="unshifted targets (bug)")
ax.axhline(math.log(V), color="grey", ls="--", label="ln V")
ax.set(xlabel="step", ylabel="training loss (nats/token)", yscale="log",
       title="Overfitting one batch of 8 x 32 tokens")
ax.legend()
fig.tight_layout()
plt.show()
