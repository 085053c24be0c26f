#!/usr/bin/env bash
# The whole test suite. Installs what the tests need from Debian when it is missing
# (poppler-utils for pdfsig/pdftotext/pdffonts/pdftoppm, qpdf, libnss3-tools for certutil, chromium),
# then compiles the contracts offline and runs every test under test/.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v pdfsig >/dev/null 2>&1 || need+=(poppler-utils)
command -v qpdf >/dev/null 2>&1 || need+=(qpdf)
command -v certutil >/dev/null 2>&1 || need+=(libnss3-tools)
[ -x /usr/bin/chromium ] || need+=(chromium)  # browser tests (test/web/), driven by playwright-core
if ((${#need[@]})); then
  echo "Installing test tools from Debian: ${need[*]}"
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

npx hardhat compile --quiet
npx tsc --noEmit
# The CLI runs from dist/ (bin/zerosign.js): build it from the sources under test.
npm run build --silent
npx hardhat test "$@"
