#!/usr/bin/python3
"""The SCAL-setting strategies as a plain numpy script (float64, one thread), on the arrays SideBySide writes.

Written from the algorithms' descriptions (al4j's javadoc and the papers), not from any other code base. Each
strategy returns pool ids, ties toward the lower id where the algorithm is deterministic, so that SideBySide can
compare selections with al4j's.

usage: /usr/bin/python3 benchmarks/peers/setting.py --data DIR --strategy NAME [--repeat R] [--out FILE]
prints "median_ms <value>" (median of R warm calls after one cold call), "median_cpu_ms <value>" (the median CPU
time of the process over the same calls) and writes the selected ids, one a line.
"""
import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import argparse
import time

import numpy as np

B = 1000


def load(data):
    arrays = {name: np.load(os.path.join(data, name + ".npy"))
              for name in ("embeddings", "probabilities", "mc", "labeled", "labels")}
    n = arrays["probabilities"].shape[0]
    labeled = arrays["labeled"].astype(np.int64)
    mask = np.ones(n, dtype=bool)
    mask[labeled] = False
    arrays["candidates"] = np.nonzero(mask)[0]
    return arrays


def top(scores, ids, b):
    """The b highest scores, highest first, ties toward the lower id."""
    order = np.lexsort((ids, -scores))
    return ids[order[:b]]


def probs_of(a):
    p = a["probabilities"][a["candidates"]].astype(np.float64)
    return p / p.sum(axis=1, keepdims=True)


def entropy_rows(p):
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.where(p > 0, np.log(p), 0.0)
    return -(p * logs).sum(axis=-1)


def entropy(a):
    return top(entropy_rows(probs_of(a)), a["candidates"], B)


def margin(a):
    p = np.sort(probs_of(a), axis=1)
    return top(1.0 - (p[:, -1] - p[:, -2]), a["candidates"], B)


def least_confidence(a):
    return top(1.0 - probs_of(a).max(axis=1), a["candidates"], B)


def mc_of(a):
    s = a["mc"][:, a["candidates"], :].astype(np.float64)
    return s / s.sum(axis=2, keepdims=True)


def bald(a):
    s = mc_of(a)
    return top(entropy_rows(s.mean(axis=0)) - entropy_rows(s).mean(axis=0), a["candidates"], B)


def mean_std(a):
    s = mc_of(a)
    return top(s.std(axis=0).mean(axis=1), a["candidates"], B)


def sq_dist_to_set(x, y):
    """min_j ||x_i - y_j||^2 by ||x||^2 + ||y||^2 - 2 x.y, clamped at 0."""
    xx = (x * x).sum(1)
    yy = (y * y).sum(1)
    out = np.full(len(x), np.inf)
    for s in range(0, len(y), 1024):
        block = yy[None, s:s + 1024] - 2.0 * (x @ y[s:s + 1024].T)
        out = np.minimum(out, block.min(1))
    return np.maximum(out + xx, 0.0)


def k_center(a):
    """Greedy k-center (Sener and Savarese 2018, Algorithm 1): farthest candidate from labeled and picked samples."""
    c = a["candidates"]
    x = a["embeddings"][c].astype(np.float64)
    y = a["embeddings"][a["labeled"]].astype(np.float64)
    d = sq_dist_to_set(x, y)
    xx = (x * x).sum(1)
    picks = []
    for _ in range(B):
        i = int(np.argmax(d))  # first maximum: the lower id
        picks.append(i)
        d = np.minimum(d, np.maximum(xx + xx[i] - 2.0 * (x @ x[i]), 0.0))
        d[i] = -1.0
    return c[np.array(picks)]


def badge(a, seed=1):
    """BADGE (Ash et al. 2020): k-means++ seeding on gradient embeddings g = (p - onehot(argmax p)) (x) z."""
    c = a["candidates"]
    z = a["embeddings"][c].astype(np.float64)
    p = probs_of(a)
    r = p.copy()
    r[np.arange(len(p)), p.argmax(1)] -= 1.0
    # ||g_i - g_j||^2 = ||g_i||^2 + ||g_j||^2 - 2 (a_i.a_j)(z_i.z_j): the K*d embedding is never formed.
    g2 = (r * r).sum(1) * (z * z).sum(1)
    rng = np.random.default_rng(seed)
    first = int(np.argmax(g2))
    picks = [first]
    d2 = np.maximum(g2 + g2[first] - 2.0 * (r @ r[first]) * (z @ z[first]), 0.0)
    d2[first] = 0.0
    for _ in range(B - 1):
        w = d2 / d2.sum()
        i = int(rng.choice(len(w), p=w))
        picks.append(i)
        d2 = np.minimum(d2, np.maximum(g2 + g2[i] - 2.0 * (r @ r[i]) * (z @ z[i]), 0.0))
        d2[i] = 0.0
    return c[np.array(picks)]


