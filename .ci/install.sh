#!/usr/bin/env bash
# Installs what the lab's tests need on a fresh machine of this kind (Debian packages, npm packages).
# Each step is skipped when already satisfied, so re-running is cheap.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=()
apt_packages+=(prometheus) # TA http_sd is checked against a real Prometheus (Lab.Tests/Sim/TargetAllocation/Http)
apt_packages+=(openjdk-17-jdk-headless) # javac/jar build the Java agent stand-in and checkout (SampleServices/SampleServices.targets)
apt_packages+=(chromium) # the dashboard browser test drives Debian's chromium with Microsoft.Playwright (Lab.Tests/AppHost/DashboardBrowserTests.cs)

if [ ${#apt_packages[@]} -gt 0 ]; then
  missing=()
  for p in "${apt_packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "== apt-get install ${missing[*]} =="
    export DEBIAN_FRONTEND=noninteractive
    # The lab runs its own Prometheus on loopback; keep the package's daemon (0.0.0.0:9090) from being started.
    policy=/usr/sbin/policy-rc.d
    if [ ! -e "$policy" ]; then
      printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy"
      trap 'rm -f "$policy"' EXIT
    fi
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
fi
