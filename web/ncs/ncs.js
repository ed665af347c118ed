/* ncScript in the browser: the real lib/ncs compiled to WebAssembly (ncs.wasm,
 * web/ncs/embed.h), wrapped as
 *
 *   const ncs = NcsWasm.create(wasmBytes, effects);
 *   ncs.run(source, options) -> { ok, value, output, error, steps, peakAllocBytes, timeMs }
 *   ncs.capabilities()        -> ["fs.read", ...], the capabilities the interpreter knows
 *   ncs.memoryBytes()         -> the module's linear memory now (it only grows)
 *
 * options (every field optional; numbers are whole and >= 0, 0 meaning no limit as
 * for `ncs run`):
 *   maxSteps, maxAllocBytes, deadlineMs, maxCallDepth   the `ncs run` limits
 *   maxOutputBytes    bytes print may write (no `ncs` flag; 0: unlimited)
 *   allow             ["fs.read=/etc/nexacore", "ai.invoke", ...]: the host's grants,
 *                     `ncs run --allow` syntax: CAP[=SCOPE]; fs.* need an absolute
 *                     path, the others default to "*" (any name)
 *   fileName          the main script's name in messages ("main.ncs")
 *   files             { "geo.ncs": src, "util/strs.ncs": src }: what `use geo::x`
 *                     and `use util::strs::y` load (the layout `ncs` reads from disk)
 * Result: value is main's value as `ncs` prints it after "=> " (null when main
 * returned () or the run failed); output is everything print wrote (also on error);
 * error is null or { kind, name, message, file, line, column, text } with kind
 * "compile", "runtime", "limit" or "capability" (the `ncs` exit statuses 1-4; host
 * failures such as running out of memory count as "runtime", as in `ncs`), or
 * "usage" for bad options (where `ncs` exits 64). line and column are 1-based
 * (characters), null when the error has no position; text is the full message with
 * the source line and caret.
 *
 * effects(capability, args, call) serves a granted effect: capability is "fs.read"
 * etc., call the script's function ("fs::read"; one capability can cover several:
 * fs.write grants fs::write, fs::append, fs::remove and fs::mkdir, as `ncs run
 * --allow fs.write` does), args the script's Strings (for fs.* the normalised path
 * first). It returns a
 * String, an array of Strings (fs.list, ai.embed) or undefined (unit), or throws an
 * Error whose message becomes the script's NC_NCS_ERR_EFFECT. The interpreter has
 * already checked the script's header and the grant's scope before it is called.
 *
 * effects must not call run() (that gives a usage error).
 *
 * Synchronous: run() blocks until the interpreter returns (its limits end every
 * run); call it in a Worker to keep a page responsive. Works in browsers and Node.
 * Failures outside the interpreter: error name NC_NCS_ERR_NOMEM (kind "runtime")
 * when the sources do not fit in the module's 512 MiB, TRAP when the module traps
 * (it is then instantiated afresh). */
