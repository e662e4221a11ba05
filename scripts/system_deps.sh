#!/usr/bin/env bash
# Installs the Debian packages WeasyPrint and the documents need, when missing.
# As root it installs them; otherwise it prints the exact apt line and fails.
set -euo pipefail

PACKAGES=(
  libpango-1.0-0 libpangoft2-1.0-0   # WeasyPrint's text layout
  libharfbuzz-subset0                # font subsetting: ~0.1 s instead of ~7 s per Chinese page
  fonts-noto-cjk                     # Noto Serif/Sans CJK: body and titles
  fonts-arphic-ukai                  # a Kai-style face for signatures and FangSong-like text
  poppler-utils                      # pdftotext/pdftoppm, used by the tests to read PDFs
  chromium                           # the browser test (Playwright drives Debian's Chromium; no download)
)
if ! python3 -c "import ensurepip" >/dev/null 2>&1; then
  PACKAGES+=(python3-venv)
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  if [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" != "install ok installed" ]; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "Missing Debian packages. Run as root:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
