#!/usr/bin/env bash
# Installs what the tests need that npm does not, when it is missing; runs as `npm test`'s pretest step.
#   - headless Chromium (Debian's `chromium` package) for the browser tests;
#   - kube-apiserver and etcd, built from Go modules into ~/.cache/accord/k8s (see scripts/k8s/build.sh and
#     docs/adr/0007-kubernetes-test-server.md), for the controller's tests against a real API server;
#   - helm, built from its Go module into ~/.cache/accord/bin (see scripts/helm/build.sh), for the chart's tests.
# Each step is skipped in well under a second when its result is already there.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [[ -n "${ACCORD_CHROMIUM:-}" && -x "${ACCORD_CHROMIUM}" ]]; then
  : # a browser given by the environment (test/helpers/browser.ts uses it)
elif ! command -v chromium >/dev/null 2>&1; then
  echo "test set-up: installing Debian's chromium package (headless browser tests)"
  sudo=""
  if [[ "$(id -u)" != 0 ]]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

if ! "$here/k8s/build.sh" --check >/dev/null 2>&1; then
  echo "test set-up: building kube-apiserver and etcd from Go modules (minutes on a fresh machine)"
  start=$SECONDS
  "$here/k8s/build.sh"
  echo "test set-up: built in $((SECONDS - start)) s"
fi

if ! "$here/helm/build.sh" --check >/dev/null 2>&1; then
  echo "test set-up: building helm from its Go module (minutes on a fresh machine)"
  start=$SECONDS
  "$here/helm/build.sh"
  echo "test set-up: built in $((SECONDS - start)) s"
fi
