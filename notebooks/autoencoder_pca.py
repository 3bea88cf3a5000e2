# %% [markdown]
# ### Notebook: autoencoders vs PCA
#
# This notebook proves two classic facts with NumPy-only models trained by gradient descent. A
# *linear* autoencoder with a 2-unit bottleneck, trained on data lying near a 2-D plane in 5-D,
# reaches PCA's reconstruction error (within 5%) and its decoder spans the same subspace as the top
# two principal components (cosines of the principal angles above 0.999, projection matrices within
# 0.01), but its weights do not give the principal directions themselves: any invertible mix of the
# code units is an equally good solution, and an SVD of the weights returns only *a* basis of the
# plane. Running PCA on the data projected onto that plane (a 2 x 2 eigenproblem) recovers the ordered
# principal directions (cosines above 0.999). A *nonlinear* (tanh) autoencoder with a 1-unit
# bottleneck, trained on points along a curved 1-D arc in 3-D, reconstructs them far better than PCA
# with one component, which can only project onto a straight line.

# %%
import matplotlib.pyplot as plt
import numpy as np

plt.rcParams.update({"figure.figsize": (7, 3.5), "figure.dpi": 100,
                     "figure.facecolor": "white", "axes.facecolor": "white"})
rng = np.random.default_rng(0)


def pca_reconstruction(X, k):
    """Project centred X onto its top-k principal directions (from the SVD) and back."""
    Xc = X - X.mean(axis=0)
    _, _, Vt = np.linalg.svd(Xc, full_matrices=False)
    return Xc @ Vt[:k].T @ Vt[:k] + X.mean(axis=0), Vt[:k]


def reconstruction_error(X, X_hat):  # mean squared distance per point
    return np.mean(np.sum((X - X_hat) ** 2, axis=1))

# %% [markdown]
# **A small autoencoder trainer.** The network is a stack of dense layers, each either linear or
# tanh, trained on the squared reconstruction error with full-batch Adam (its learning rate
# decays linearly to 0); the backward pass is
# written by hand as in the back-propagation notebook.

