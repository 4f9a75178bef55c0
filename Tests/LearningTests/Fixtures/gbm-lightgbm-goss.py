"""Generates gbm-lightgbm-goss.json (development only; the tests never run Python).

LightGBM 4.7 with GOSS (`data_sample_strategy='goss'`, top_rate 0.2, other_rate 0.1) and otherwise the
benchmark settings of /work/shared/benchmarks/README.md (31 leaves, learning rate 0.1, 100 rounds,
max_bin 255, binary objective), one thread, deterministic, on the higgs and fertility splits there.
GOSS draws rows at random, and LightGBM's generator is not ours, so the fits cannot match tree for tree:
the test compares figures averaged over seeds. The higgs test set has only 500 rows, so its AUC moves
by about 0.01 from seed to seed; the training log-loss (std about 0.002) is the tighter check.
"""
import json
import numpy as np
import lightgbm as lgb
from sklearn.metrics import roc_auc_score, log_loss


def load(name, part):
    table = np.loadtxt('/work/shared/benchmarks/%s.%s.csv' % (name, part), delimiter=',', dtype=np.float32)
    return np.ascontiguousarray(table[:, 1:]), table[:, 0]


def fits(name, seeds):
    x_train, y_train = load(name, 'train')
    x_test, y_test = load(name, 'test')
    test_aucs, train_losses = [], []
    for seed in seeds:
        params = dict(objective='binary', num_leaves=31, learning_rate=0.1, max_bin=255, verbose=-1,
                      num_threads=1, seed=seed, deterministic=True,
                      data_sample_strategy='goss', top_rate=0.2, other_rate=0.1)
        booster = lgb.train(params, lgb.Dataset(x_train, y_train), num_boost_round=100)
        test_aucs.append(roc_auc_score(y_test, booster.predict(x_test)))
        train_losses.append(log_loss(y_train, booster.predict(x_train)))
    return {'seeds': list(seeds), 'testAUCs': test_aucs, 'trainLogLosses': train_losses,
            'meanTestAUC': float(np.mean(test_aucs)), 'meanTrainLogLoss': float(np.mean(train_losses))}


fixture = {
    'description': 'LightGBM %s GOSS (top_rate 0.2, other_rate 0.1), 31 leaves, learning rate 0.1, '
                   '100 rounds, one thread; see the .py beside this file' % lgb.__version__,
    'topRate': 0.2, 'otherRate': 0.1, 'leafCount': 31, 'learningRate': 0.1, 'roundCount': 100,
    'higgs': fits('higgs', range(20)),
    'fertility': fits('fertility', range(5)),
}
with open('gbm-lightgbm-goss.json', 'w') as f:
    json.dump(fixture, f, indent=1)
