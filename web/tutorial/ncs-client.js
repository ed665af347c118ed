/* window.ncs: the page's handle on the interpreter, which runs in a Web Worker
 * (ncs-worker.js, started from a Blob so the page also works opened as a file).
 *
 *   await ncs.ready()                 -> { capabilities, startMs } once ncs.wasm is up
 *   await ncs.run(source, options)    -> { ok, value, output, error, steps, ... }
 *                                        (web/ncs/ncs.js documents both)
 *   ncs.stop()                        end the running request now
 *
 * Requests run one after another. The interpreter's own limits end every run; two
 * things end one from here instead, both reported as error kind "limit" with name
 * "STOPPED": ncs.stop(), and a run still going 2 s after its deadlineMs (the
 * interpreter reads the clock every 1024 steps, so only a single long builtin
 * could get there). Either way the worker is replaced by a fresh one. When ncs.wasm
 * cannot start, every run fails with kind "runtime", name "NO_INTERPRETER". */
(function () {
	'use strict';

	const GRACE_MS = 2000;
	let worker = null;
	let ready = null;
	let queue = [];      /* { source, options, resolve } waiting */
	let current = null;  /* the request the worker is running, with its timer */
	let nextId = 1;

	function failure(kind, name, message) {
		return { ok: false, value: null, output: '', error: { kind, name, message, file: null, line: null,
			column: null, text: message }, steps: 0, peakAllocBytes: 0, timeMs: 0 };
	}
	const stopped = (message) => failure('limit', 'STOPPED', message);

	function start() {
		const source = `(${ncsWorkerMain.toString()})();`;
		const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
		worker = new Worker(url);
		URL.revokeObjectURL(url);
		ready = new Promise((resolve, reject) => {
			worker.onmessage = (event) => {
				const m = event.data;
				if (m.type === 'ready')
					resolve({ capabilities: m.capabilities, startMs: m.startMs });
				else if (m.type === 'failed')
					reject(new Error(`ncs.wasm did not start: ${m.message}`));
				else if (m.type === 'result' && current && current.id === m.id)
					finish(m.result);
			};
			worker.onerror = (event) => reject(new Error(`the interpreter's worker failed: ${event.message}`));
		});
		ready.catch(() => {});
	}

	function finish(result) {
		clearTimeout(current.timer);
		const { resolve } = current;
		current = null;
		resolve(result);
		pump();
	}

	function pump() {
		if (current || queue.length === 0)
			return;
		current = queue.shift();
		current.id = nextId++;
		const deadline = current.options && current.options.deadlineMs;
		if (typeof deadline === 'number' && deadline > 0)
			current.timer = setTimeout(() => restart(
				`the page stopped the run ${GRACE_MS} ms after its ${deadline} ms deadline`), deadline + GRACE_MS);
		const { id, source, options } = current;
		ready.then(() => worker.postMessage({ id, source, options }),
			(e) => current && current.id === id && finish(failure('runtime', 'NO_INTERPRETER', e.message)));
	}

	/* End the worker and whatever it runs; queued requests go on in a fresh one. */
	function restart(message) {
		worker.terminate();
		start();
		if (current)
			finish(stopped(message));
	}

	window.ncs = {
		ready: () => ready,
		run(source, options) {
			return new Promise((resolve) => {
				queue.push({ source, options, resolve });
				pump();
			});
		},
		stop() {
			if (current)
				restart('stopped from the page');
		},
	};
	start();
})();
