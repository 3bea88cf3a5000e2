# %% [markdown]
# ### Notebook: ViT patch tokens and parameter count
#
# This notebook checks the arithmetic of the Vision Transformer answer for ViT-B/16 at 224×224:
#
# - 224/16 = 14 patches per side, 196 patches, plus the class token: 197 tokens of width 768;
# - the patch embedding has 16·16·3·768 + 768 = 590,592 parameters, and "cut into patches, flatten,
#   multiply by a matrix" gives exactly the output of a 16×16 convolution with stride 16;
# - one encoder layer has 7,087,872 parameters; the whole model 86,567,656 with the 1,000-class
#   head (85,798,656 without), the "86M" of the paper;
# - other token counts quoted on the page: ViT-L/14 gives 256 patch tokens at 224 px and 576 at
#   336 px (the LLaVA-1.5 input); ViT-B/16 at 384 px also has 576 patches; MAE's 75% masking
#   leaves 49 of 196 patches for the encoder.

# %%
import numpy as np

rng = np.random.default_rng(0)

H = W = 224
P, C, D = 16, 3, 768            # patch size, channels, model width (ViT-B)
n_side = H // P
n_patches = n_side ** 2
print(f"{n_side}x{n_side} = {n_patches} patches, {n_patches + 1} tokens with [class]")
assert n_side == 14 and n_patches == 196 and n_patches + 1 == 197
assert P * P * C == 768       # a flattened patch happens to have 768 numbers too

# %% [markdown]
# **Patchify + linear projection = strided convolution.** Reshape an image $(C, H, W)$ into 196
# flattened patches of length $P^2 C$ and multiply by $E \in \mathbb{R}^{P^2C \times D}$. A
# convolution with $D$ kernels of size $P \times P$ and stride $P$ computes the same dot products,
# one output position per patch. We compute the convolution independently, with an explicit loop
# over output positions.

# %%
img = rng.standard_normal((C, H, W))
kernel = rng.standard_normal((D, C, P, P)) * 0.02     # conv weight (out, in, kh, kw)
bias = rng.standard_normal(D) * 0.02

# ViT way: (C, 14, 16, 14, 16) -> (14, 14, C, 16, 16) -> (196, 768), then a matrix product
patches = img.reshape(C, n_side, P, n_side, P).transpose(1, 3, 0, 2, 4).reshape(n_patches, C * P * P)
E = kernel.reshape(D, C * P * P).T                    # (768 inputs, 768 outputs)
tokens = patches @ E + bias                           # (196, 768)

# Convolution way: slide the kernel with stride 16
conv = np.empty((D, n_side, n_side))
for i in range(n_side):
    for j in range(n_side):
        window = img[:, i * P:(i + 1) * P, j * P:(j + 1) * P]
        conv[:, i, j] = np.tensordot(kernel, window, axes=([1, 2, 3], [0, 1, 2])) + bias

assert tokens.shape == (196, 768)
assert np.allclose(tokens, conv.reshape(D, n_patches).T)
patch_embed = kernel.size + bias.size
print(f"patch embedding parameters: {patch_embed:,}")
assert patch_embed == 16 * 16 * 3 * 768 + 768 == 590_592

# %% [markdown]
# **Parameter count of ViT-B/16** (12 pre-norm layers, $d = 768$, MLP 3,072, 12 heads):
#
# | Part | Formula | Parameters |
# |---|---|---|
# | patch embedding | $P^2 C d + d$ | 590,592 |
# | class token + position embeddings | $d + 197d$ | 152,064 |
# | one layer: 2 LayerNorms | $2 \cdot 2d$ | 3,072 |
# | one layer: attention ($W^Q, W^K, W^V, W^O$ + biases) | $4(d^2 + d)$ | 2,362,368 |
# | one layer: MLP | $2 \cdot d \cdot 4d + 4d + d$ | 4,722,432 |
# | **one layer** | | **7,087,872** |
# | 12 layers | | 85,054,464 |
# | final LayerNorm | $2d$ | 1,536 |
# | **backbone** | | **85,798,656** |
# | classification head (1,000 classes) | $1000d + 1000$ | 769,000 |
# | **total** | | **86,567,656** |

# %%
d, mlp, L, n_classes = 768, 3072, 12, 1000
tokens_total = n_patches + 1
embed = patch_embed + d + tokens_total * d
layer = 2 * (2 * d) + 4 * (d * d + d) + (d * mlp + mlp) + (mlp * d + d)
backbone = embed + L * layer + 2 * d
head = d * n_classes + n_classes
print(f"layer {layer:,}, backbone {backbone:,}, with head {backbone + head:,}")
assert embed == 590_592 + 152_064
assert layer == 7_087_872 and L * layer == 85_054_464
assert backbone == 85_798_656 and backbone + head == 86_567_656
assert 86e6 < backbone + head < 87e6

# %% [markdown]
# **Other token counts.** Attention cost grows with the square of the token count: 197 tokens
# give 38,809 attention scores per head and layer. ViT-L/14 (patch 14) gives 16×16 = 256 patch
# tokens at 224 px and 24×24 = 576 at 336 px (the same 576 patches as ViT-B/16 fine-tuned at
# 384 px). Halving the patch size quadruples the tokens and multiplies the attention scores by
# about 16. MAE masks 75% of the 196 patches, so its encoder sees only 49.

# %%
assert tokens_total ** 2 == 38_809
assert (224 // 14) ** 2 == 256 and (336 // 14) ** 2 == 576 == (384 // 16) ** 2
n8 = (224 // 8) ** 2                               # patch 8 instead of 16
assert n8 == 4 * n_patches and round((n8 + 1) ** 2 / tokens_total ** 2) == 16
assert n_patches - int(0.75 * n_patches) == 49