def k_means(a, seed=1, iterations=10):
    """k-means sampling: k-means++ seeding, at most 10 Lloyd updates, then the candidate nearest each centroid."""
    c = a["candidates"]
    x = a["embeddings"][c].astype(np.float64)
    n = len(x)
    rng = np.random.default_rng(seed)
    centres = np.empty((B, x.shape[1]))
    i = int(rng.integers(n))
    d2 = np.full(n, np.inf)
    xx = (x * x).sum(1)
    for j in range(B):
        centres[j] = x[i]
        d2 = np.minimum(d2, np.maximum(xx + xx[i] - 2.0 * (x @ x[i]), 0.0))
        i = int(rng.choice(n, p=d2 / d2.sum()))
    assign = None
    for it in range(iterations + 1):
        scores = (centres * centres).sum(1)[None, :] - 2.0 * (x @ centres.T)
        new = scores.argmin(1)
        if assign is not None and (new == assign).all():
            break
        assign = new
        if it == iterations:
            break
        counts = np.bincount(assign, minlength=B)
        sums = np.zeros_like(centres)
        np.add.at(sums, assign, x)
        nonempty = counts > 0
        centres[nonempty] = sums[nonempty] / counts[nonempty, None]
    dist = np.maximum(xx + scores[np.arange(n), assign], 0.0)
    picks = []
    for j in range(B):
        members = np.nonzero(assign == j)[0]
        if len(members):
            picks.append(members[np.argmin(dist[members])])
    return c[np.array(picks)]


def predicted_and_labeled(a):
    c = a["candidates"]
    z = a["embeddings"][c].astype(np.float64)
    pred = a["probabilities"][c].argmax(1)
    lz = a["embeddings"][a["labeled"]].astype(np.float64)
    return c, z, pred, lz, a["labels"]


def feature_similarity(a):
    """FeatureSim (seed 000, eq. 2): max cosine to a labeled sample of the predicted class; least similar first,
    balanced over predicted classes."""
    c, z, pred, lz, labels = predicted_and_labeled(a)
    k = a["probabilities"].shape[1]
    zn = z / np.maximum(np.linalg.norm(z, axis=1, keepdims=True), 1e-12)
    ln = lz / np.maximum(np.linalg.norm(lz, axis=1, keepdims=True), 1e-12)
    sim = np.full(len(c), -1.0)
    for cls in range(k):
        rows = np.nonzero(pred == cls)[0]
        ref = ln[labels == cls]
        if len(rows) and len(ref):
            sim[rows] = (zn[rows] @ ref.T).max(1)
    by_class = [np.nonzero(pred == cls)[0] for cls in range(k)]
    by_class = [rows[np.lexsort((c[rows], sim[rows]))] for rows in by_class]
    quota = np.zeros(k, dtype=int)
    remaining = min(B, len(c))
    while remaining > 0:
        open_ = [cls for cls in range(k) if quota[cls] < len(by_class[cls])]
        share = remaining // len(open_)
        if share == 0:
            nxt = sorted(open_, key=lambda cls: (sim[by_class[cls][quota[cls]]], c[by_class[cls][quota[cls]]]))
            for cls in nxt[:remaining]:
                quota[cls] += 1
            remaining = 0
        else:
            for cls in range(k):
                add = min(share, len(by_class[cls]) - quota[cls])
                quota[cls] += add
                remaining -= add
    picked = [(r, sim[i], c[i], i) for cls in range(k) for r, i in enumerate(by_class[cls][:quota[cls]])]
    picked.sort(key=lambda t: (t[0], t[1], t[2]))
    return c[np.array([t[3] for t in picked])]


def deep_feature_modeling(a, components=16):
    """DFM (seed 000, eq. 3): reconstruction error under the predicted class's PCA of labeled features."""
    c, z, pred, lz, labels = predicted_and_labeled(a)
    k = a["probabilities"].shape[1]
    err = np.empty(len(c))
    for cls in range(k):
        rows = np.nonzero(pred == cls)[0]
        ref = lz[labels == cls]
        if not len(rows):
            continue
        if not len(ref):
            err[rows] = np.linalg.norm(z[rows] - lz.mean(0), axis=1)
            continue
        mu = ref.mean(0)
        centred = ref - mu
        _, s, vt = np.linalg.svd(centred, full_matrices=False)
        keep = min(components, int((s * s > 1e-10 * (s[0] * s[0] if len(s) else 0)).sum()))
        w = vt[:keep].T
        zc = z[rows] - mu
        err[rows] = np.linalg.norm(zc - (zc @ w) @ w.T, axis=1)
    return top(err, c, B)


# --- the peers' published algorithms, written from their descriptions --------------------------------------------


def peer_entropy(a):
    """DeepAL+ EntropySampling: sum of p log p per row on the model's float32 outputs, the b smallest (a stable
    argsort, so ties keep the lower id)."""
    c = a["candidates"]
    p = a["probabilities"][c]
    u = (p * np.log(p)).sum(1)
    return c[np.argsort(u, kind="stable")[:B]]


