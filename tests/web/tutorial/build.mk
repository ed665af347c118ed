# tests/web/tutorial: the ncScript tutorial in headless chromium (every lesson, edits,
# Reset, errors, keys, limits, file:// and a phone screen) and parity of its
# window.ncs.run with the native `ncs run` over lib/ncs's test programs. Needs the
# page ($(B)/web/tutorial, in `all`), the rel ncs and playwright-core (scripts/deps:
# npm tests/web/tutorial).
NC_SCRIPT_TESTS += tests/web/tutorial/tutorial_test.sh
NC_TEST_DEPS += build/rel/bin/ncs tutorial-files
# make_tutorial_test.sh: `make tutorial-serve` (what `make tutorial` runs after
# scripts/deps) prints the URL and serves the page on 127.0.0.1 only.
NC_SCRIPT_TESTS += tests/web/tutorial/make_tutorial_test.sh
