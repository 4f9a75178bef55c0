"""Generates gbm-lightgbm-breast-cancer.json (development only; the tests never run Python).

Breast-cancer training split (all 30 features), each column coarsened to at most 200 distinct
values so that LightGBM's bins and ours coincide (one bin per distinct value, bounds at midpoints).
LightGBM 4.7, binary objective, 10 rounds, 31 leaves, learning rate 0.1, one thread, deterministic.
min_data_in_leaf = 0 in LightGBM and 1 in ours: LightGBM checks min_data_in_leaf against counts
estimated from hessians (round(h * n / H)), we check true counts; with these values both accept
every non-empty child, so the trees are the same and only float rounding differs.
Every column is kept: with fewer columns, exact ties between features that split the rows the
same way become likely, and which one wins then depends on the last bit of each library's sums.
"""
import json, numpy as np, lightgbm as lgb

tr = np.loadtxt('/work/shared/benchmarks/breast_cancer.train.csv', delimiter=',')
te = np.loadtxt('/work/shared/benchmarks/breast_cancer.test.csv', delimiter=',')
te = te[:40]
for j in range(1, tr.shape[1]):
    if len(np.unique(tr[:, j])) > 200:
        edges = np.unique(np.quantile(tr[:, j], np.linspace(0, 1, 201)))
        def q(v):
            i = np.clip(np.searchsorted(edges, v, side='right') - 1, 0, len(edges) - 2)
            return np.round((edges[i] + edges[i + 1]) / 2, 4)
        tr[:, j], te[:, j] = q(tr[:, j]), q(te[:, j])
    tr[:, j], te[:, j] = np.round(tr[:, j], 5), np.round(te[:, j], 5)
params = dict(objective='binary', num_leaves=31, learning_rate=0.1, max_bin=255, min_data_in_bin=1,
              min_data_in_leaf=0, min_sum_hessian_in_leaf=1e-3, num_threads=1, verbose=-1,
              deterministic=True, force_col_wise=True)
booster = lgb.train(params, lgb.Dataset(tr[:, 1:], tr[:, 0]), num_boost_round=10)
fixture = {
    'description': 'LightGBM 4.7 on coarsened breast-cancer (30 features), 10 rounds; see the .py beside this file',
    'roundCount': 10, 'leafCount': 31, 'learningRate': 0.1, 'minDataInLeaf': 1, 'lambdaL2': 0.0,
    'trainFeatures': tr[:, 1:].tolist(), 'trainLabels': tr[:, 0].astype(int).tolist(),
    'testFeatures': te[:, 1:].tolist(),
    'lightgbmProbabilities': booster.predict(te[:, 1:]).tolist(),
    'lightgbmTreeLeafCounts': [t['num_leaves'] for t in booster.dump_model()['tree_info']],
}
with open('gbm-lightgbm-breast-cancer.json', 'w') as f:
    json.dump(fixture, f, separators=(',', ':'))
