#!/usr/bin/env bash
# `npm run screenshots`: every main web hall page (and the login page), phone (375 px) and desktop, zh-CN, into
# screenshots/*.png, taken by the accessibility tour of src/web/pages.integration.test.ts against real services;
# then the kiosk's screens (apps/kiosk/src/web/kiosk-screens.integration.test.ts) and the three halls with a live
# campaign on them (apps/platform/src/live-offers.integration.test.ts).
set -euo pipefail
cd "$(dirname "$0")/../../.."

# Without a CJK font every Chinese character is an empty box in the pictures (the tests would still pass).
if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  else
    echo "install chromium and fonts-noto-cjk first (apt-get install -y chromium fonts-noto-cjk)" >&2
    exit 1
  fi
fi

npx turbo run generate build:ui --output-logs=errors-only
mkdir -p screenshots
SCREENSHOTS_DIR="$PWD/screenshots" npx vitest run --project @omnihall/web-hall \
  apps/web-hall/src/web/pages.integration.test.ts -t "every main page"
# The kiosk's screens (kiosk-*.png, its 1280-px touch screen), from its own axe-core tour.
SCREENSHOTS_DIR="$PWD/screenshots" npx vitest run --project @omnihall/kiosk \
  apps/kiosk/src/web/kiosk-screens.integration.test.ts -t "every kiosk screen"
# The ops console's pages (ops-console-*.png), from its browser test's axe-core tour.
SCREENSHOTS_DIR="$PWD/screenshots" npx vitest run --project @omnihall/ops-console \
  apps/ops-console/src/web/console-pages.integration.test.ts -t "every main page"
# The mini hall's page with the broadband form, then waiting for the subscriber's code (mini-hall-*.png, phone).
SCREENSHOTS_DIR="$PWD/screenshots" npx vitest run --project @omnihall/mini-hall \
  apps/mini-hall/src/web/broadband-order-screen.integration.test.ts
# A live campaign on the web hall's login page, the kiosk's attract screen and the mini hall's home (offers-*.png),
# from the launch-to-every-hall test.
SCREENSHOTS_DIR="$PWD/screenshots" npx vitest run --project @omnihall/platform \
  apps/platform/src/live-offers.integration.test.ts
# The logged-in home with its province's campaign banner (offers-web-hall-home-phone.png).
SCREENSHOTS_DIR="$PWD/screenshots" npx vitest run --project @omnihall/web-hall \
  apps/web-hall/src/web/campaign-banner.integration.test.ts
ls screenshots/*.png
