# Generates Tests/LearningTests/Fixtures/logistic_regression_sklearn.json (run once, dev only).
import json, numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
rng = np.random.default_rng(7)
n, d = 80, 4
X = rng.normal(size=(n, d)) * np.array([1.0, 3.0, 0.5, 10.0]) + np.array([0.0, 2.0, -1.0, 50.0])
true_w = np.array([1.5, -0.7, 2.0, 0.05])
z = X @ true_w + 0.9 + rng.normal(size=n)
y = (z > 0).astype(int)
X = X.astype(np.float32).astype(np.float64)  # exactly representable in Float
cases = []
for C, standardize in [(1.0, True), (0.1, True), (2.0, False)]:
    Xs = StandardScaler().fit_transform(X) if standardize else X
    m = LogisticRegression(C=C, tol=1e-12, max_iter=100000).fit(Xs, y)
    cases.append({"C": C, "standardize": standardize, "coefficients": m.coef_[0].tolist(),
                  "intercept": float(m.intercept_[0])})
json.dump({"generator": "scikit-learn %s LogisticRegression(solver='lbfgs', tol=1e-12)" % __import__('sklearn').__version__,
           "features": X.tolist(), "labels": y.tolist(), "cases": cases},
          open("/work/wt-linear/Tests/LearningTests/Fixtures/logistic_regression_sklearn.json", "w"), indent=1)
print(cases, y.mean())
