# %% [markdown]
# ### Notebook: parameter counts of classic CNNs
#
# This notebook counts, layer by layer, the parameters of VGG16, VGG19, AlexNet, ResNet-50 and
# MobileNet v1 (ImageNet, $224\times224\times3$ input, 1000 classes) from their published
# architectures, and proves the totals quoted in the answers: VGG16 138,357,544 (of which the
# three fully connected layers hold 123,642,856, 89%), VGG19 143,667,240, AlexNet 61,100,840,
# ResNet-50 25,557,032 and MobileNet v1 4,231,976. It also checks the cost ratio
# $1/N + 1/9$ of a depthwise-separable $3\times3$ convolution.

# %%
from fractions import Fraction

import matplotlib.pyplot as plt
import numpy as np

plt.rcParams.update({"figure.figsize": (7, 3.5), "figure.dpi": 100,
                     "figure.facecolor": "white", "axes.facecolor": "white"})


def conv(f, c_in, c_out, bias=True):
    return f * f * c_in * c_out + (c_out if bias else 0)


def dense(n_in, n_out):
    return n_in * n_out + n_out


# learnable gamma and beta per channel (running stats: not trained)
def batch_norm(c):
    return 2 * c

# %% [markdown]
# **VGG16.** Thirteen $3\times3$ convolutions (stride 1, padding 1, so only the five $2\times2$
# max-pools shrink the image: $224 \to 7$), then three dense layers on the flattened
# $7\times7\times512 = 25{,}088$ features. The first dense layer alone has 102,764,544 parameters,
# 74% of the network.

# %%
VGG16 = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M",
         512, 512, 512, "M", 512, 512, 512, "M"]  # "M": 2x2 max-pool
VGG19 = [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M",
         512, 512, 512, 512, "M", 512, 512, 512, 512, "M"]


def vgg_layers(config, size=224, channels=3, classes=1000):
    rows, n_conv = [], 0
    for item in config:
        if item == "M":
            size //= 2
            rows.append(("max-pool 2×2", (size, size, channels), 0))
        else:
            n_conv += 1
            params = conv(3, channels, item)
            rows.append((f"conv{n_conv} 3×3", (size, size, item), params))
            channels = item
    features = size * size * channels
    for i, units in enumerate([4096, 4096, classes], start=1):
        rows.append((f"fc{i}", (units,), dense(features, units)))
        features = units
    return rows


rows = vgg_layers(VGG16)
print(f"{'layer':14s}{'output shape':>18s}{'parameters':>14s}")
for name, shape, params in rows:
    print(f"{name:14s}{str(shape):>18s}{params:>14,}")
conv_part = sum(p for name, _, p in rows if name.startswith("conv"))
fc_part = sum(p for name, _, p in rows if name.startswith("fc"))
total = conv_part + fc_part
print(f"convolutions {conv_part:,} + dense {fc_part:,} = {total:,}")
assert (conv_part, fc_part, total) == (14_714_688, 123_642_856, 138_357_544)
assert rows[-3][2] == 102_764_544 and round(100 * rows[-3][2] / total) == 74
assert round(100 * fc_part / total) == 89
assert sum(p for _, _, p in vgg_layers(VGG19)) == 143_667_240

# %%
fig, ax = plt.subplots()
names = [n.split()[0] for n, _, p in rows if p]
counts = [p for _, _, p in rows if p]
colours = ["tab:blue" if n.startswith("conv") else "tab:orange" for n in names]
ax.bar(names, counts, color=colours)
ax.set(yscale="log", xlabel="layer", ylabel="parameters (log scale)",
       title="VGG16: where the 138M parameters are")
ax.tick_params(axis="x", labelrotation=90, labelsize=8)
ax.grid(axis="y", alpha=0.3)
fig.tight_layout()
plt.show()

# %% [markdown]
# **AlexNet**, in torchvision's single-GPU version (64-192-384-256-256 channels, an $11\times11$
# stride-4 first convolution, $6\times6\times256 = 9{,}216$ features into 4096 → 4096 → 1000):
# 61,100,840 parameters, 58.6M of them in the dense layers.

# %%
alexnet_conv = (conv(11, 3, 64) + conv(5, 64, 192) + conv(3, 192, 384)
                + conv(3, 384, 256) + conv(3, 256, 256))
alexnet_fc = dense(9216, 4096) + dense(4096, 4096) + dense(4096, 1000)
print(f"AlexNet: conv {alexnet_conv:,} + dense {alexnet_fc:,} "
      f"= {alexnet_conv + alexnet_fc:,}")
