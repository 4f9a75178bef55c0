"""Generates gbm-lightgbm-breast-cancer-shap.json (development only; the tests never run Python).

The same LightGBM 4.7 model as gbm-lightgbm-breast-cancer.py (defaults, 100 rounds, one thread,
deterministic) and its exact path-dependent TreeSHAP values, `predict(..., pred_contrib=True)`, on the
test rows: 30 contributions plus the expected value per row, in log-odds. The features and labels are
read from gbm-lightgbm-breast-cancer.json by the test, so only the contributions are stored here.
"""
import json, numpy as np, lightgbm as lgb

rounds = 100
tr = np.loadtxt('/work/shared/benchmarks/breast_cancer.train.csv', delimiter=',')
te = np.loadtxt('/work/shared/benchmarks/breast_cancer.test.csv', delimiter=',')
tr[:, 1:] = tr[:, 1:].astype(np.float32).astype(np.float64)
te[:, 1:] = te[:, 1:].astype(np.float32).astype(np.float64)
params = dict(objective='binary', num_leaves=31, learning_rate=0.1, num_threads=1, verbose=-1,
              deterministic=True, force_col_wise=True)
booster = lgb.train(params, lgb.Dataset(tr[:, 1:], tr[:, 0]), num_boost_round=rounds)
contributions = booster.predict(te[:, 1:], pred_contrib=True)
fixture = {
    'description': 'LightGBM 4.7 pred_contrib on the breast-cancer test rows (model of gbm-lightgbm-breast-cancer.json); see the .py beside this file',
    'lightgbmContributions': contributions.tolist(),
    'lightgbmRawScores': booster.predict(te[:, 1:], raw_score=True).tolist(),
}
with open('gbm-lightgbm-breast-cancer-shap.json', 'w') as f:
    json.dump(fixture, f, separators=(',', ':'))
