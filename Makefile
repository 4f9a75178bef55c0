# PredictTheSegment: `make analyze` runs the whole analysis, `make test` runs the test suite.
SHELL := /bin/bash
ARGS ?=
# System libraries the build links (libgd, zlib) and the charts' font.
SYSTEM_PACKAGES := libgd-dev fonts-dejavu-core pkg-config zlib1g-dev

.PHONY: analyze quick test screenshot screenshot-demo system-packages

## Run every step (cached steps are skipped) and build reports/index.html + reports/report.md.
analyze: system-packages
	swift run analyze $(ARGS)

## The same on the small built-in data set (seconds instead of minutes).
quick: system-packages
	PTS_BUILTIN_SIZE=small swift run analyze $(ARGS)

## Run the test suite.
test: system-packages
	swift test

## Screenshot reports/index.html with headless Chromium into reports/screenshot.png.
screenshot:
	scripts/screenshot-report.sh reports

## Build a report from fake sections and screenshot it (checks the page's look without the analysis).
screenshot-demo:
	scripts/screenshot-report.sh --demo

## Install missing system packages (only as root on Debian/Ubuntu; otherwise say what is missing).
system-packages:
	@if command -v dpkg-query >/dev/null 2>&1; then \
	    missing=""; \
	    for package in $(SYSTEM_PACKAGES); do \
	        dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "ok installed" || missing="$$missing $$package"; \
	    done; \
	    if [ -n "$$missing" ]; then \
	        if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	            echo "installing system packages:$$missing"; \
	            apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	        else \
	            echo "missing system packages:$$missing; install them with: sudo apt-get install$$missing" >&2; \
	            exit 1; \
	        fi; \
	    fi; \
	fi
