#!/usr/bin/env bash
# Learning curve of the model comparison: would more labelled users raise the AUC?
#
# For each size multiplier (default 0.5 1 2; 1 = the built-in data set's 200,000 train and 100,000 test
# users), writes a synthetic data set with the same generator, seed, 12,000 titles and 1,380 cities, runs
# the models step on it (release build) and prints a Markdown table of every candidate's mean fold AUC by
# train size. Each size is its own draw of users, so neighbouring sizes differ by sampling noise too
# (about ±0.0015 on the mean of five folds at 200,000 users).
#
# usage: scripts/learning-curve.sh [--work DIR] [multiplier ...]
set -euo pipefail
cd "$(dirname "$0")/.."

work=/tmp/pts-learning-curve
if [[ "${1:-}" == "--work" ]]; then work=$2; shift 2; fi
multipliers=("$@")
[[ ${#multipliers[@]} -gt 0 ]] || multipliers=(0.5 1 2)
for m in "${multipliers[@]}"; do
    [[ "$m" =~ ^[0-9]+(\.[0-9]+)?$ ]] && awk -v m="$m" 'BEGIN { exit !(m > 0) }' \
        || { echo "learning-curve: the multiplier '$m' is not a positive number" >&2; exit 2; }
done

swift build -c release --product generate-data >&2
swift build -c release --product analyze >&2
bin=$(swift build -c release --show-bin-path)

sizes=()
for m in "${multipliers[@]}"; do
    train=$(awk -v m="$m" 'BEGIN { printf "%d", 200000 * m }')
    test=$(awk -v m="$m" 'BEGIN { printf "%d", 100000 * m }')
    dir="$work/train-$train"
    echo "learning-curve: $train train / $test test users in $dir" >&2
    "$bin/generate-data" --out "$dir/data" --train-users "$train" --test-users "$test" \
        --titles 12000 --cities 1380 --reuse >&2
    "$bin/analyze" --train "$dir/data/train_data.json" --test "$dir/data/test_data.json" \
        --out "$dir/reports" --only models >&2
    sizes+=("$train")
done

# One row per model (in the first size's table order), one column per train size: mean fold AUC.
files=()
for train in "${sizes[@]}"; do files+=("$work/train-$train/reports/models/cv-results.csv"); done
awk -F, -v sizes="${sizes[*]}" '
    BEGIN { count = split(sizes, size, " ") }
    FNR == 1 { file++; next }
    { sum[$1, file] += $3; n[$1, file]++; if (!($1 in seen)) { seen[$1] = 1; model[++k] = $1 } }
    END {
        printf "| model |"; for (s = 1; s <= count; s++) printf " %s train users |", size[s]; printf "\n"
        printf "| --- |"; for (s = 1; s <= count; s++) printf " ---: |"; printf "\n"
        for (i = 1; i <= k; i++) {
            printf "| %s |", model[i]
            for (s = 1; s <= count; s++) {
                if ((model[i], s) in n) printf " %.4f |", sum[model[i], s] / n[model[i], s]; else printf " – |"
            }
            printf "\n"
        }
    }' "${files[@]}"
