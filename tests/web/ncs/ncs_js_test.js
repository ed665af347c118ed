/* web/ncs/ncs.js with build/web/ncs.wasm in Node (no browser): the effects
 * contract (a String, an array, undefined, a thrown Error, the arguments the
 * handler sees), option checking (usage errors), the module and grant tables, a
 * run started from inside an effect, a memory bomb without a limit ending with
 * NC_NCS_ERR_NOMEM at the module's 512 MiB, and runs after it. Expected values are
 * worked out from docs/ncscript.md and docs/tutorial.md. Prints PASS/FAIL lines. */
'use strict';
const fs = require('fs');
const path = require('path');
const { create } = require('../../../web/ncs/ncs.js');

const ROOT = path.resolve(__dirname, '../../..');
let calls = [];
let reply = () => undefined;
const ncs = create(fs.readFileSync(path.join(ROOT, 'build/web/ncs.wasm')), (cap, args, call) => {
	calls.push([cap, args, call]);
	return reply(cap, args);
});

let failures = 0;
function check(name, got, want) {
	const ok = JSON.stringify(got) === JSON.stringify(want);
	if (!ok)
		failures++;
	console.log(ok ? `PASS ncs_js.${name}` : `FAIL ncs_js.${name}: got ${JSON.stringify(got)}, wanted ${JSON.stringify(want)}`);
}
const brief = (r) => (r.ok ? ['ok', r.value, r.output] : [r.error.kind, r.error.name, r.error.message]);
const FS = '#![capabilities(fs.read("/etc"), fs.list("/etc"))]\n';

reply = () => 'text';
calls = [];
check('effect_string', brief(ncs.run(`${FS}fn main() { fs::read("/etc/a/../b") }`, { allow: ['fs.read=/etc'] })),
	['ok', '"text"', '']);
check('effect_sees_normalised_path', calls, [['fs.read', ['/etc/b'], 'fs::read']]);
reply = () => ['x', 'y'];
check('effect_array', brief(ncs.run(`${FS}fn main() { fs::list("/etc") }`, { allow: ['fs.list=/etc'] })),
	['ok', '["x", "y"]', '']);
reply = () => undefined;
check('effect_unit', brief(ncs.run(`${FS}fn main() { fs::read("/etc/x") }`, { allow: ['fs.read=/etc'] })),
	['ok', null, '']);
reply = () => 42;
check('effect_number_as_text', brief(ncs.run(`${FS}fn main() { fs::read("/etc/x") }`, { allow: ['fs.read=/etc'] })),
	['ok', '"42"', '']);
reply = () => {
	throw new Error('disk on fire');
};
check('effect_throws', brief(ncs.run(`${FS}fn main() { fs::read("/etc/x") }`, { allow: ['fs.read=/etc'] })),
	['runtime', 'NC_NCS_ERR_EFFECT', 'fs.read failed: disk on fire']);
reply = () => ncs.run('fn main() { 1 }').error.message;
check('run_inside_an_effect', brief(ncs.run(`${FS}fn main() { fs::read("/etc/x") }`, { allow: ['fs.read=/etc'] })),
	['ok', '"run() was called from inside an effect"', '']);
calls = [];
reply = (cap, args) => args.join('|');
check('effect_arguments', brief(ncs.run('#![capabilities(ai.invoke)]\nfn main() { ai::invoke("m", "hi") }',
	{ allow: ['ai.invoke'] })), ['ok', '"m|hi"', '']);
check('unscoped_grant_is_any_name', calls, [['ai.invoke', ['m', 'hi'], 'ai::invoke']]);
calls = [];
check('grant_scope_checked_before_the_handler', brief(ncs.run('#![capabilities(ai.invoke)]\nfn main() { ai::invoke("m", "hi") }',
	{ allow: ['ai.invoke=other'] }))[1], 'NC_NCS_ERR_CAP_DENIED');
check('handler_not_called_when_denied', calls, []);
check('no_handler_inert', brief(ncs.run('#![capabilities(ai.invoke)]\nfn main() { ai::invoke("m", "hi") }')),
	['ok', '<effect ai.invoke("m", "hi")>', '']);
/* As `ncs run --allow fs.write=DIR`: the fs.write grant serves fs::write, fs::append,
 * fs::remove and fs::mkdir (docs/ncscript.md), each named by its call. */
calls = [];
reply = () => undefined;
check('fs_write_grant_serves_four_calls', brief(ncs.run(`#![capabilities(fs.write("/w"))]
fn main() { fs::write("/w/a", "1"); fs::append("/w/a", "2"); fs::mkdir("/w/d"); fs::remove("/w/a") }`,
	{ allow: ['fs.write=/w'] })), ['ok', null, '']);
