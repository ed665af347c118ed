/* The ncScript tutorial's speed (reported, never asserted): fib(27) and a
 * string-building loop run through the page's window.ncs.run (ncs.wasm in a Web
 * Worker, headless Debian chromium) against the native `ncs run` (rel build), and
 * the time from navigation to the first finished run. Native times are the best of
 * RUNS process runs minus the best start-up of an empty script, so both sides count
 * only the interpreter's work (the page side: the run() round trip, best of RUNS
 * after a first run that also shows the cost of V8's tier-up). Wall-clock times
 * suffer on a loaded machine, so CPU times are reported too: the page's Web Worker
 * thread from /proc/PID/task/TID/schedstat against the native processes' user +
 * system time (bash's `time`), both per run over CPU_RUNS warm runs, the native
 * one minus an empty script's. The load average is printed. */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { launch, serve } = require('../../../tests/web/tutorial/browser');

const ROOT = path.resolve(__dirname, '../../..');
const NCS = path.join(ROOT, 'build/rel/bin/ncs');
const RUNS = 7;
const CPU_RUNS = 10;
const WORKLOADS = [
	['fib(27), recursive', 'fn fib(n) { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } }\nfn main() { fib(27) }\n'],
	['build 200k strings and join', 'fn main() {\n    let mut xs = [];\n    for i in 0..200000 { xs.push(string::from_int(i)); }\n' +
		'    xs.join(",").len()\n}\n'],
];

/* Best wall time of RUNS `ncs run` processes. */
function nativeMs(src, dir) {
	fs.writeFileSync(path.join(dir, 'b.ncs'), src);
	let best = Infinity, out = '';
	for (let i = 0; i < RUNS; i++) {
		const t0 = process.hrtime.bigint();
		out = spawnSync(NCS, ['run', 'b.ncs'], { cwd: dir, encoding: 'utf8' }).stdout.trim();
		best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
	}
	return { ms: best, out };
}

/* CPU time (user + system, from bash's `time`) of CPU_RUNS `ncs run` processes in a row. */
function nativeCpuMs(src, dir) {
	fs.writeFileSync(path.join(dir, 'c.ncs'), src);
	const r = spawnSync('bash', ['-c', `TIMEFORMAT='%3U %3S'; time for i in $(seq ${CPU_RUNS}); do ${NCS} run c.ncs >/dev/null; done`],
		{ cwd: dir, encoding: 'utf8' });
	const [user, sys] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
	return (user + sys) * 1000;
}

/* CPU time so far of the page's Web Worker thread (Chromium names it
 * "DedicatedWorker"), in ms, from the kernel's per-thread schedstat (ns). */
function workerCpuMs() {
	let total = 0, found = 0;
	for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
		let tids;
		try {
			if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('chromium'))
				continue;
			tids = fs.readdirSync(`/proc/${pid}/task`);
		} catch (e) {
			continue;
		}
		for (const tid of tids) {
			try {
				if (fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim() !== 'DedicatedWorker')
					continue;
				total += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
				found++;
			} catch (e) { /* the thread ended meanwhile */ }
		}
	}
	if (found !== 1)
		throw new Error(`expected one DedicatedWorker thread, found ${found}`);
	return total;
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
		await page.evaluate(() => window.ncs.ready());
		const startup = nativeMs('fn main() {}\n', dir).ms;
		const startupCpu = nativeCpuMs('fn main() {}\n', dir);
		console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; ${os.cpus().length} CPUs`);
		console.log(`native ncs start-up (empty script): best ${startup.toFixed(1)} ms wall, ` +
			`${(startupCpu / CPU_RUNS).toFixed(1)} ms CPU`);
		console.log('wall clock (best of runs): workload | page run(): first | best | interpreter only | ' +
			'native: best - start-up | ratio page/native');
		const cpu = [];
		for (const [name, src] of WORKLOADS) {
			const runs = (n) => page.evaluate(async ([s, k]) => {
				const out = [];
				for (let i = 0; i < k; i++) {
					const t0 = performance.now();
					const r = await window.ncs.run(s, { maxSteps: 0 });
					out.push({ ms: performance.now() - t0, interp: r.timeMs, value: r.value });
				}
				return out;
			}, [src, n]);
			const times = await runs(RUNS + 1);
			const native = nativeMs(src, dir);
			const best = times.slice(1).reduce((a, t) => (t.ms < a.ms ? t : a));
			const nativeWork = Math.max(native.ms - startup, 0.1);
			const same = native.out === `=> ${best.value}`;
			console.log(`${name} | ${times[0].ms.toFixed(1)} | ${best.ms.toFixed(1)} | ${best.interp.toFixed(1)} | ` +
				`${nativeWork.toFixed(1)} | ${(best.ms / nativeWork).toFixed(2)}` +
				`${same ? '' : `  (results differ: ${native.out} vs ${best.value})`}`);
			const w0 = workerCpuMs();
			await runs(CPU_RUNS);
			const pageCpu = (workerCpuMs() - w0) / CPU_RUNS;
			const nativeCpu = (nativeCpuMs(src, dir) - startupCpu) / CPU_RUNS;
			cpu.push(`${name} | ${pageCpu.toFixed(1)} | ${nativeCpu.toFixed(1)} | ${(pageCpu / nativeCpu).toFixed(2)}`);
		}
		console.log(`CPU time per run (mean of ${CPU_RUNS}, warm): workload | page worker thread ms | ` +
			'native ms (minus start-up) | ratio page/native');
		for (const line of cpu)
			console.log(line);
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
