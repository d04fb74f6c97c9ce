#!/usr/bin/env bash
# Checks the Prometheus configuration and alerting rules (ops/prometheus) and runs their unit
# tests (ops/prometheus/tests/*.yml: each alert fires when it should and stays silent otherwise).
#
# Without promtool on the PATH, Debian's (or Ubuntu's) `prometheus` package is downloaded and
# unpacked into a cache directory, not installed: promtool is one static binary, and installing
# the package would enable a Prometheus server on :9090 (started at once where systemd runs, or
# at the next boot), the port the compose stack's own Prometheus publishes.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v promtool >/dev/null 2>&1; then
  cache="${PROMTOOL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/transaction-events-platform/prometheus-package}"
  if [ ! -x "$cache/usr/bin/promtool" ]; then
    echo "promtool is missing; unpacking it from the distribution's prometheus package into $cache"
    mkdir -p "$cache"
    # The package lists may be missing or stale (a fresh image or CI runner): refresh them once.
    if ! (cd "$cache" && apt-get download prometheus >/dev/null); then
      as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
      (cd "$cache" && apt-get download prometheus >/dev/null)
    fi
    for package in "$cache"/prometheus_*.deb; do dpkg-deb -x "$package" "$cache" && rm -f "$package"; done
  fi
  PATH="$cache/usr/bin:$PATH"
fi
promtool --version | head -n 1

promtool check config ops/prometheus/prometheus.yml
promtool check rules ops/prometheus/alerts.yml
promtool test rules ops/prometheus/tests/*.yml
