#!/usr/bin/env bash
# The screenshots of docs/contributi.md: run the contribution path in headless Chromium (the
# browser tests write only to the git-ignored tests/screenshots/), then copy the pictures the
# guide shows into docs/screenshots/. Run by hand after changing those pages; never by tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh test >/dev/null
export DATABASE_URL="${DATABASE_URL:-$(scripts/db.sh)}" DEBUG=true
.venv/bin/pytest tests/contributi/test_browser.py -q -p no:cacheprovider
for name in contributi-report contributi-mapping contributi-confirm-publish \
            contributi-dashboard-reviewer contributi-editor; do
  cp "tests/screenshots/$name.png" "docs/screenshots/$name.png"
done
echo "docs/screenshots/: contributi-*.png updated"
