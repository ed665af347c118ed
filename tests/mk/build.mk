# tests/mk: the build itself (what it writes).
NC_SCRIPT_TESTS += tests/mk/build_test.sh
