#!/usr/bin/env bash
# Screenshots reports/index.html in headless Chromium, to check the page's look.
#
#   scripts/screenshot-report.sh [--demo] [REPORT_DIR] [OUT_PNG] [HEIGHT]
#
# REPORT_DIR defaults to reports, OUT_PNG to REPORT_DIR/screenshot.png, HEIGHT to 2400.
# --demo first builds a report from fake sections (Tests/ReportingTests/DemoReport.swift)
# into REPORT_DIR (default .build/demo-report), so the page can be checked without running
# the analysis.
set -euo pipefail

demo=0
if [[ "${1:-}" == "--demo" ]]; then demo=1; shift; fi
if [[ $demo == 1 ]]; then default_dir=.build/demo-report; else default_dir=reports; fi
report_dir=${1:-$default_dir}
mkdir -p "$report_dir"
report_dir=$(cd "$report_dir" && pwd)
out=${2:-$report_dir/screenshot.png}
height=${3:-2400}

if [[ $demo == 1 ]]; then
    PTS_DEMO_REPORT_DIR="$report_dir" swift test --filter demoReportFromFakeSections >/dev/null
fi
if [[ ! -f "$report_dir/index.html" ]]; then
    echo "error: $report_dir/index.html does not exist; run 'make analyze' (or use --demo)" >&2
    exit 1
fi

browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [[ -z "$browser" ]]; then
    echo "error: no Chromium found; install it with 'apt-get install -y chromium'" >&2
    exit 1
fi
out_dir=$(dirname "$out"); mkdir -p "$out_dir"; out="$(cd "$out_dir" && pwd)/$(basename "$out")"

"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --window-size=1280,"$height" --screenshot="$out" "file://$report_dir/index.html" >/dev/null 2>&1
echo "screenshot: $out"
