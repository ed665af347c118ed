#!/usr/bin/env bash
# Per-module capability headers through the `ncs` command (real files, real
# --allow handlers): `ncs run`, `ncs check` and the REPL give the same answers
# as the library tests (tests/lib/ncs/modcaps_test.c), and sort_by from files.
set -u
cd "$(dirname "$0")/../../.."
NCS=${NCS:-$PWD/build/host/bin/ncs}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

check() { # NAME WANT_STATUS WANT_STDOUT GOT_STATUS GOT_STDOUT
	if [ "$4" != "$2" ]; then echo "FAIL ncs_modcap_cli.$1: status $4, wanted $2: $(head -c 300 "$t/err")"
	elif [ "$5" != "$3" ]; then echo "FAIL ncs_modcap_cli.$1: stdout [$5], wanted [$3]"
	else echo "PASS ncs_modcap_cli.$1"; fi
}
run() { # NAME WANT_STATUS WANT_STDOUT ARGS...
	local name=$1 rc=$2 want=$3 out
	shift 3
	out=$(cd "$t" && "$NCS" "$@" 2>"$t/err")
	check "$name" "$rc" "$want" $? "$out"
}
err_has() {
	if grep -qF -- "$2" "$t/err"; then echo "PASS ncs_modcap_cli.$1"; else echo "FAIL ncs_modcap_cli.$1: stderr lacks [$2]: $(head -c 300 "$t/err")"; fi
}

mkdir -p "$t/data/notes"
printf 'secret' > "$t/data/top.txt"
printf 'note' > "$t/data/notes/n.txt"
D="$t/data"
printf 'pub fn peek(p) { fs::read(p) }\npub fn twice(x) { x * 2 }\n' > "$t/pure.ncs"
printf '#![capabilities(fs.read("%s/notes"))]\npub fn peek(p) { fs::read(p) }\n' "$D" > "$t/narrow.ncs"
printf '#![capabilities(fs.read("%s"))]\npub fn peek(p) { fs::read(p) }\n' "$t" > "$t/greedy.ncs"
hdr="#![capabilities(fs.read(\"$D\"))]"
printf '%s\nuse pure::peek;\nfn main() { print(fs::read("%s/top.txt")); peek("%s/top.txt") }\n' "$hdr" "$D" "$D" > "$t/m_pure.ncs"
printf '%s\nuse narrow::peek;\nfn main() { peek("%s/notes/n.txt") }\n' "$hdr" "$D" > "$t/m_narrow_ok.ncs"
printf '%s\nuse narrow::peek;\nfn main() { peek("%s/top.txt") }\n' "$hdr" "$D" > "$t/m_narrow_out.ncs"
printf '%s\nuse greedy::peek;\nfn main() { print("never"); peek("%s/top.txt") }\n' "$hdr" "$D" > "$t/m_greedy.ncs"
printf '#![capabilities(fs.read("/"))]\nuse greedy::peek;\nfn main() { 1 }\n' > "$t/m_host.ncs"

run pure_module_denied 4 "secret" run m_pure.ncs --allow "fs.read=$D"
err_has pure_module_message "is not declared by module \`pure\` (its own header applies) [NC_NCS_ERR_CAP_DENIED]"
run narrow_inside 0 '=> "note"' run m_narrow_ok.ncs --allow "fs.read=$D"
run narrow_outside 4 "" run m_narrow_out.ncs --allow "fs.read=$D"
err_has narrow_outside_message "capability fs.read(\"$D/top.txt\") is not declared by module \`narrow\`"
run beyond_grant_run 4 "" run m_greedy.ncs --allow "fs.read=$D"
err_has beyond_grant_message "greedy.ncs:1:17: error: module \`greedy\` declares fs.read(\"$t\"), but the main script's header does not grant it [NC_NCS_ERR_CAP_DENIED]"
run beyond_grant_check 4 "" check m_greedy.ncs
run host_narrows 4 "" run m_host.ncs --allow "fs.read=$D"
err_has host_narrows_message "but the host does not grant it"
run host_allows 0 "=> 1" run m_host.ncs --allow "fs.read=$t"

# the REPL's inputs form a main script without a header: it grants nothing
out=$(cd "$t" && printf 'use narrow::peek;\nuse pure::{peek, twice};\ntwice(4)\npeek("%s/top.txt")\n' "$D" | "$NCS" 2>"$t/err")
check repl_session 0 $'ncs> ncs> ncs> => 8\nncs> ncs> ' 0 "$out"
err_has repl_beyond_grant "module \`narrow\` declares fs.read(\"$D/notes\"), but the main script's header does not grant it"
err_has repl_pure_denied "is not declared by module \`pure\`"

printf 'struct P { n: String, k: Int }\nfn main() {\n  let mut xs = [P { n: "a", k: 2 }, P { n: "b", k: 1 }, P { n: "c", k: 2 }];\n  xs.sort_by(|x, y| x.k < y.k);\n  xs.map(|p| p.n)\n}\n' > "$t/sb.ncs"
run sort_by_file 0 '=> ["b", "a", "c"]' run sb.ncs
printf 'fn main() {\n  let mut xs = [2, 1];\n  xs.sort_by(|a, b| a / 0 < b);\n}\n' > "$t/sb_err.ncs"
run sort_by_error 2 "" run sb_err.ncs
err_has sort_by_error_trace "called from sb_err.ncs:3:6 in \`main\`"
run sort_by_steps 3 "" run sb.ncs --max-steps 20