(function (root) {
	'use strict';

	const KIND_OF_CLASS = ['', 'compile', 'runtime', 'limit', 'capability', 'runtime'];
	const LIMIT_OPTIONS = ['maxSteps', 'maxAllocBytes', 'deadlineMs', 'maxCallDepth', 'maxOutputBytes'];
	const utf8 = new TextEncoder();
	const text = new TextDecoder();

	/* The inputs (or an effect's reply) do not fit in the module's memory. */
	class OutOfMemory extends Error {}

	/* A run that failed before or outside the interpreter. */
	function failure(kind, name, message) {
		return { ok: false, value: null, output: '', error: { kind, name, message, file: null, line: null,
			column: null, text: message }, steps: 0, peakAllocBytes: 0, timeMs: 0 };
	}
	const usageError = (message) => failure('usage', 'USAGE', message);

	/* "main.ncs:3:13: error: Int overflow in + [NC_NCS_ERR_OVERFLOW]" and the lines after it. */
	function parseMessage(kind, name, full) {
		const first = full.split('\n', 1)[0];
		let m = /^(.*?):(\d+):(\d+): error: (.*) \[\w+\]$/.exec(first);
		if (m)
			return { kind, name, message: m[4], file: m[1], line: +m[2], column: +m[3], text: full };
		m = /^(.*?): error: (.*) \[\w+\]$/.exec(first);
		return { kind, name, message: m ? m[2] : first, file: m ? m[1] : null, line: null, column: null,
			text: full };
	}

	function create(wasmBytes, effects) {
		const compiled = new WebAssembly.Module(wasmBytes);
		let ex = null;
		let capabilities = [];  /* per effect number: its capability name */
		let calls = [];         /* per effect number: the script's call */
		let busy = false; /* a run is in progress (effects must not start another) */

		const bytes = () => new Uint8Array(ex.memory.buffer);
		const readBytes = (ptr, len) => text.decode(bytes().subarray(ptr, ptr + len));
		const readCString = (ptr) => {
			const b = bytes();
			let end = ptr;
			while (b[end])
				end++;
			return text.decode(b.subarray(ptr, end));
		};
		/* s as NUL-terminated UTF-8 in memory from alloc(n); returns [ptr, length]. */
		function write(s, alloc) {
			const data = utf8.encode(s);
			const ptr = alloc(data.length + 1);
			if (!ptr)
				throw new OutOfMemory();
			const b = bytes();
			b.set(data, ptr);
			b[ptr + data.length] = 0;
			return [ptr, data.length];
		}

		function serveEffect(fx, argsPtr, nArgs) {
			const words = new Uint32Array(ex.memory.buffer, argsPtr, nArgs * 2);
			const args = [];
			for (let i = 0; i < nArgs; i++)
				args.push(readBytes(words[2 * i], words[2 * i + 1]));
			let reply;
			try {
				reply = effects(capabilities[fx], args, calls[fx]);
			} catch (e) {
				const [ptr, len] = write(String(e && e.message !== undefined ? e.message : e), ex.nc_wasm_scratch);
				ex.nc_wasm_effect_fail(ptr, len);
				return 1;
			}
			const texts = reply === undefined || reply === null ? [] : Array.isArray(reply) ? reply : [reply];
			for (const t of texts) {
				let ptr, len;
				try {
					[ptr, len] = write(String(t), ex.nc_wasm_scratch);
				} catch (e) {
					[ptr, len] = write('the reply does not fit in memory', ex.nc_wasm_scratch);
					ex.nc_wasm_effect_fail(ptr, len);
					return 1;
				}
				if (ex.nc_wasm_reply_text(ptr, len) !== 0)
					return 1;
			}
			return 0;
		}

		function instantiate() {
			const instance = new WebAssembly.Instance(compiled, { ncs_host: {
				clock_us: () => performance.now() * 1000,
				effect: serveEffect,
			} });
			ex = instance.exports;
			capabilities = [];
			calls = [];
			for (let fx = 0; ; fx++) {
				const p = ex.nc_wasm_effect_name(fx);
				if (!p)
					break;
				capabilities.push(readCString(p));
				calls.push(readCString(ex.nc_wasm_effect_call(fx)));
			}
		}
		instantiate();

		/* The capability names, each once. */
		function known() {
			return [...new Set(capabilities)];
		}

		/* The options checked and converted, or a string saying what is wrong. */
		function checkOptions(options) {
			const limits = {};
			for (const key of LIMIT_OPTIONS) {
				const v = options[key] === undefined ? 0 : options[key];
				if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
					return `${key} needs a non-negative whole number`;
				limits[key] = v;
			}
			if (limits.maxCallDepth > 0xffffffff)
				return 'maxCallDepth is at most 4294967295';
			const grants = [];
			const allow = options.allow === undefined ? [] : options.allow;
			if (!Array.isArray(allow))
				return 'allow needs an array of "CAP=SCOPE" strings';
			for (const spec of allow) {
				if (typeof spec !== 'string')
					return 'allow needs an array of "CAP=SCOPE" strings';
				const eq = spec.indexOf('=');
				const cap = eq < 0 ? spec : spec.slice(0, eq);
				if (!capabilities.includes(cap))
					return `no host handler for capability \`${cap}\` (known: ${known().join(', ')})`;
				let scope = eq < 0 ? '*' : spec.slice(eq + 1);
				if (cap.startsWith('fs.') && (eq < 0 || !scope.startsWith('/')))
					return `allow ${cap} needs =/absolute/dir`;
				if (scope === '')
					return `allow ${cap}= needs a scope`;
				capabilities.forEach((c, fx) => c === cap && grants.push([fx, scope]));
			}
			const files = options.files === undefined ? {} : options.files;
			if (typeof files !== 'object' || files === null || Array.isArray(files))
				return 'files needs an object mapping file names to sources';
			const modules = [];
			for (const [file, src] of Object.entries(files)) {
				if (!/^[A-Za-z_]\w*(\/[A-Za-z_]\w*)*\.ncs$/.test(file))
					return `files: ${JSON.stringify(file)} is not a module file name like geo.ncs or util/strs.ncs`;
				if (typeof src !== 'string')
					return `files: the source of ${file} needs to be a string`;
				modules.push([file.slice(0, -4).split('/').join('::'), file, src]);
			}
			const fileName = options.fileName === undefined ? 'main.ncs' : options.fileName;
			if (typeof fileName !== 'string' || fileName === '')
				return 'fileName needs a non-empty string';
			return { limits, grants, modules, fileName };
		}

		function summary() {
			const view = new DataView(ex.memory.buffer, ex.nc_wasm_result(), 56);
			const u32 = (off) => view.getUint32(off, true);
			return {
				err: u32(0), errClass: u32(4), kind: u32(8),
				errName: readCString(u32(12)),
				value: u32(16) ? readBytes(u32(16), u32(20)) : null,
				output: u32(24) ? readBytes(u32(24), u32(28)) : '',
				message: u32(32) ? readBytes(u32(32), u32(36)) : '',
				steps: view.getFloat64(40, true),
				peak: view.getFloat64(48, true),
			};
		}

		function run(source, options) {
			if (busy)
				return usageError('run() was called from inside an effect');
			if (typeof source !== 'string')
				return usageError('the source needs to be a string');
			const opts = checkOptions(options === undefined ? {} : options);
			if (typeof opts === 'string')
				return usageError(opts);
			const input = ex.nc_wasm_input;
			let t0, t1;
			busy = true;
			try {
				ex.nc_wasm_reset();
				for (const [path, file, src] of opts.modules) {
					const [srcPtr, srcLen] = write(src, input);
					if (!ex.nc_wasm_add_module(write(path, input)[0], write(file, input)[0], srcPtr, srcLen))
						return usageError('too many files for the module table of ncs.wasm (embed.h)');
				}
				for (const [fx, scope] of opts.grants)
					if (!ex.nc_wasm_add_handler(fx, write(scope, input)[0]))
						return usageError('too many allow grants for ncs.wasm (embed.h)');
				const [filePtr] = write(opts.fileName, input);
				const [srcPtr, srcLen] = write(source, input);
				const l = opts.limits;
				t0 = performance.now();
				ex.nc_wasm_run(filePtr, srcPtr, srcLen, l.maxSteps, l.maxAllocBytes, l.deadlineMs * 1000,
					l.maxCallDepth, l.maxOutputBytes);
				t1 = performance.now();
			} catch (e) {
				if (e instanceof OutOfMemory)
					return failure('runtime', 'NC_NCS_ERR_NOMEM', 'the sources do not fit in the module\'s memory');
				/* A trap (the wasm stack overflowing, say) leaves the instance unusable. */
				instantiate();
				return failure('runtime', 'TRAP', `the WebAssembly module trapped: ${e.message}`);
			} finally {
				busy = false;
			}
			const s = summary();
			const ok = s.err === 0;
			return {
				ok,
				value: ok && s.kind !== 0 ? s.value : null,
				output: s.output,
				error: ok ? null : parseMessage(KIND_OF_CLASS[s.errClass], s.errName, s.message),
				steps: s.steps,
				peakAllocBytes: s.peak,
				timeMs: t1 - t0,
			};
		}

		return { run, capabilities: known, memoryBytes: () => ex.memory.buffer.byteLength };
	}

	const api = { create };
	if (typeof module === 'object' && module.exports)
		module.exports = api;
	else
		root.NcsWasm = api;
})(typeof self !== 'undefined' ? self : this);
