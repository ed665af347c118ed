/* The ncScript tutorial in headless chromium (web/tutorial, built into
 * build/web/tutorial): every lesson runs and shows its expected output (written here
 * by hand from the lesson's code and docs/ncscript.md); editing and re-running;
 * Reset; limit, capability and usage errors shown at their line; keyboard
 * shortcuts; the Stop button and a page that stays responsive during an endless
 * loop; modules in two tabs; the final exercise; file:// and a phone-sized screen;
 * window.ncs.run's API. Parity: the programs of lib/ncs's test suite give the same
 * value, output, error kind and message through window.ncs.run as through the
 * native `ncs run` (message text excepted for memory-limit errors: live-byte counts
 * differ with pointer size, see docs/tutorial.md).
 * Prints PASS/FAIL lines (scripts/run-tests). */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { launch, serve, screenshotLesson } = require('./browser');
const { suitePrograms } = require('./programs');

const ROOT = path.resolve(__dirname, '../../..');
const SITE = path.join(ROOT, 'build/web/tutorial');
const NCS = process.env.NCS || path.join(ROOT, 'build/rel/bin/ncs');
const PARITY_BUDGET = { maxSteps: 5000000, maxAllocBytes: 67108864 };
const TOTAL_TIMEOUT_MS = 240000;

let failures = 0;
function report(name, why) {
	if (why) {
		failures++;
		console.log(`FAIL tutorial.${name}: ${why}`);
	} else {
		console.log(`PASS tutorial.${name}`);
	}
}
class Mismatch extends Error {}
function expect(cond, why) {
	if (!cond)
		throw new Mismatch(why);
}
function same(got, want, what) {
	expect(JSON.stringify(got) === JSON.stringify(want), `${what}: got ${JSON.stringify(got)}, wanted ${JSON.stringify(want)}`);
}
async function test(name, body) {
	try {
		await body();
		report(name);
	} catch (e) {
		const where = (e.stack || '').split('\n').find((l) => l.includes('tutorial_test.js')) || '';
		report(name, e instanceof Mismatch ? e.message : `${e.name}: ${e.message.split('\n')[0]} ${where.trim()}`);
	}
}

/* ---------- page helpers ---------- */

async function openLesson(page, id) {
	await page.evaluate((h) => { location.hash = h; }, id);
	await page.waitForFunction((h) => document.querySelector(`#lesson-list a[href="#${h}"]`)
		.classList.contains('current'), id);
}

/* The lesson as shipped: earlier tests' edits are kept in localStorage. */
async function freshLesson(page, id) {
	await openLesson(page, id);
	await page.click('#reset');
}

async function finished(page) {
	await page.waitForFunction(() => !['running', 'idle'].includes(document.getElementById('output').dataset.state));
}

async function run(page) {
	await page.click('#run');
	await finished(page);
	return readOutput(page);
}

async function readOutput(page) {
	return page.evaluate(() => {
		const q = (s) => document.querySelector(`#output ${s}`);
		const text = (s) => (q(s) ? q(s).textContent : null);
		return {
			state: document.getElementById('output').dataset.state,
			printed: text('.printed'),
			value: q('.value') ? q('.value').textContent.replace(/^=> /, '') : null,
			kind: text('.error .badge'),
			where: text('.error .where'),
			message: text('.error .message'),
			name: text('.error-name'),
			check: text('.check'),
			errLine: document.querySelector('#editor .gutter .err-line')
				? +document.querySelector('#editor .gutter .err-line').textContent : null,
			errAt: document.querySelector('#editor .err-at') ? document.querySelector('#editor .err-at').textContent : null,
			status: document.getElementById('status').textContent,
		};
	});
}

const code = (page) => page.inputValue('#editor textarea');
async function setCode(page, text) {
	await page.fill('#editor textarea', text);
}
async function editCode(page, from, to) {
	const before = await code(page);
	expect(before.includes(from), `the code has no ${JSON.stringify(from)}`);
	await setCode(page, before.replace(from, to));
}
async function setHost(page, field, value) {
	await page.evaluate(() => { document.getElementById('host-panel').open = true; });
	await page.fill(`#h-${field}`, value);
}

