# The browser extension (extension/): `make extension` packs a store-ready zip under dist/,
# `make lint-extension` runs web-ext lint, and `make test` runs that lint too.
# web-ext comes from npm, pinned by package-lock.json; the extension itself has no build step.

NPM ?= npm
WEB_EXT := node_modules/.bin/web-ext
NODE_STAMP := node_modules/.installed

.PHONY: extension lint-extension

$(NODE_STAMP): package.json package-lock.json
	@command -v $(NPM) >/dev/null 2>&1 || { \
	  echo "npm is missing: install Node.js 20 or newer, then run make again." >&2; exit 1; }
	$(NPM) ci --no-audit --no-fund --loglevel=error
	touch $@

lint-extension: $(NODE_STAMP)
	$(WEB_EXT) lint --source-dir extension --no-input

extension: lint-extension
	$(WEB_EXT) build --source-dir extension --artifacts-dir dist --overwrite-dest \
	  --filename "tsuho-navi-extension-{version}.zip"

test: lint-extension