assert alexnet_conv + alexnet_fc == 61_100_840 and round(alexnet_fc / 1e6, 1) == 58.6

# %% [markdown]
# **ResNet-50** (torchvision convention: convolutions have no bias because each is followed by a
# batch norm, whose $\gamma$ and $\beta$ are counted). A bottleneck block is $1\times1$ (reduce to
# $m$ channels) → $3\times3$ ($m$) → $1\times1$ (expand to $4m$), each followed by batch norm; the
# first block of each stage also has a $1\times1$ projection shortcut with its own batch norm.
# Stages have $[3, 4, 6, 3]$ blocks with $m = 64, 128, 256, 512$; then global average pooling and
# a 2048 → 1000 dense layer.

# %%
def bottleneck(c_in, m, projection):
    params = (conv(1, c_in, m, bias=False) + batch_norm(m)
              + conv(3, m, m, bias=False) + batch_norm(m)
              + conv(1, m, 4 * m, bias=False) + batch_norm(4 * m))
    if projection:
        params += conv(1, c_in, 4 * m, bias=False) + batch_norm(4 * m)
    return params


# stem (then a 3x3 max-pool)
resnet50 = conv(7, 3, 64, bias=False) + batch_norm(64)
c_in = 64
for blocks, m in zip([3, 4, 6, 3], [64, 128, 256, 512]):
    for b in range(blocks):
        resnet50 += bottleneck(c_in, m, projection=(b == 0))
        c_in = 4 * m
resnet50 += dense(2048, 1000)
print(f"ResNet-50: {resnet50:,}")
assert resnet50 == 25_557_032

# %% [markdown]
# **MobileNet v1** ($\alpha = 1$, 224, 1000 classes) as built by Keras: a $3\times3$ stride-2
# convolution to 32 channels, then 13 depthwise-separable blocks (a $3\times3$ depthwise
# convolution, $9C$ weights, and a $1\times1$ pointwise convolution, $C_\text{in} C_\text{out}$
# weights, each followed by batch norm, no biases), global average pooling and a $1\times1$
# convolution with bias as the 1000-way classifier. Our convention counts batch norm's trainable
# $\gamma, \beta$: **4,231,976** parameters (Keras' "trainable params"). Adding the running mean and
# variance that Keras also stores gives 4,253,864 (its "total params").

# %%
blocks = [(32, 64), (64, 128), (128, 128), (128, 256), (256, 256), (256, 512),
          *[(512, 512)] * 5, (512, 1024), (1024, 1024)]
mobilenet = conv(3, 3, 32, bias=False) + batch_norm(32)
bn_channels = 32
for c_in, c_out in blocks:
    # depthwise 3x3
    mobilenet += 9 * c_in + batch_norm(c_in)
    # pointwise 1x1
    mobilenet += conv(1, c_in, c_out, bias=False) + batch_norm(c_out)
    bn_channels += c_in + c_out
# classifier
mobilenet += conv(1, 1024, 1000)
with_running_stats = mobilenet + 2 * bn_channels  # + moving mean and variance
print(f"MobileNet v1: {mobilenet:,} trainable, "
      f"{with_running_stats:,} with BN running stats")
assert len(blocks) == 13 and mobilenet == 4_231_976 and with_running_stats == 4_253_864

# %% [markdown]
# **Why depthwise-separable convolutions are cheap.** For a $D_F\times D_F$ output with $M$ input
# and $N$ output channels and a $D_K\times D_K$ kernel, a standard convolution costs
# $D_K^2 M N D_F^2$ multiply-adds; depthwise ($D_K^2 M D_F^2$) plus pointwise ($M N D_F^2$) costs
# $\frac{1}{N} + \frac{1}{D_K^2}$ of that. For a $3\times3$ layer with $M = N = 512$ on a
# $14\times14$ map: $1/512 + 1/9 \approx 0.113$, about $8.8\times$ fewer operations. The parameter
# ratio is the same.

# %%
D_K, M, N, D_F = 3, 512, 512, 14
standard = D_K**2 * M * N * D_F**2
separable = D_K**2 * M * D_F**2 + M * N * D_F**2
ratio = Fraction(separable, standard)
print(f"cost ratio {float(ratio):.4f} = 1/{N} + 1/9, "
      f"speed-up {standard / separable:.2f}x")
assert ratio == Fraction(1, N) + Fraction(1, D_K**2)
assert round(float(ratio), 3) == 0.113 and round(standard / separable, 1) == 8.8
assert Fraction(9 * M + M * N, conv(3, M, N, bias=False)) == ratio