/* What each lesson's starting code prints and returns (by hand, from the code). */
const LESSONS = [
	['hello', { state: 'ok', printed: 'Hello, world\n', value: null }],
	['fib', { state: 'ok', printed: null, value: '55' }],
	['loops', { state: 'ok', printed: null, value: '10' }],
	['structs', { state: 'ok', printed: null, value: '7' }],
	['match', { state: 'ok', printed: '100\n-1\n42\n', value: null }],
	['result', { state: 'ok', printed: null, value: '8' }],
	['capabilities', { state: 'capability', printed: 'Capabilities are granted, never assumed.\n\n', value: null,
		where: 'main.ncs:10:26', message: 'capability fs.read("/etc/passwd") is not declared by the script',
		name: 'NC_NCS_ERR_CAP_DENIED', errLine: 10, errAt: '(' }],
	['inert', { state: 'ok', printed: '<effect net.connect("example.org:443")>\n' +
		'<effect agent.task("summarise today\'s files in ~/reports")>\n', value: null }],
	['stdlib', { state: 'ok', printed: '3\n5\nNEXACORE\n1.4142135623730951\n9\n1024\n', value: null }],
	['limits', { state: 'limit', printed: null, value: null, where: 'main.ncs:3:5',
		message: 'step limit of 1000000 reached', name: 'NC_NCS_ERR_LIMIT_STEPS', errLine: 3 }],
	['maps', { state: 'ok', printed: 'the: 2\ncat: 1\nand: 1\nhat: 1\n', value: '{"the": 2, "cat": 1, "and": 1, "hat": 1}' }],
	['modules', { state: 'ok', printed: null, value: '12' }],
	['exercise', { state: 'ok', printed: null, value: '("", 0)',
		check: 'Not yet: main should return ("word", count) for the file\'s most common word.' }],
];

