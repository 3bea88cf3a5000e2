# %% [markdown]
# ### Notebook: perplexity from token probabilities, and why it depends on the tokeniser
#
# This notebook proves the figures in the perplexity answer above:
#
# - perplexity is $\exp$ of the mean negative log-likelihood per token; for token probabilities
#   $(1/2, 1/4, 1/8, 1/2)$ it is $2^{1.75} = 3.36$, the inverse geometric mean of the
#   probabilities;
# - a model that is uniform over a vocabulary of $V$ tokens has perplexity exactly $V$
#   (e.g. 50,257);
# - the same text with the same total log-likelihood (100 bits for 100 bytes) has perplexity
#   16 when split into 25 tokens but 4 when split into 50 tokens, while bits per byte is 1.0
#   for both: per-token perplexities of models with different tokenisers are not comparable.

# %%
import numpy as np

rng = np.random.default_rng(0)


def perplexity(token_probs):
    nll = -np.log(np.asarray(token_probs, dtype=float))
    return float(np.exp(nll.mean()))

# %%
probs = [1 / 2, 1 / 4, 1 / 8, 1 / 2]
ppl = perplexity(probs)
print("perplexity", round(ppl, 4))
assert np.isclose(ppl, 2 ** 1.75) and round(ppl, 2) == 3.36
assert np.isclose(ppl, 1 / np.prod(probs) ** (1 / len(probs)))    # inverse geometric mean
# base-2 view: mean bits per token = 1.75, perplexity = 2 ** bits
assert np.isclose(-np.mean(np.log2(probs)), 1.75)

# %% [markdown]
# **Uniform model.** Every token gets probability $1/V$, so the mean NLL is $\ln V$ and the
# perplexity is $V$: perplexity is the effective number of equally likely choices.

# %%
for V in (8, 50_257):
    n_tokens = int(rng.integers(10, 1_000))          # any text length: each prob is 1/V
    assert np.isclose(perplexity(np.full(n_tokens, 1 / V)), V)
print("uniform over 50,257 tokens: perplexity", round(perplexity(np.full(10, 1 / 50_257)), 6))

# %% [markdown]
# **Tokenisation changes the number.** A 100-byte text to which a model assigns total
# probability $2^{-100}$ (100 bits). Tokeniser A splits it into 25 tokens, tokeniser B into 50.
# The per-token perplexity is $2^{100/25} = 16$ for A and $2^{100/50} = 4$ for B; bits per byte
# is $100/100 = 1.0$ for both.

# %%
total_bits, n_bytes = 100.0, 100
total_nats = total_bits * np.log(2)
for n_tokens, expected in ((25, 16.0), (50, 4.0)):
    ppl_tok = np.exp(total_nats / n_tokens)
    bpb = total_bits / n_bytes
    print(f"{n_tokens} tokens: perplexity {ppl_tok:.2f}, bits per byte {bpb:.2f}")
    assert np.isclose(ppl_tok, expected) and bpb == 1.0
