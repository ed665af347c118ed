# tests/abi: the ABI freeze (digest of abi/syscalls.abi version 1) and the generator's checks.
NC_SCRIPT_TESTS += tests/abi/abi_digest_test.sh
