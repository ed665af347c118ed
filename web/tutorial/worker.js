/* The tutorial's Web Worker: runs ncs.wasm (web/ncs/ncs.js) with the fake host
 * (fakes.js), one request at a time, so a long run never blocks the page. The
 * build wraps this file with ncs.js, fakes.js and the module's bytes into
 * ncs-worker.js (function ncsWorkerMain, NCS_WASM_BASE64); ncs-client.js starts it.
 *
 * Messages: in  { id, source, options }            (options as for NcsWasm run)
 *           out { type: "ready", capabilities, startMs } once, or
 *               { type: "failed", message } when the module cannot start,
 *               { type: "result", id, result } per request. */
const host = NcsFakes.create();
let interpreter = null;
try {
	const t0 = performance.now();
	const binary = atob(NCS_WASM_BASE64);
	const bytes = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++)
		bytes[i] = binary.charCodeAt(i);
	interpreter = NcsWasm.create(bytes, host.serve);
	postMessage({ type: 'ready', capabilities: interpreter.capabilities(), startMs: performance.now() - t0 });
} catch (e) {
	postMessage({ type: 'failed', message: String(e && e.message ? e.message : e) });
}

onmessage = (event) => {
	const { id, source, options } = event.data;
	host.reset(); /* every run sees the fake files as shipped */
	postMessage({ type: 'result', id, result: interpreter.run(source, options) });
};
