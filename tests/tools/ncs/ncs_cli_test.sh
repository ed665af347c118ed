#!/usr/bin/env bash
# The ncs command: output, "=> VALUE", exit codes (0 ok, 1 compile, 2 runtime,
# 3 limit, 4 capability, 64 usage), stderr messages, --allow with a real file
# handler, modules from files, check, and the REPL.
set -u
cd "$(dirname "$0")/../../.."
NCS=${NCS:-build/host/bin/ncs}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

# expect NAME WANT_STATUS WANT_STDOUT [args...]; stderr kept in $t/err
expect() {
	local name=$1 want_rc=$2 want_out=$3
	shift 3
	local out rc
	out=$("$NCS" "$@" 2>"$t/err")
	rc=$?
	if [ "$rc" != "$want_rc" ]; then echo "FAIL ncs_cli.$name: status $rc, wanted $want_rc: $(head -c 300 "$t/err")"
	elif [ "$out" != "$want_out" ]; then echo "FAIL ncs_cli.$name: stdout [$out], wanted [$want_out]"
	else echo "PASS ncs_cli.$name"; fi
}
err_has() { # NAME TEXT: the last stderr contains TEXT
	if grep -qF -- "$2" "$t/err"; then echo "PASS ncs_cli.$1"; else echo "FAIL ncs_cli.$1: stderr lacks [$2]: $(head -c 300 "$t/err")"; fi
}

