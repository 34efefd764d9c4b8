# The browser extension (extension/): `make extension` packs a store-ready zip under dist/,
# `make lint-extension` runs web-ext lint, and `make test` runs that lint too.
# web-ext comes from npm, pinned by package-lock.json. The code itself is not compiled: the only
# build step writes the service address into a copy.
# `make extension SERVICE_URL=https://…` builds it for a public service: tools/build_extension.py
# copies extension/ to build/extension with that origin as the default service and the only host
# permission (an address that is not https is refused); without it, the development defaults stay.

NPM ?= npm
WEB_EXT := node_modules/.bin/web-ext
NODE_STAMP := node_modules/.installed
SERVICE_URL ?=
# Where the copy and the zip go (the tests build into a directory of their own).
EXTENSION_BUILD ?= build/extension
EXTENSION_DIST ?= dist

.PHONY: extension lint-extension

$(NODE_STAMP): package.json package-lock.json
	@command -v $(NPM) >/dev/null 2>&1 || { \
	  echo "npm is missing: install Node.js 20 or newer, then run make again." >&2; exit 1; }
	$(NPM) ci --no-audit --no-fund --loglevel=error
	touch $@

lint-extension: $(NODE_STAMP)
	$(WEB_EXT) lint --source-dir extension --no-input

# The copy is what ships, so the copy is what gets linted.
extension: $(NODE_STAMP)
	$(PYTHON) tools/build_extension.py $(EXTENSION_BUILD) --service-url "$(SERVICE_URL)"
	$(WEB_EXT) lint --source-dir $(EXTENSION_BUILD) --no-input
	$(WEB_EXT) build --source-dir $(EXTENSION_BUILD) --artifacts-dir $(EXTENSION_DIST) --overwrite-dest \
	  --filename "tsuho-navi-extension-{version}.zip"

test: lint-extension

# The browser tests inject axe-core from node_modules.
pytest: $(NODE_STAMP)
