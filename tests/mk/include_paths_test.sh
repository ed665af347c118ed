#!/usr/bin/env bash
# The build enforces the one-way dependency rule (docs/architecture.md,
# "Layering"): a source sees only the headers of the libraries it may use.
# Each check takes the exact command the build compiles an object with
# (`make -n -B OBJECT`, nothing runs) and compiles a probe file that
# includes one header with it instead: the header must be found only where
# the rule allows it.
set -uo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d /tmp/nc-include-paths.XXXXXX)
trap 'rm -rf "$work"' EXIT

# probe NAME OBJECT SOURCE HEADER expect(found|missing) WHY
probe() {
	local cmd
	cmd=$(env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -n -B "$2" 2>/dev/null |
		grep -m1 -e "^gcc .* -c $3 -o $2\$" -e "^clang .* -c $3 -o $2\$")
	if [ -z "$cmd" ]; then
		echo "FAIL mk.$1: make shows no compile command for $2"
		return
	fi
	printf '#include %s\n' "$4" > "$work/probe.c"
	cmd=${cmd% -c $3 -o $2}
	cmd=${cmd// -MMD -MP/}
	local got=found
	eval "$cmd -fsyntax-only $work/probe.c" > "$work/out" 2>&1 || got=missing
	if [ "$got" = "$5" ]; then
		echo "PASS mk.$1"
	else
		echo "FAIL mk.$1: $4 $got for $3 ($6)"
		head -3 "$work/out"
	fi
}

probe lib_sees_its_dependency build/host/lib/cap/cap.o lib/cap/cap.c '<nc/wire.h>' found \
	"lib/cap depends on lib/wire"
probe lib_cannot_see_a_dependant build/host/lib/wire/wire.o lib/wire/wire.c '<nc/cap.h>' missing \
	"lib/cap depends on lib/wire, not the other way round"
probe lib_cannot_see_an_unrelated_lib build/user/lib/ncs/vm.o lib/ncs/vm.c '<nc/crypto.h>' missing \
	"lib/ncs depends on lib/scope and lib/base only"
probe lib_sees_a_dependency_of_a_dependency build/host/lib/envelope/envelope.o lib/envelope/envelope.c \
	'<nc/crypto.h>' found "lib/envelope -> lib/hpke -> lib/crypto"
probe kernel_sees_its_libs build/kernel/kernel/main.o kernel/main.c '<nc/initrd.h>' found \
	"the kernel links lib/initrd"
probe kernel_cannot_see_user_libs build/kernel/kernel/main.o kernel/main.c '<nc/ncs.h>' missing \
	"the kernel does not link lib/ncs"
probe kernel_cannot_see_the_test_harness build/kernel/kernel/main.o kernel/main.c '"nc_test.h"' missing \
	"only the test kernel's test sources use tests/harness"
probe test_kernel_tests_see_the_harness build/kernel/tests/kernel/ktest.o tests/kernel/ktest.c '"nc_test.h"' found \
	"the test kernel's runner"
probe user_program_cannot_see_the_test_harness build/user/user/shell/run.o user/shell/run.c '"nc_test.h"' missing \
	"user programs are not tests"
probe host_test_sees_the_harness build/host/tests/lib/cap/cap_test.o tests/lib/cap/cap_test.c '"nc_test.h"' found \
	"host tests are tests"
probe in_os_tests_see_the_harness build/user/tests/user/usertests.o tests/user/usertests.c '<nc_test_user.h>' found \
	"usertests is a test program of the one harness"
probe bench_sees_the_test_random build/user/bench/drivers/blkbench.o bench/drivers/blkbench.c '<nc_test_random.h>' \
	found "benchmarks draw the tests' pseudo-random numbers"
probe bench_cannot_see_the_test_harness build/user/bench/drivers/blkbench.o bench/drivers/blkbench.c '"nc_test.h"' \
	missing "benchmarks are not tests: only the harness's random part"
probe user_program_cannot_see_the_test_random build/user/user/shell/run.o user/shell/run.c '<nc_test_random.h>' \
	missing "user programs are not tests"