w() { printf '%s\n' "$2" > "$t/$1"; }
w hello.ncs 'fn main() { print("Hello, world"); }'
w fib.ncs 'fn fib(n) { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } }
fn main() { fib(10) }'
w res.ncs 'fn main() { print("x"); Ok(8) }'
w strs.ncs 'fn main() { ["a", "b"] }'
w syntax.ncs 'fn main() {
  let x = ;
}'
w overflow.ncs 'fn main() { 9223372036854775807 + 1 }'
w loop.ncs 'fn main() { loop { } }'
w rec.ncs 'fn f(n) { f(n + 1) + 1 }
fn main() { f(0) }'
w bomb.ncs 'fn main() { let mut a = []; loop { a.push("xxxxxxxxxxxxxxxx"); } }'
mkdir -p "$t/data/sub" "$t/other"
echo "note text" > "$t/data/sub/a.txt"
echo "secret" > "$t/other/s.txt"
w read.ncs "#![capabilities(fs.read(\"$t/data\"))]
fn main() { fs::read(\"$t/data/sub/a.txt\") }"
w escape.ncs "#![capabilities(fs.read(\"$t/data\"))]
fn main() { fs::read(\"$t/data/../other/s.txt\") }"
w undeclared.ncs "fn main() { fs::read(\"$t/data/sub/a.txt\") }"
w list.ncs "#![capabilities(fs.list(\"$t\"))]
fn main() { fs::list(\"$t/data\") }"
w inert.ncs '#![capabilities(net.connect)]
fn main() { net::connect("example.org:443") }'
mkdir -p "$t/util"
w util/strs.ncs 'pub fn shout(s) { s.upper() + "!" }'
w usemod.ncs 'use util::strs::shout;
fn main() { shout("hi") }'
w cyc_a.ncs 'use cyc_b::g;
pub fn f() { 1 }
fn main() { g() }'
w cyc_b.ncs 'use cyc_a::f;
pub fn g() { f() }'

expect hello 0 "Hello, world" run "$t/hello.ncs"
expect value_printed 0 "=> 55" run "$t/fib.ncs"
expect output_then_value 0 $'x\n=> Ok(8)' run "$t/res.ncs"
expect strings_quoted 0 '=> ["a", "b"]' run "$t/strs.ncs"
expect syntax_error 1 "" run "$t/syntax.ncs"
err_has syntax_position "$t/syntax.ncs:2:11: error: expected an expression [NC_NCS_ERR_SYNTAX]"
err_has syntax_caret "      |           ^"
expect check_syntax 1 "" check "$t/syntax.ncs"
expect check_ok_no_run 0 "" check "$t/hello.ncs"
expect runtime_error 2 "" run "$t/overflow.ncs"
err_has runtime_message "Int overflow in + [NC_NCS_ERR_OVERFLOW]"
expect step_limit 3 "" run "$t/loop.ncs" --max-steps 10000
err_has step_message "step limit of 10000 reached"
expect deadline 3 "" run "$t/loop.ncs" --deadline-ms 50
err_has deadline_message "[NC_NCS_ERR_LIMIT_DEADLINE]"
expect depth_limit 3 "" run "$t/rec.ncs" --max-depth 100
err_has depth_message "call depth limit of 100"
expect alloc_limit 3 "" run "$t/bomb.ncs" --max-alloc 100000
err_has alloc_message "[NC_NCS_ERR_LIMIT_ALLOC]"
expect fs_read_allowed 0 '=> "note text\n"' run "$t/read.ncs" --allow "fs.read=$t/data"
expect fs_read_inert_without_allow 0 "=> <effect fs.read(\"$t/data/sub/a.txt\")>" run "$t/read.ncs"
expect fs_read_host_scope_too_narrow 4 "" run "$t/read.ncs" --allow "fs.read=$t/data/elsewhere"
err_has host_denied_message "host does not grant"
expect fs_dotdot_escape 4 "" run "$t/escape.ncs" --allow "fs.read=$t"
err_has denied_message "[NC_NCS_ERR_CAP_DENIED]"
expect fs_undeclared 4 "" run "$t/undeclared.ncs" --allow "fs.read=$t/data"
expect fs_list 0 '=> ["sub"]' run "$t/list.ncs" --allow "fs.list=$t"
# fs.write serves fs::write, fs::append, fs::mkdir and fs::remove
mkdir -p "$t/out"
printf '#![capabilities(fs.write("%s/out"))]\nfn main() { fs::mkdir("%s/out/d"); fs::write("%s/out/d/f", "one\\n"); fs::append("%s/out/d/f", "two\\n"); fs::write("%s/out/g", "x"); fs::remove("%s/out/g"); }\n' \
	"$t" "$t" "$t" "$t" "$t" "$t" > "$t/write.ncs"
expect fs_write_append_mkdir_remove 0 "" run "$t/write.ncs" --allow "fs.write=$t/out"
if [ "$(cat "$t/out/d/f" 2>/dev/null)" = "$(printf 'one\ntwo')" ] && [ ! -e "$t/out/g" ]; then
	echo "PASS ncs_cli.fs_write_results"
else
	echo "FAIL ncs_cli.fs_write_results: $(ls -R "$t/out" 2>&1 | tr '\n' ' ')"
fi
printf '#![capabilities(fs.write("%s/out"))]\nfn main() { fs::remove("%s/out/d/f") }\n' "$t" "$t" > "$t/remove.ncs"
expect fs_remove_outside_host_scope 4 "" run "$t/remove.ncs" --allow "fs.write=$t/out/e"
[ -e "$t/out/d/f" ] && echo "PASS ncs_cli.fs_remove_denied_left_the_file" || echo "FAIL ncs_cli.fs_remove_denied_left_the_file"
expect inert_net 0 '=> <effect net.connect("example.org:443")>' run "$t/inert.ncs"
# fs.write serves the file effects only: an AI effect stays inert beside it
w transcribe.ncs '#![capabilities(ai.transcribe("tiny-asr"))]
fn main() { ai::transcribe("tiny-asr", "/a.wav") }'
expect fs_write_not_ai_transcribe 0 '=> <effect ai.transcribe("tiny-asr", "/a.wav")>' run "$t/transcribe.ncs" --allow "fs.write=$t/out"
expect module_from_file 0 '=> "HI!"' run "$t/usemod.ncs"
expect module_cycle 1 "" run "$t/cyc_a.ncs"
err_has cycle_named "import cycle: cyc_b -> cyc_a -> cyc_b"
w words.ncs 'fn main() {
  let mut c = map::new();
  for w in "b a b c b a".split(" ") { c[w] = c.get_or(w, 0) + 1; }
  for (k, v) in c { print(k + " " + (v as String)); }
  c
}'
w nokey.ncs 'fn main() {
  let m = map::from([("a", 1)]);
  m["b"]
}'
w bits.ncs 'fn main() { (0b1100 & 0xa | 1 << 4, -16 >> 2, !0) }'
w shift.ncs 'fn main() { let n = 64; 1 << n }'
w mapbomb.ncs 'fn main() { let mut m = map::new(); let mut i = 0; loop { m.insert(i, i); i += 1; } }'
expect map_words 0 $'b 3\na 2\nc 1\n=> {"b": 3, "a": 2, "c": 1}' run "$t/words.ncs"
expect map_missing_key 2 "" run "$t/nokey.ncs"
err_has map_missing_key_message "$t/nokey.ncs:3:4: error: map has no key \"b\" [NC_NCS_ERR_INDEX]"
expect bit_operators 0 "=> (24, -4, -1)" run "$t/bits.ncs"
expect shift_out_of_range 2 "" run "$t/shift.ncs"
err_has shift_message "shift amount 64 out of range 0 to 63 in << [NC_NCS_ERR_OVERFLOW]"
expect map_alloc_limit 3 "" run "$t/mapbomb.ncs" --max-alloc 100000
expect map_step_limit 3 "" run "$t/mapbomb.ncs" --max-steps 100000
expect usage_no_file 64 "" run
# Options before the file, as Deno and Lua users type them, or on both sides of it.
expect options_before_file 0 '=> "note text\n"' run --allow "fs.read=$t/data" "$t/read.ncs"
expect limit_before_file 3 "" run --max-steps 1000 "$t/loop.ncs"
expect options_both_sides 3 "" run --allow "fs.read=$t/data" "$t/loop.ncs" --max-steps 1000
expect usage_only_options 64 "" run --max-steps 1000
expect usage_two_files 64 "" run "$t/hello.ncs" "$t/fib.ncs"
expect usage_option_without_value 64 "" run "$t/hello.ncs" --max-steps
expect usage_unknown_option_before_file 64 "" run --fast "$t/hello.ncs"
expect usage_bad_number 64 "" run "$t/hello.ncs" --max-steps lots
expect usage_unknown_cap 64 "" run "$t/hello.ncs" --allow net.connect
expect missing_file 64 "" run "$t/nope.ncs"

out=$(printf 'fn sq(x) { x * x }\nlet a = sq(4);\nprint(a);\na + 1\nnope\na * 2\n' | "$NCS" 2>"$t/err")
if [ "$out" = $'ncs> ncs> ncs> 16\nncs> => 17\nncs> ncs> => 32\nncs> ' ]; then echo "PASS ncs_cli.repl_session"
else echo "FAIL ncs_cli.repl_session: [$out]"; fi
err_has repl_error_reported "unknown name \`nope\`"
# the session is lib/ncs's, as in the NexaCore shell (tests/user/shell): `let` lines stay
out=$(printf 'let x = 5;\nx + 1\nlet z = x * 2; // ten\nz\n' | "$NCS" 2>"$t/err")
if [ "$out" = $'ncs> ncs> => 6\nncs> ncs> => 10\nncs> ' ]; then echo "PASS ncs_cli.repl_keeps_let"
else echo "FAIL ncs_cli.repl_keeps_let: [$out] $(head -c 300 "$t/err")"; fi

out=$(printf 'fn sq(x) {\n  x * x\n}\nlet mut t = 0;\nfor i in 0..3 {\n  t += sq(i);\n  print(i);\n}\nt\n"a(" + "}"\n' | "$NCS" 2>"$t/err")
if [ "$out" = $'ncs> ...> ...> ncs> ncs> ...> ...> ...> 0\n1\n2\nncs> => 5\nncs> => "a(}"\nncs> ' ]; then echo "PASS ncs_cli.repl_multiline"
else echo "FAIL ncs_cli.repl_multiline: [$out]"; fi
