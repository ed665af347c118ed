#!/usr/bin/env bash
# lib/term against pyte (term_pyte_test.py), with Debian's python3, where
# python3-pyte is installed.
cd "$(dirname "$0")/../../.."
exec /usr/bin/python3 tests/lib/term/term_pyte_test.py build/host/bin/term_dump
