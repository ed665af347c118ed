/* The ncScript tutorial's speed (reported, never asserted): fib(27) and a
 * string-building loop run through the page's window.ncs.run (ncs.wasm in a Web
 * Worker, headless Debian chromium) against the native `ncs run` (rel build), and
 * the time from navigation to the first finished run. Native times are the best of
 * RUNS process runs minus the best start-up of an empty script, so both sides count
 * only the interpreter's work (the page side: the run() round trip, best of RUNS
 * after a first run that also shows the cost of V8's tier-up). Wall-clock: on a
 * shared machine compare runs made close together (the load average is printed). */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { launch, serve } = require('../../../tests/web/tutorial/browser');

const ROOT = path.resolve(__dirname, '../../..');
const NCS = path.join(ROOT, 'build/rel/bin/ncs');
const RUNS = 7;
const WORKLOADS = [
	['fib(27), recursive', 'fn fib(n) { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } }\nfn main() { fib(27) }\n'],
	['build 200k strings and join', 'fn main() {\n    let mut xs = [];\n    for i in 0..200000 { xs.push(string::from_int(i)); }\n' +
		'    xs.join(",").len()\n}\n'],
];

/* Best wall time of RUNS `ncs run` processes, and the best CPU time (user + system,
 * bash's `time`, start-up included) for reference on a loaded machine. */
function nativeMs(src, dir) {
	fs.writeFileSync(path.join(dir, 'b.ncs'), src);
	let best = Infinity, cpu = Infinity, out = '';
	for (let i = 0; i < RUNS; i++) {
		const t0 = process.hrtime.bigint();
		const r = spawnSync('bash', ['-c', `TIMEFORMAT='%3U %3S'; time ${NCS} run b.ncs`], { cwd: dir, encoding: 'utf8' });
		best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
		const [user, sys] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
		cpu = Math.min(cpu, (user + sys) * 1000);
		out = r.stdout.trim();
	}
	return { ms: best, cpu, out };
}

async function main() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tutorial-bench-'));
	const server = await serve(path.join(ROOT, 'build/web/tutorial'));
	const browser = await launch();
	try {
		const loads = [];
		for (let i = 0; i < RUNS; i++) {
			const page = await browser.newPage();
			await page.goto(`${server.url}#hello`);
			loads.push(await page.evaluate(async () => {
				await window.ncs.run('fn main() {\n    print("Hello, world");\n}\n');
				return performance.now(); /* since navigation started */
			}));
			await page.close();
		}
		loads.sort((a, b) => a - b);
		console.log(`page load to first run: best ${loads[0].toFixed(0)} ms, median ${loads[RUNS >> 1].toFixed(0)} ms (${RUNS} fresh pages)`);

		const page = await browser.newPage();
		await page.goto(server.url);
		const empty = nativeMs('fn main() {}\n', dir);
		const startup = empty.ms;
		console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; ${os.cpus().length} CPUs`);
		console.log(`native ncs start-up (empty script, best of ${RUNS}): ${startup.toFixed(1)} ms wall, ${empty.cpu.toFixed(0)} ms CPU`);
		console.log('workload | page run() ms: first | best | interpreter only | native ms: wall - start-up | CPU | ratio (page best / native wall)');
		for (const [name, src] of WORKLOADS) {
			const times = await page.evaluate(async ([s, n]) => {
				const out = [];
				for (let i = 0; i < n; i++) {
					const t0 = performance.now();
					const r = await window.ncs.run(s, { maxSteps: 0 });
					out.push({ ms: performance.now() - t0, interp: r.timeMs, value: r.value });
				}
				return out;
			}, [src, RUNS + 1]);
			const native = nativeMs(src, dir);
			const best = times.slice(1).reduce((a, t) => (t.ms < a.ms ? t : a));
			const nativeWork = Math.max(native.ms - startup, 0.1);
			const same = native.out === `=> ${best.value}`;
			console.log(`${name} | ${times[0].ms.toFixed(1)} | ${best.ms.toFixed(1)} | ${best.interp.toFixed(1)} | ` +
				`${nativeWork.toFixed(1)} | ${native.cpu.toFixed(0)} | ${(best.ms / nativeWork).toFixed(2)}` +
				`${same ? '' : `  (results differ: ${native.out} vs ${best.value})`}`);
		}
	} finally {
		await browser.close();
		await server.close();
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
