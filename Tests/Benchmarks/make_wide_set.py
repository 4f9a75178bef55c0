"""Writes a wide, partly sparse benchmark set shaped like the models step's dense matrix (development only).

160,000 training and 40,000 test rows, 126 columns: 90 sparse columns that are zero in 85-90 % of the rows
(like the genre shares, genre seconds and hour shares) and 36 dense ones (counts, totals, ratios). The label
is a logistic function of a dozen sparse and dense columns plus an interaction. Same layout as
/work/shared/benchmarks: label first, no header. Usage: python3 make_wide_set.py OUT_PREFIX
(writes OUT_PREFIX.train.csv and OUT_PREFIX.test.csv), then time `benchmark --boosting-only` on it, and
`python3 make_wide_set.py OUT_PREFIX --lightgbm` for LightGBM's fit times and AUCs on the same files.
"""
import sys
import time
import numpy as np

TRAIN_ROWS, TEST_ROWS, SPARSE, DENSE = 160_000, 40_000, 90, 36


def make(prefix):
    rng = np.random.default_rng(2017)
    n = TRAIN_ROWS + TEST_ROWS
    zero_share = rng.uniform(0.85, 0.90, SPARSE)
    present = rng.random((n, SPARSE)) >= zero_share
    sparse = np.where(present, rng.exponential(1.0, (n, SPARSE)), 0.0)
    dense = np.empty((n, DENSE))
    dense[:, :12] = rng.poisson(rng.uniform(1, 30, 12), (n, 12))          # counts
    dense[:, 12:24] = rng.lognormal(3, 1, (n, 12))                         # totals (seconds)
    dense[:, 24:] = rng.beta(2, 5, (n, 12))                                 # ratios
    score = (0.9 * sparse[:, 0] - 0.7 * sparse[:, 3] + 0.5 * sparse[:, 10] * present[:, 11]
             + 0.6 * np.log1p(dense[:, 12]) - 0.4 * np.log1p(dense[:, 0]) + 1.5 * dense[:, 24]
             + 0.3 * present[:, 20:40].sum(axis=1) - 0.25 * present[:, 40:60].sum(axis=1)
             + 0.8 * (dense[:, 25] > 0.4) * (sparse[:, 5] > 0) - 2.4)
    label = (rng.random(n) < 1 / (1 + np.exp(-score))).astype(int)
    table = np.column_stack([label, np.round(sparse, 4), np.round(dense, 4)])
    for part, rows in (('train', slice(0, TRAIN_ROWS)), ('test', slice(TRAIN_ROWS, n))):
        np.savetxt('%s.%s.csv' % (prefix, part), table[rows], delimiter=',', fmt='%.6g')
    print('positive share %.3f, sparse zero share %.3f' % (label.mean(), 1 - present.mean()))


def time_lightgbm(prefix):
    import lightgbm as lgb
    from sklearn.metrics import roc_auc_score
    train = np.loadtxt(prefix + '.train.csv', delimiter=',', dtype=np.float32)
    test = np.loadtxt(prefix + '.test.csv', delimiter=',', dtype=np.float32)
    x, y = np.ascontiguousarray(train[:, 1:]), train[:, 0]
    base = dict(objective='binary', num_leaves=31, learning_rate=0.1, max_bin=255, verbose=-1, num_threads=2, seed=0)
    for name, extra in (('bagging 0.7', dict(bagging_fraction=0.7, bagging_freq=1)),
                        ('goss 0.2/0.1', dict(data_sample_strategy='goss', top_rate=0.2, other_rate=0.1))):
        times = []
        for _ in range(3):
            start = time.perf_counter()
            booster = lgb.train({**base, **extra}, lgb.Dataset(x, y), num_boost_round=100)
            times.append(time.perf_counter() - start)
        auc = roc_auc_score(test[:, 0], booster.predict(np.ascontiguousarray(test[:, 1:])))
        print('LightGBM %s: median fit %.3f s, test AUC %.4f' % (name, sorted(times)[1], auc))


if __name__ == '__main__':
    if '--lightgbm' in sys.argv:
        time_lightgbm(sys.argv[1])
    else:
        make(sys.argv[1])