async function lessonTests(page, base) {
	await test('page_loads', async () => {
		await page.goto(base);
		const info = await page.evaluate(() => window.ncs.ready());
		same(await page.$$eval('#lesson-list a', (as) => as.map((a) => a.getAttribute('href'))),
			LESSONS.map(([id]) => `#${id}`), 'lessons in the navigation');
		// one name per effect: fs::append, fs::remove and fs::mkdir are effects behind fs.write
		same([...new Set(info.capabilities)].sort(), ['agent.task', 'ai.classify', 'ai.embed', 'ai.invoke',
			'ai.stream', 'ai.transcribe', 'fs.list', 'fs.read', 'fs.write', 'net.connect', 'net.recv', 'net.send'],
			'capabilities the interpreter knows');
		same(await page.textContent('#lesson-title'), 'The smallest program', 'first lesson');
	});

	for (const [id, want] of LESSONS)
		await test(`lesson.${id}`, async () => {
			await freshLesson(page, id);
			const got = await run(page);
			for (const [key, value] of Object.entries(want))
				same(got[key], value, key);
			if (want.state === 'ok' && !want.check)
				expect(/^ok · [\d,]+ steps · /.test(got.status), `status ${JSON.stringify(got.status)}`);
		});

	await test('next_and_prev_buttons', async () => {
		await openLesson(page, 'hello');
		expect(await page.isDisabled('#prev'), 'Prev enabled on the first lesson');
		await page.click('#next');
		await page.waitForFunction(() => location.hash === '#fib');
		same(await page.textContent('#lesson-count'), 'Lesson 2 of 13', 'counter');
		await page.click('#prev');
		await page.waitForFunction(() => location.hash === '#hello');
		await openLesson(page, 'exercise');
		expect(await page.isDisabled('#next'), 'Next enabled on the last lesson');
	});

	await test('edit_and_rerun', async () => {
		await freshLesson(page, 'fib');
		await editCode(page, 'fib(10)', 'fib(20)');
		same((await run(page)).value, '6765', 'fib(20)');
		expect((await page.textContent('#editor .hl')).includes('fib(20)'), 'the highlighted copy follows the edit');
		await page.click('#editor textarea');
		await page.keyboard.press('Control+End');
		await page.keyboard.type('\n// done');
		same((await run(page)).value, '6765', 'after typing a comment');
		await page.click('#reset');
	});

	await test('edits_survive_reload_and_reset_restores', async () => {
		await freshLesson(page, 'fib');
		await editCode(page, 'fib(10)', 'fib(12)');
		await page.reload();
		await page.waitForSelector('#editor textarea');
		expect((await code(page)).includes('fib(12)'), 'the edit is gone after a reload');
		await page.click('#reset');
		expect((await code(page)).includes('fib(10) // => 55'), 'Reset did not bring the lesson back');
		same(await page.getAttribute('#output', 'data-state'), 'idle', 'output after Reset');
		same((await run(page)).value, '55', 'after Reset');
	});

	await test('reset_restores_host_settings', async () => {
		await freshLesson(page, 'limits');
		await setHost(page, 'maxSteps', '123');
		await page.click('#reset');
		same(await page.inputValue('#h-maxSteps'), '1000000', 'steps after Reset');
	});

	await test('errors_at_their_line', async () => {
		await freshLesson(page, 'hello');
		await setCode(page, 'fn main() {\n    let x = 9223372036854775807;\n    let y = x + 1;\n}\n');
		let got = await run(page);
		same([got.kind, got.where, got.name, got.errLine, got.errAt], ['runtime', 'main.ncs:3:15', 'NC_NCS_ERR_OVERFLOW', 3, '+'],
			'overflow');
		await setCode(page, 'fn main() {\n    print("a");\n    let = 4;\n}\n');
		got = await run(page);
		same([got.kind, got.errLine, got.name], ['compile', 3, 'NC_NCS_ERR_SYNTAX'], 'syntax error');
		await freshLesson(page, 'match');
		await editCode(page, '        p => p\n', '');
		got = await run(page);
		same([got.kind, got.name, got.printed], ['runtime', 'NC_NCS_ERR_NO_MATCH', '100\n-1\n'], 'no arm matches');
		await page.click('#output .where');
		same(await page.evaluate(() => document.activeElement.tagName), 'TEXTAREA', 'clicking the place focuses the code');
		await page.click('#reset');
	});

	await test('limits.memory_and_depth', async () => {
		await freshLesson(page, 'limits');
		await editCode(page, '    forever()\n}', '    bomb()\n}');
		let got = await run(page);
		same([got.kind, got.name, got.errLine], ['limit', 'NC_NCS_ERR_LIMIT_ALLOC', 8], 'memory bomb');
		await editCode(page, '    bomb()\n}', '    deep(0)\n}');
		got = await run(page);
		same([got.kind, got.name, got.message], ['limit', 'NC_NCS_ERR_LIMIT_DEPTH', 'call depth limit of 64 reached'], 'recursion');
		await page.click('#reset');
	});

	await test('limits.same_steps_every_run', async () => {
		await freshLesson(page, 'fib');
		const a = (await run(page)).status.split(' · ')[1];
		const b = (await run(page)).status.split(' · ')[1];
		same(a, '1,329 steps', 'fib(10) steps');
		same(b, a, 'second run');
	});

	await test('limits.endless_loop_deadline_page_responsive', async () => {
		await freshLesson(page, 'limits');
		await setHost(page, 'maxSteps', '0');
		await setHost(page, 'deadlineMs', '1500');
		await page.click('#run');
		same(await page.textContent('#status'), 'running…', 'status while running');
		const t0 = Date.now();
		for (let i = 0; i < 5; i++) /* the main thread answers while the worker loops */
			await page.evaluate(() => document.getElementById('lesson-title').textContent);
		expect(Date.now() - t0 < 1000, `the page took ${Date.now() - t0} ms to answer 5 calls during the run`);
		await finished(page);
		const got = await readOutput(page);
		same([got.kind, got.name, got.message], ['limit', 'NC_NCS_ERR_LIMIT_DEADLINE', 'deadline of 1500000 us passed'],
			'deadline');
		await page.click('#reset');
	});

	await test('stop_button_and_fresh_worker', async () => {
		await freshLesson(page, 'limits');
		await setHost(page, 'maxSteps', '0');
		await setHost(page, 'deadlineMs', '0');
		await page.click('#run');
		await page.waitForTimeout(300);
		same((await page.textContent('#run')).trim(), '■ Stop', 'the Run button while running');
		await page.click('#run');
		await finished(page);
		const got = await readOutput(page);
		same([got.kind, got.name, got.message], ['limit', 'STOPPED', 'stopped from the page'], 'stopped run');
		await page.click('#reset');
		await freshLesson(page, 'hello');
		const after = await run(page);
		same([after.printed, after.message], ['Hello, world\n', null], 'a run after Stop');
	});

	await test('usage_error_from_host_panel', async () => {
		await freshLesson(page, 'hello');
		await setHost(page, 'maxSteps', 'lots');
		let got = await run(page);
		same([got.kind, got.message], ['usage', 'maxSteps needs a non-negative whole number'], 'bad steps');
		expect(await page.$eval('#h-maxSteps', (e) => e.classList.contains('invalid')), 'the field is not flagged');
		await setHost(page, 'maxSteps', '1000');
		await setHost(page, 'allow', 'fs.read=relative');
		got = await run(page);
		same([got.kind, got.message], ['usage', 'allow fs.read needs =/absolute/dir'], 'bad grant');
		await page.click('#reset');
	});

	await test('capabilities.grants', async () => {
		await freshLesson(page, 'inert');
		await setHost(page, 'allow', 'net.connect=example.org:443');
		let got = await run(page);
		same(got.printed, '[fake net] connected to example.org:443\n' +
			'<effect agent.task("summarise today\'s files in ~/reports")>\n', 'with net.connect granted');
		await setHost(page, 'allow', 'net.connect=example.com:443');
		got = await run(page);
		same([got.kind, got.name, got.errLine], ['capability', 'NC_NCS_ERR_CAP_DENIED', 5], 'grant for another host');
		await page.click('#reset');
		await freshLesson(page, 'capabilities');
		await editCode(page, '#![capabilities(fs.read("/etc/nexacore"), ai.invoke)]', '#![capabilities(fs.read("/etc"), ai.invoke)]');
		got = await run(page);
		same([got.kind, got.message], ['capability', 'the host does not grant fs.read("/etc/passwd")'], 'wider header');
		await editCode(page, 'let secret = fs::read("/etc/passwd");', 'let secret = fs::read("/etc/nexacore/motd");');
		got = await run(page);
		same(got.printed, 'Capabilities are granted, never assumed.\n\n' +
			'Welcome to NexaCore. Every effect is denied until a capability grants it.\n\n', 'two granted reads');
		await page.click('#reset');
	});

	await test('modules.two_tabs', async () => {
		await freshLesson(page, 'modules');
		same(await page.$$eval('#file-tabs .tab', (ts) => ts.map((t) => t.textContent)), ['main.ncs', 'geo.ncs'], 'tabs');
		await page.click('#file-tabs .tab[data-file="geo.ncs"]');
		expect((await code(page)).includes('pub fn area(r)'), 'the geo tab shows geo.ncs');
		await editCode(page, '    r.w * r.h\n', '    r.w * r.h / 0\n');
		await page.click('#file-tabs .tab[data-file="main.ncs"]');
		let got = await run(page);
		same([got.kind, got.name, got.where, got.errLine], ['runtime', 'NC_NCS_ERR_DIV_ZERO', 'geo.ncs:5:15', 5],
			'error inside the module');
		same(await page.getAttribute('#file-tabs .tab.active', 'data-file'), 'geo.ncs', 'the tab with the error');
		await editCode(page, '    r.w * r.h / 0\n', '    r.w * r.h * 2\n');
		got = await run(page);
		same(got.value, '24', 'edited module');
		await page.click('#file-tabs .tab[data-file="main.ncs"]');
		await editCode(page, 'use geo::area;', 'use geo::secret;');
		got = await run(page);
		same([got.kind, got.name, got.message], ['compile', 'NC_NCS_ERR_MODULE', '`secret` is private to module `geo` (mark it `pub`)'],
			'private item');
		await page.click('#reset');
	});

	await test('exercise_solved', async () => {
		await freshLesson(page, 'exercise');
		await setCode(page, `#![capabilities(fs.read("/etc/nexacore/notes"))]
fn most_common(text) {
    let mut counts = map::new();
    for w in text.trim().split(" ") { counts[w] = counts.get_or(w, 0) + 1; }
    let mut best = ("", 0);
    for (w, n) in counts { if n > best.1 { best = (w, n); } }
    best
}
fn main() { most_common(fs::read("/etc/nexacore/notes/words.txt")) }
`);
		const got = await run(page);
		same([got.value, got.check], ['("to", 2)', 'Solved: main returned ("to", 2). Well done!'], 'solution');
		expect(await page.$eval('#lesson-list a[href="#exercise"]', (a) => a.classList.contains('solved')),
			'the lesson is not marked solved');
		await page.click('#reset');
	});

	await test('keyboard', async () => {
		await freshLesson(page, 'fib');
		await page.click('#editor textarea');
		await page.keyboard.press('Control+Enter');
		await finished(page);
		same((await readOutput(page)).value, '55', 'Ctrl+Enter runs');
		await page.keyboard.press('Escape');
		same(await page.evaluate(() => document.activeElement.tagName), 'BODY', 'Escape leaves the editor');
		await page.keyboard.press('ArrowRight');
		await page.waitForFunction(() => location.hash === '#loops');
		await page.keyboard.press('ArrowLeft');
		await page.waitForFunction(() => location.hash === '#fib');
		await page.click('#editor textarea');
		await page.keyboard.press('ArrowRight'); /* in the editor the arrows move the caret */
		same(await page.evaluate(() => location.hash), '#fib', 'arrow in the editor');
		await page.keyboard.press('Alt+PageDown');
		await page.waitForFunction(() => location.hash === '#loops');
		await page.keyboard.press('Alt+PageUp');
		await page.waitForFunction(() => location.hash === '#fib');
		await setCode(page, 'fn main() {');
		await page.click('#editor textarea');
		await page.keyboard.press('Control+End');
		await page.keyboard.press('Enter');
		await page.keyboard.type('1');
		await page.keyboard.press('Enter');
		await page.keyboard.press('Shift+Tab');
		await page.keyboard.type('}');
		same(await code(page), 'fn main() {\n    1\n}', 'Enter indents after {, Shift+Tab outdents');
		await page.keyboard.press('Home');
		await page.keyboard.press('Tab');
		same(await code(page), 'fn main() {\n    1\n    }', 'Tab indents four spaces');
		await page.keyboard.press('Control+Enter');
		await finished(page);
		same((await readOutput(page)).value, '1', 'run after typing');
		await page.click('#reset');
	});

	await test('window_ncs_run_api', async () => {
		const r = await page.evaluate(async () => {
			const run = window.ncs.run;
			return {
				ok: await run('fn main() { print("hi"); [1, 2] }'),
				compile: await run('fn main() { 1 + }'),
				runtime: await run('fn main() {\n  [1][3]\n}'),
				limit: await run('fn main() { loop {} }', { maxSteps: 777 }),
				capability: await run('fn main() { fs::read("/etc/passwd") }', { allow: ['fs.read=/'] }),
				effect: await run('#![capabilities(fs.read("/etc"))]\nfn main() { fs::read("/etc/none") }',
					{ allow: ['fs.read=/etc'] }),
				modules: await run('use util::strs::shout;\nfn main() { shout("hi") }',
					{ files: { 'util/strs.ncs': 'pub fn shout(s) { s.upper() + "!" }' } }),
				usage: await run('fn main() {}', { maxCallDepth: 1.5 }),
				fake_list: await run('#![capabilities(fs.list("/etc"))]\nfn main() { fs::list("/etc/nexacore/notes") }',
					{ allow: ['fs.list=/etc/nexacore'] }),
				output_limit: await run('fn main() { loop { print("xxxxxxxx"); } }', { maxOutputBytes: 100 }),
				fake_write: await run(`#![capabilities(fs.write("/home/guest"), fs.read("/home/guest"), fs.list("/home/guest"))]
fn main() {
    fs::mkdir("/home/guest/d");
    fs::write("/home/guest/d/n.txt", "a");
    fs::append("/home/guest/d/n.txt", "b");
    print(fs::read("/home/guest/d/n.txt"));
    fs::remove("/home/guest/reports/today.txt");
    print(fs::list("/home/guest"));
    fs::remove("/home/guest/d")
}`, { allow: ['fs.write=/home/guest', 'fs.read=/home/guest', 'fs.list=/home/guest'] }),
			};
		});
		same([r.ok.ok, r.ok.value, r.ok.output, r.ok.error], [true, '[1, 2]', 'hi\n', null], 'ok');
		same([r.compile.error.kind, r.compile.error.line, r.compile.error.name], ['compile', 1, 'NC_NCS_ERR_SYNTAX'], 'compile');
		same([r.runtime.error.kind, r.runtime.error.line, r.runtime.error.column, r.runtime.error.name],
			['runtime', 2, 6, 'NC_NCS_ERR_INDEX'], 'runtime');
		same([r.limit.error.kind, r.limit.steps, r.limit.error.message], ['limit', 777, 'step limit of 777 reached'], 'limit');
		same([r.capability.error.kind, r.capability.error.name], ['capability', 'NC_NCS_ERR_CAP_DENIED'], 'capability');
		same([r.effect.error.kind, r.effect.error.name, r.effect.error.message],
			['runtime', 'NC_NCS_ERR_EFFECT', 'fs.read failed: /etc/none: no such file (fake file system)'], 'effect failure');
		same(r.modules.value, '"HI!"', 'modules');
		same([r.usage.ok, r.usage.error.kind], [false, 'usage'], 'usage');
		same(r.fake_list.value, '["a.txt", "words.txt"]', 'the fake file system lists a directory');
		same([r.output_limit.error.name, r.output_limit.output.length <= 100], ['NC_NCS_ERR_LIMIT_OUTPUT', true], 'output limit');
		/* fs.write's grant serves fs::mkdir, fs::append and fs::remove too (as `ncs run
		 * --allow fs.write`); removing a directory that is not empty fails. */
		same([r.fake_write.output, r.fake_write.error && r.fake_write.error.message],
			['ab\n["d"]\n', 'fs.write failed: /home/guest/d: directory not empty (fake file system)'],
			'the fake file system writes, appends, makes and removes');
	});
}