# %%
def train_autoencoder(X, sizes, activations, steps=3000, lr=0.01):
    Ws = [rng.normal(0, 1 / np.sqrt(a), (a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
    bs = [np.zeros(b) for b in sizes[1:]]
    params = Ws + bs
    m, v = [np.zeros_like(p) for p in params], [np.zeros_like(p) for p in params]

    def forward(X):
        hs = [X]
        for W, b, act in zip(Ws, bs, activations):
            z = hs[-1] @ W + b
            hs.append(np.tanh(z) if act == "tanh" else z)
        return hs

    losses = []
    for step in range(1, steps + 1):
        hs = forward(X)
        err = hs[-1] - X
        losses.append(np.mean(np.sum(err**2, axis=1)))
        g, grads_W, grads_b = 2 * err / len(X), [], []
        for i in reversed(range(len(Ws))):
            if activations[i] == "tanh":
                g = g * (1 - hs[i + 1] ** 2)
            grads_W.insert(0, hs[i].T @ g)
            grads_b.insert(0, g.sum(axis=0))
            g = g @ Ws[i].T
        # Adam, in place
        for j, (p, grad) in enumerate(zip(params, grads_W + grads_b)):
            m[j] = 0.9 * m[j] + 0.1 * grad
            v[j] = 0.999 * v[j] + 0.001 * grad**2
            m_hat, v_hat = m[j] / (1 - 0.9**step), v[j] / (1 - 0.999**step)
            # linear decay damps oscillations
            step_size = lr * (1 - step / (steps + 1))
            p -= step_size * m_hat / (np.sqrt(v_hat) + 1e-8)
    return (lambda X: forward(X)[-1]), Ws, np.array(losses)

# %% [markdown]
# **Linear data: the linear autoencoder finds PCA's subspace.** 500 points $x = Az + \text{noise}$
# with $z \in \mathbb R^2$, $A$ a random $5\times2$ matrix and noise of standard deviation $0.05$.
# A linear autoencoder $5 \to 2 \to 5$ minimises the same squared error as PCA over rank-2
# reconstructions, so at its optimum it matches PCA's error and spans the same subspace: the
# cosines of the principal angles between the decoder's row space and the top-2 principal
# directions are all above $0.999$, and the orthogonal projections onto the two subspaces differ by
# less than $0.01$ in spectral norm.

# %%
A = rng.normal(size=(2, 5))
X_plane = rng.normal(size=(500, 2)) @ A + rng.normal(0, 0.05, size=(500, 5))
X_pca2, components = pca_reconstruction(X_plane, 2)
pca_plane_error = reconstruction_error(X_plane, X_pca2)

linear_ae, (W_enc, W_dec), linear_losses = train_autoencoder(
    X_plane, [5, 2, 5], ["linear", "linear"], lr=0.05)
linear_error = reconstruction_error(X_plane, linear_ae(X_plane))
print(f"PCA (2 components): {pca_plane_error:.5f}, linear AE: {linear_error:.5f}")
assert abs(linear_error - pca_plane_error) <= 0.05 * pca_plane_error


def orthonormal_rows(M):
    return np.linalg.svd(M, full_matrices=False)[2]


overlap = orthonormal_rows(W_dec) @ orthonormal_rows(components).T
# cosines of the principal angles
cosines = np.linalg.svd(overlap, compute_uv=False)
print("cosines of the principal angles between the two subspaces:", cosines.round(5))
assert np.all(cosines > 0.999)

basis = orthonormal_rows(W_dec)  # an orthonormal basis of the decoder's 2-D row space
P_ae, P_pca = basis.T @ basis, components.T @ components
gap = np.linalg.norm(P_ae - P_pca, 2)
print(f"spectral norm of the difference between the two projection matrices: {gap:.4f}")
assert gap < 0.01

# %% [markdown]
# **Only the subspace, not the directions.** For any invertible $2\times2$ matrix $C$, the
# encoder $W_e C$ with the decoder $C^{-1} W_d$ gives exactly the same reconstructions, so the loss
# cannot prefer one basis of the plane over another (Baldi & Hornik, 1989). An SVD of the weights
# therefore returns an orthonormal basis of the plane that depends on the arbitrary mix: below, the
# singular vectors of the trained decoder and of a re-mixed one differ, and neither needs to match
# the principal directions. To recover the ordered principal directions, project the centred data
# onto the basis and run PCA on the 2-D projections: the eigenvectors of their $2\times2$
# covariance, mapped back through the basis, match the top two principal directions (cosines above
# $0.999$), in order of explained variance. (Training with L2 weight decay is the other fix: it
# makes encoder and decoder transposes of each other at the optimum and the decoder's singular
# vectors become the principal directions; Kunin et al., 2019.)

# %%
C = np.array([[2.0, 1.0], [0.5, 1.5]])  # any invertible mix of the two code units
X_c = X_plane - X_plane.mean(axis=0)
assert np.allclose(X_c @ (W_enc @ C) @ (np.linalg.inv(C) @ W_dec), X_c @ W_enc @ W_dec)
mixed_basis = orthonormal_rows(np.linalg.inv(C) @ W_dec)
same_directions = np.abs(np.sum(mixed_basis * basis, axis=1))
print("|cos| between the SVD bases of the trained and the re-mixed decoder:", same_directions.round(3))
assert np.min(same_directions) < 0.99  # a different basis of the same plane
print("|cos| between the trained decoder's SVD basis and the principal directions:",
      np.abs(np.sum(basis * components, axis=1)).round(3))

projected = X_c @ basis.T                               # 500 x 2 coordinates in the plane
variances, vectors = np.linalg.eigh(np.cov(projected, rowvar=False))
order = np.argsort(variances)[::-1]
recovered = (vectors[:, order].T @ basis)               # rows: directions in the 5-D input space
alignment = np.abs(np.sum(recovered * components, axis=1))
print("|cos| between recovered and principal directions:", alignment.round(5))
assert np.all(alignment > 0.999)
pca_variances = np.linalg.svd(X_c, compute_uv=False)[:2] ** 2 / (len(X_c) - 1)
assert np.allclose(variances[order], pca_variances, rtol=1e-2)

# %% [markdown]
# **Curved data: the nonlinear autoencoder wins.** 500 points along the arc
# $(\sin t, \cos t, 0.3t)$, $t \in [-0.8\pi, 0.8\pi]$, plus noise of standard deviation $0.02$: a
# one-dimensional manifold that is not a line. PCA with one component replaces each point by its
# projection on the best straight line; a $3 \to 32 \to 1 \to 32 \to 3$ autoencoder with tanh hidden
# layers and the same one-number code can follow the bend. Its reconstruction error is less than
# a tenth of PCA's.

# %%
t = rng.uniform(-0.8 * np.pi, 0.8 * np.pi, 500)
X_arc = np.stack([np.sin(t), np.cos(t), 0.3 * t], axis=1)
X_arc += rng.normal(0, 0.02, size=X_arc.shape)
X_pca1, _ = pca_reconstruction(X_arc, 1)
pca_arc_error = reconstruction_error(X_arc, X_pca1)

arc_ae, _, arc_losses = train_autoencoder(
    X_arc, [3, 32, 1, 32, 3], ["tanh", "linear", "tanh", "linear"])
X_ae = arc_ae(X_arc)
arc_error = reconstruction_error(X_arc, X_ae)
print(f"PCA (1 component): {pca_arc_error:.4f}, tanh AE (1-unit code): {arc_error:.4f}")
assert arc_error < 0.1 * pca_arc_error

# %%
fig, (ax_loss, ax_arc) = plt.subplots(1, 2)
ax_loss.plot(linear_losses, color="tab:blue", label="linear AE, plane data")
ax_loss.axhline(pca_plane_error, color="tab:blue", ls="--", label="PCA-2, plane data")
ax_loss.plot(arc_losses, color="tab:orange", label="tanh AE, arc data")
ax_loss.axhline(pca_arc_error, color="tab:orange", ls="--", label="PCA-1, arc data")
ax_loss.set(yscale="log", xlabel="training step", ylabel="reconstruction error",
            title="Training")
ax_loss.legend(fontsize=7)
order = np.argsort(t)
ax_arc.scatter(X_arc[:, 0], X_arc[:, 1], s=4, color="grey", label="data")
ax_arc.plot(X_pca1[order, 0], X_pca1[order, 1], color="tab:green", lw=2, label="PCA-1")
ax_arc.plot(X_ae[order, 0], X_ae[order, 1], color="tab:orange", lw=2, label="tanh AE")
ax_arc.set(xlabel="x₁", ylabel="x₂", title="Arc data, first two coordinates")
ax_arc.legend(fontsize=7)
fig.tight_layout()
plt.show()
