#!/usr/bin/env python3
"""Our gradient boosting beside LightGBM's on the shared benchmark files, side by side.

Each measurement runs in a fresh process (ours: the release `benchmark` executable; LightGBM: this
script with --lightgbm-once), alternating, so that neither side inherits the other's threads or
caches. Per data set and thread count it prints the test AUC and log-loss of both and the median,
over --rounds runs, of each run's median fit time (3 fits), with their ratio (ours / LightGBM).

Needs `pip install lightgbm scikit-learn numpy` and `swift build -c release --product benchmark`.
Usage: scripts/compare-with-lightgbm.py [--rounds 7] [--sets breast_cancer,higgs,fertility]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DATA = os.path.join(ROOT, "..", "shared", "benchmarks")


def lightgbm_once(data, name, threads, repeats):
    import lightgbm
    import numpy
    from sklearn.metrics import log_loss, roc_auc_score

    train = numpy.loadtxt(os.path.join(data, f"{name}.train.csv"), delimiter=",")
    test = numpy.loadtxt(os.path.join(data, f"{name}.test.csv"), delimiter=",")
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        model = lightgbm.LGBMClassifier(n_estimators=100, learning_rate=0.1, num_leaves=31, max_bin=255,
                                        n_jobs=threads, verbose=-1)
        model.fit(train[:, 1:], train[:, 0])
        seconds.append(time.perf_counter() - started)
    p = model.predict_proba(test[:, 1:])[:, 1]
    print(json.dumps({"fitSeconds": statistics.median(seconds), "testAUC": roc_auc_score(test[:, 0], p),
                      "testLogLoss": log_loss(test[:, 0], p)}))


def run_json(command):
    return json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--sets", default="breast_cancer,higgs,fertility")
    parser.add_argument("--data", default=DEFAULT_DATA)
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "benchmark"))
    parser.add_argument("--lightgbm-once", nargs=3, metavar=("SET", "THREADS", "REPEATS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.lightgbm_once:
        name, threads, repeats = args.lightgbm_once
        lightgbm_once(args.data, name, int(threads), int(repeats))
        return
    if not os.path.exists(args.binary):
        sys.exit(f"{args.binary} is missing: run `swift build -c release --product benchmark` first")
    print("| data set | threads | ours AUC / logloss | LightGBM AUC / logloss | ours fit | LightGBM fit | ratio |")
    print("|---|---:|---|---|---:|---:|---:|")
    for name in args.sets.split(","):
        train = os.path.join(args.data, f"{name}.train.csv")
        test = os.path.join(args.data, f"{name}.test.csv")
        for threads in (1, 2):
            ours, theirs = [], []
            for _ in range(args.rounds):
                our = run_json([args.binary, "--train", train, "--test", test, "--repeats", "3",
                                "--boosting-threads", str(threads), "--max-clusters", "2"])["learners"]["gradient_boosting"]
                ours.append(our["fitSeconds"])
                their = run_json([sys.executable, os.path.abspath(__file__), "--data", args.data,
                                  "--lightgbm-once", name, str(threads), "3"])
                theirs.append(their["fitSeconds"])
            o, t = statistics.median(ours), statistics.median(theirs)
            print(f"| {name} | {threads} | {our['testAUC']:.4f} / {our['testLogLoss']:.4f} | "
                  f"{their['testAUC']:.4f} / {their['testLogLoss']:.4f} | {o:.3f} s | {t:.3f} s | {o / t:.2f} |",
                  flush=True)


if __name__ == "__main__":
    main()