check('fs_write_calls_named', calls, [['fs.write', ['/w/a', '1'], 'fs::write'], ['fs.write', ['/w/a', '2'], 'fs::append'],
	['fs.write', ['/w/d'], 'fs::mkdir'], ['fs.write', ['/w/a'], 'fs::remove']]);
calls = [];
check('fs_write_grant_scope', brief(ncs.run('#![capabilities(fs.write("/"))]\nfn main() { fs::mkdir("/x/d") }',
	{ allow: ['fs.write=/w'] }))[1], 'NC_NCS_ERR_CAP_DENIED');
check('fs_write_scope_checked_before_the_handler', calls, []);
check('capabilities_each_once', ncs.capabilities(), ['fs.read', 'fs.write', 'fs.list', 'net.connect', 'net.send',
	'net.recv', 'ai.invoke', 'ai.stream', 'ai.embed', 'ai.classify', 'agent.task', 'ai.transcribe']);

const usage = (options) => {
	const r = ncs.run('fn main() { 1 }', options);
	return r.ok ? 'ran' : `${r.error.kind}: ${r.error.message}`;
};
check('usage.negative', usage({ maxSteps: -1 }), 'usage: maxSteps needs a non-negative whole number');
check('usage.fraction', usage({ deadlineMs: 0.5 }), 'usage: deadlineMs needs a non-negative whole number');
check('usage.string_number', usage({ maxAllocBytes: '10' }), 'usage: maxAllocBytes needs a non-negative whole number');
check('usage.depth_range', usage({ maxCallDepth: 2 ** 32 }), 'usage: maxCallDepth is at most 4294967295');
check('usage.allow_not_array', usage({ allow: 'fs.read=/' }), 'usage: allow needs an array of "CAP=SCOPE" strings');
check('usage.unknown_capability', usage({ allow: ['fs.delete=/'] }).startsWith('usage: no host handler for capability `fs.delete`'),
	true);
check('usage.fs_needs_path', usage({ allow: ['fs.write'] }), 'usage: allow fs.write needs =/absolute/dir');
check('usage.empty_scope', usage({ allow: ['net.send='] }), 'usage: allow net.send= needs a scope');
check('usage.file_name', usage({ files: { '../x.ncs': '' } }),
	'usage: files: "../x.ncs" is not a module file name like geo.ncs or util/strs.ncs');
check('usage.too_many_files', usage({ files: Object.fromEntries([...Array(65).keys()].map((i) => [`m${i}.ncs`, ''])) }),
	'usage: too many files for the module table of ncs.wasm (embed.h)');
check('usage.too_many_grants', usage({ allow: [...Array(33).keys()].map((i) => `net.send=h${i}`) }),
	'usage: too many allow grants for ncs.wasm (embed.h)');
check('usage.source', brief(ncs.run(7)), ['usage', 'USAGE', 'the source needs to be a string']);
check('file_name_in_messages', ncs.run('fn main() { 1 / 0 }', { fileName: 'x.ncs' }).error.file, 'x.ncs');
check('modules_nested_path', brief(ncs.run('use a::b::f;\nfn main() { f() }', { files: { 'a/b.ncs': 'pub fn f() { 5 }' } })),
	['ok', '5', '']);
check('module_missing', brief(ncs.run('use a::f;\nfn main() { f() }'))[1], 'NC_NCS_ERR_MODULE');

const bomb = ncs.run('fn main() { let mut s = "xxxxxxxxxxxxxxxx"; loop { s = s + s; } }', { maxSteps: 1000 });
check('memory_bomb_without_limit_is_nomem', [bomb.ok, bomb.error.kind, bomb.error.name], [false, 'runtime', 'NC_NCS_ERR_NOMEM']);
check('runs_after_nomem', brief(ncs.run('fn main() { [1, 2].len() }')), ['ok', '2', '']);
/* Each result keeps its 4 MiB output in the heap until the next run resets the heap:
 * without the reset 20 runs would grow the memory by 80 MiB or more. */
const before = ncs.memoryBytes();
let printed = 0;
for (let i = 0; i < 20; i++)
	printed += ncs.run('fn main() { print(string::repeat("x", 4194303)); }').output.length;
check('heap_reset_between_runs', [printed, ncs.memoryBytes() - before < 48 << 20], [20 * 4194304, true]);

process.exit(failures ? 1 : 0);
