"""Generates gbm-lightgbm-breast-cancer-shap.json (development only; the tests never run Python).

The same LightGBM 4.7 model as gbm-lightgbm-breast-cancer.py (defaults, 100 rounds, one thread,
deterministic) and its exact path-dependent TreeSHAP values, `predict(..., pred_contrib=True)`, on the
test rows: 30 contributions plus the expected value per row, in log-odds. The features and labels are
read from gbm-lightgbm-breast-cancer.json by the test, so only the contributions are stored here.
"""
import json, numpy as np, lightgbm as lgb

# The training and test rows (already rounded to float32) come from the model fixture, not the CSVs.
with open('gbm-lightgbm-breast-cancer.json') as f:
    data = json.load(f)
train, test = np.array(data['trainFeatures']), np.array(data['testFeatures'])
booster = lgb.train(dict(objective='binary', num_leaves=31, learning_rate=0.1, num_threads=1, verbose=-1,
                         deterministic=True, force_col_wise=True),
                    lgb.Dataset(train, np.array(data['trainLabels'])), num_boost_round=data['roundCount'])
contributions = booster.predict(test, pred_contrib=True)
fixture = {
    'description': 'LightGBM 4.7 pred_contrib on the breast-cancer test rows (model of gbm-lightgbm-breast-cancer.json); see the .py beside this file',
    'lightgbmContributions': contributions.tolist(),
    'lightgbmRawScores': booster.predict(test, raw_score=True).tolist(),
}
with open('gbm-lightgbm-breast-cancer-shap.json', 'w') as f:
    json.dump(fixture, f, separators=(',', ':'))
