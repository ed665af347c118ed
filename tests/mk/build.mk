# tests/mk: the build itself (what it writes, which headers each source sees).
NC_SCRIPT_TESTS += tests/mk/build_test.sh
NC_SCRIPT_TESTS += tests/mk/include_paths_test.sh