def peer_bald(a):
    """DeepAL+ BALDDropout: mean-over-passes entropy minus entropy of the mean, the b smallest (highest mutual
    information), on the float32 passes."""
    c = a["candidates"]
    s = a["mc"][:, c, :]
    pb = s.mean(0)
    entropy1 = (-pb * np.log(pb)).sum(1)
    entropy2 = (-s * np.log(s)).sum(2).mean(0)
    return c[np.argsort(entropy2 - entropy1, kind="stable")[:B]]


def peer_k_center(a):
    """DeepAL+ KCenterGreedy: the full distance matrix of all (labeled and unlabeled) embeddings from one Gram
    matrix, the nearest-labeled distance of every candidate, then b greedy picks, each folding in the new centre's
    column of the matrix."""
    c = a["candidates"]
    e = a["embeddings"].astype(np.float64)
    labeled = np.zeros(len(e), dtype=bool)
    labeled[a["labeled"]] = True
    gram = e @ e.T
    sq = np.diag(gram).copy()
    dist = np.sqrt(np.maximum(sq[:, None] + sq[None, :] - 2.0 * gram, 0.0))
    del gram
    unl = np.nonzero(~labeled)[0]
    nearest = dist[np.ix_(unl, np.nonzero(labeled)[0])].min(1)
    taken = np.zeros(len(unl), dtype=bool)
    picks = []
    for _ in range(B):
        j = int(np.argmax(np.where(taken, -np.inf, nearest)))
        picks.append(unl[j])
        taken[j] = True
        nearest = np.minimum(nearest, dist[unl, unl[j]])
    return np.array(picks)


def peer_k_means(a, seed=1):
    """DeepAL+ KMeansSampling: scikit-learn KMeans with b clusters on the candidates' embeddings (its defaults:
    k-means++ seeding, Lloyd), then the candidate nearest each centre. One initialisation (n_init=1) where
    scikit-learn 1.2 defaults to 10: the peer gets the benefit of the doubt (ten would take about ten times as long)."""
    from sklearn.cluster import KMeans
    c = a["candidates"]
    x = a["embeddings"][c]
    km = KMeans(n_clusters=B, n_init=1, random_state=seed).fit(x)
    idx = km.predict(x)
    dis = ((x - km.cluster_centers_[idx]) ** 2).sum(1)
    picks = []
    for j in range(B):
        members = np.nonzero(idx == j)[0]
        if len(members):
            picks.append(members[dis[members].argmin()])
    return c[np.array(picks)]


def peer_badge(a, seed=1):
    """BADGE's init_centers (Ash et al. 2020): the gradient embeddings g = (p - onehot(argmax p)) (x) z formed
    explicitly ([N, K*d]), the largest norm first, then k-means++ draws with probability D^2 / sum D^2, D from
    scikit-learn's pairwise_distances to the newest centre; a drawn row already chosen is drawn again."""
    from sklearn.metrics import pairwise_distances
    c = a["candidates"]
    z = a["embeddings"][c].astype(np.float64)
    p = a["probabilities"][c].astype(np.float64)
    r = p.copy()
    r[np.arange(len(p)), p.argmax(1)] -= 1.0
    g = (r[:, :, None] * z[:, None, :]).reshape(len(c), -1)
    rng = np.random.default_rng(seed)
    ind = int(np.argmax((g * g).sum(1)))
    chosen = [ind]
    d = pairwise_distances(g, g[ind:ind + 1]).ravel()
    while len(chosen) < B:
        d2 = d * d
        d2[chosen] = 0.0
        ind = int(rng.choice(len(d2), p=d2 / d2.sum()))
        while ind in chosen:
            ind = int(rng.choice(len(d2), p=d2 / d2.sum()))
        chosen.append(ind)
        d = np.minimum(d, pairwise_distances(g, g[ind:ind + 1]).ravel())
    return c[np.array(chosen)]


STRATEGIES = {
    "entropy": entropy, "margin": margin, "leastConfidence": least_confidence, "bald": bald, "meanStd": mean_std,
    "kCenterGreedy": k_center, "badge": badge, "kMeans": k_means, "featureSimilarity": feature_similarity,
    "deepFeatureModeling": deep_feature_modeling,
    "peer-entropy": peer_entropy, "peer-bald": peer_bald, "peer-kcenter": peer_k_center, "peer-kmeans": peer_k_means,
    "peer-badge": peer_badge,
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--strategy", required=True, choices=sorted(STRATEGIES))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out")
    args = parser.parse_args()
    a = load(args.data)
    f = STRATEGIES[args.strategy]
    ids = f(a)
    times = []
    cpu = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        c = time.process_time()
        f(a)
        cpu.append((time.process_time() - c) * 1e3)
        times.append((time.perf_counter() - t) * 1e3)
    print("median_ms %.3f" % float(np.median(times)))
    print("median_cpu_ms %.3f" % float(np.median(cpu)))
    if args.out:
        with open(args.out, "w") as out:
            out.write("".join("%d\n" % i for i in ids))


if __name__ == "__main__":
    main()
