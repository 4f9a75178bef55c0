"""Generates gbm-lightgbm-breast-cancer.json (development only; the tests never run Python).

LightGBM 4.7 with its default settings (binary objective, 31 leaves, learning rate 0.1, max_bin 255,
min_data_in_bin 3, min_data_in_leaf 20, min_sum_hessian_in_leaf 1e-3) on the raw breast-cancer
training split (all 30 features), one thread, deterministic. Our BinMapper reproduces LightGBM's
bins and our SplitFinder its hessian-estimated leaf counts, so the trees should be the same and the
predictions equal up to float rounding.
"""
import json, sys, numpy as np, lightgbm as lgb

rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 30
tr = np.loadtxt('/work/shared/benchmarks/breast_cancer.train.csv', delimiter=',')
te = np.loadtxt('/work/shared/benchmarks/breast_cancer.test.csv', delimiter=',')
# Values as float32, as our DenseMatrix stores them.
tr[:, 1:] = tr[:, 1:].astype(np.float32).astype(np.float64)
te[:, 1:] = te[:, 1:].astype(np.float32).astype(np.float64)
params = dict(objective='binary', num_leaves=31, learning_rate=0.1, num_threads=1, verbose=-1,
              deterministic=True, force_col_wise=True)
booster = lgb.train(params, lgb.Dataset(tr[:, 1:], tr[:, 0]), num_boost_round=rounds)
fixture = {
    'description': 'LightGBM 4.7 defaults on breast-cancer (30 features), %d rounds; see the .py beside this file' % rounds,
    'roundCount': rounds, 'leafCount': 31, 'learningRate': 0.1, 'minDataInLeaf': 20, 'lambdaL2': 0.0,
    'trainFeatures': tr[:, 1:].tolist(), 'trainLabels': tr[:, 0].astype(int).tolist(),
    'testFeatures': te[:, 1:].tolist(),
    'lightgbmProbabilities': booster.predict(te[:, 1:]).tolist(),
    'lightgbmTreeLeafCounts': [t['num_leaves'] for t in booster.dump_model()['tree_info']],
}
with open('gbm-lightgbm-breast-cancer.json', 'w') as f:
    json.dump(fixture, f, separators=(',', ':'))