async function parityTest(page) {
	await test('parity_with_native_ncs', async () => {
		const programs = suitePrograms(ROOT);
		expect(programs.length >= 300, `only ${programs.length} programs found in tests/lib/ncs`);
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tutorial-parity-'));
		const kinds = ['ok', 'compile', 'runtime', 'limit', 'capability'];
		const native = programs.map(({ src }) => {
			fs.writeFileSync(path.join(dir, 'main.ncs'), src);
			const r = spawnSync(NCS, ['run', 'main.ncs', '--max-steps', String(PARITY_BUDGET.maxSteps), '--max-alloc',
				String(PARITY_BUDGET.maxAllocBytes)], { cwd: dir, encoding: 'utf8', timeout: 20000 });
			return { kind: kinds[r.status], stdout: r.stdout, stderr: r.stderr };
		});
		fs.rmSync(dir, { recursive: true, force: true });
		const wasm = [];
		for (let i = 0; i < programs.length; i += 50)
			wasm.push(...await page.evaluate(async ([srcs, budget]) => {
				const out = [];
				for (const s of srcs)
					out.push(await window.ncs.run(s, budget));
				return out;
			}, [programs.slice(i, i + 50).map((p) => p.src), PARITY_BUDGET]));
		const bad = [];
		const tally = {};
		programs.forEach((p, i) => {
			const n = native[i], w = wasm[i];
			const kind = w.ok ? 'ok' : w.error.kind;
			const stdout = w.output + (w.value !== null ? `=> ${w.value}\n` : '');
			tally[kind] = (tally[kind] || 0) + 1;
			const memory = /NC_NCS_ERR_LIMIT_ALLOC/.test(n.stderr) || (!w.ok && w.error.name === 'NC_NCS_ERR_LIMIT_ALLOC');
			const why = n.kind !== kind ? `kind ${n.kind} natively, ${kind} in the page`
				: n.stdout !== stdout ? `output ${JSON.stringify(n.stdout)} natively, ${JSON.stringify(stdout)} in the page`
				: !w.ok && !memory && n.stderr !== w.error.text
					? `message ${JSON.stringify(n.stderr)} natively, ${JSON.stringify(w.error.text)} in the page` : null;
			if (why)
				bad.push(`${p.from}: ${JSON.stringify(p.src).slice(0, 120)}: ${why.slice(0, 400)}`);
		});
		expect(bad.length === 0, `${bad.length} of ${programs.length} programs differ:\n  ${bad.slice(0, 8).join('\n  ')}`);
		console.log(`  parity: ${programs.length} programs (${Object.entries(tally).map(([k, v]) => `${v} ${k}`).join(', ')})`);
		expect(Object.keys(tally).length === 5, 'the programs do not cover every outcome kind');
	});
}

