# Sourced by every script: where the project-local dependencies live and how
# the toolchain, the tests and the services find them.
ASYSTA_ROOT=${ASYSTA_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
ASYSTA_DEPS=${ASYSTA_DEPS:-$ASYSTA_ROOT/.deps}
RDKAFKA_VERSION=2.8.0
CALFKIT_VERSION=0.1.2
TANSU=${TANSU:-$ASYSTA_DEPS/bin/tansu}
# axe-core 4.12 (WCAG 2.1 rules) as axe-playwright-python ships it; axe-selenium-python's own copy is 3.x.
AXE_WHEEL_VERSION=0.1.8
AXE_SCRIPT=${AXE_SCRIPT:-$ASYSTA_DEPS/axe/axe.min.js}
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}

export ASYSTA_ROOT ASYSTA_DEPS TANSU PG_BIN
export PKG_CONFIG_PATH="$ASYSTA_DEPS/librdkafka/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
export LD_LIBRARY_PATH="$ASYSTA_DEPS/librdkafka/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