async function otherViewTests(browser, base) {
	await test('works_from_file_url', async () => {
		const page = await browser.newPage();
		await page.goto(`file://${path.join(SITE, 'index.html')}#hello`);
		same((await run(page)).printed, 'Hello, world\n', 'hello from file://');
		await page.close();
	});

	await test('phone_screen', async () => {
		const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
			deviceScaleFactor: 2 });
		const page = await context.newPage();
		await page.goto(`${base}#stdlib`);
		const got = await run(page);
		same(got.state, 'ok', 'run on a phone');
		const layout = await page.evaluate(() => ({
			overflow: document.documentElement.scrollWidth - window.innerWidth,
			run: document.getElementById('run').getBoundingClientRect().right <= window.innerWidth,
			oneColumn: document.querySelector('.lesson').getBoundingClientRect().bottom <=
				document.querySelector('.bench').getBoundingClientRect().top,
		}));
		same(layout, { overflow: 0, run: true, oneColumn: true }, 'phone layout');
		await context.close();
	});
}

async function screenshotTest(browser, base) {
	await test('screenshot_script', async () => {
		const file = path.join(os.tmpdir(), `tutorial-shot-${process.pid}.png`);
		await screenshotLesson(browser, base, 'capabilities', file);
		const png = fs.readFileSync(file);
		fs.rmSync(file);
		same(png.subarray(1, 4).toString(), 'PNG', 'file type');
		same([png.readUInt32BE(16), png.readUInt32BE(20)], [1280, 900], 'size');
	});
}

async function main() {
	const timer = setTimeout(() => {
		console.log(`FAIL tutorial.timeout: still running after ${TOTAL_TIMEOUT_MS / 1000} s`);
		process.exit(1);
	}, TOTAL_TIMEOUT_MS);
	if (!fs.existsSync(path.join(SITE, 'ncs-worker.js')) || !fs.existsSync(NCS)) {
		console.log(`FAIL tutorial.build: ${SITE} or ${NCS} is missing (make all)`);
		process.exit(1);
	}
	const server = await serve(SITE);
	const browser = await launch();
	const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
	const problems = [];
	page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
	page.on('console', (m) => {
		if (m.type() === 'error')
			problems.push(`console error: ${m.text()}`);
	});
	try {
		await lessonTests(page, server.url);
		await parityTest(page);
		await otherViewTests(browser, server.url);
		await screenshotTest(browser, server.url);
		report('no_page_errors', problems.length ? problems.slice(0, 5).join('; ') : null);
	} finally {
		await browser.close();
		await server.close();
		clearTimeout(timer);
	}
	process.exit(failures ? 1 : 0);
}

main().catch((e) => {
	console.log(`FAIL tutorial.harness: ${e.stack}`);
	process.exit(1);
});
