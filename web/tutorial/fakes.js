/* The tutorial's fake host: small JavaScript stand-ins for the effects NexaCore's
 * services provide (fs, net, ai, agent), so lessons can show a granted effect doing
 * something. Nothing here touches a real file, network, model or agent.
 *
 * What they decide: only the reply. Whether a call reaches them at all is decided
 * before, by the real interpreter (ncs.wasm): the calling module's
 * #![capabilities(...)] header and the host's grants (the `allow` option) with
 * lib/scope's scope rules.
 *
 *   const host = NcsFakes.create();
 *   host.reset();                       // before each run: the files as shipped
 *   host.serve("fs.read", ["/etc/nexacore/motd"], "fs::read")  -> "Welcome to NexaCore ..."
 *   NcsFakes.FILES                      // the fake file system, for display
 * serve() follows the `effects` contract of web/ncs/ncs.js: it returns a String,
 * an array of Strings or undefined, or throws an Error. Replies are deterministic. */
(function (root) {
	'use strict';

	const FILES = {
		'/etc/nexacore/motd': 'Welcome to NexaCore. Every effect is denied until a capability grants it.\n',
		'/etc/nexacore/notes/a.txt': 'Capabilities are granted, never assumed.\n',
		'/etc/nexacore/notes/words.txt': 'to be or not to be that is the question\n',
		'/etc/passwd': 'root:x:0:0:root:/root:/bin/sh\n',
		'/home/guest/reports/today.txt': 'Build green. Two reviews pending. Lunch at noon.\n',
	};

	/* Names directly inside directory dir (sorted, as `ncs` lists a real one): the
	 * files' paths and the directories fs::mkdir made (dirs) imply the tree. */
	function list(files, dirs, dir) {
		const prefix = dir === '/' ? '/' : dir + '/';
		const names = new Set();
		for (const path of [...Object.keys(files), ...dirs])
			if (path.startsWith(prefix))
				names.add(path.slice(prefix.length).split('/')[0]);
		if (names.size === 0)
			throw new Error(`${dir}: no such directory (fake file system)`);
		return [...names].sort();
	}

	/* A small stable hash, so fake embeddings and labels do not vary between runs. */
	function hash(s) {
		let h = 2166136261;
		for (let i = 0; i < s.length; i++)
			h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
		return h;
	}

	function classify(text, labels) {
		const choices = labels ? labels.split(',').map((l) => l.trim()).filter(Boolean) : ['positive', 'negative'];
		const lower = text.toLowerCase();
		const named = choices.find((l) => lower.includes(l.toLowerCase()));
		if (named)
			return named;
		if (!labels)
			return /\b(no|not|bad|fail|broken|denied)\b/.test(lower) ? 'negative' : 'positive';
		return choices[hash(text) % choices.length];
	}

	function create() {
		let files = {};
		let dirs = new Set(); /* made by fs::mkdir */
		const inside = (path) => [...Object.keys(files), ...dirs].some((p) => p.startsWith(path + '/'));
		/* By the script's call: fs.write's grant covers four of them. */
		const handlers = {
			'fs::read': ([path]) => {
				if (!(path in files))
					throw new Error(`${path}: no such file (fake file system)`);
				return files[path];
			},
			'fs::write': ([path, data]) => {
				files[path] = data === undefined ? '' : data;
				return undefined;
			},
			'fs::append': ([path, data]) => {
				files[path] = (files[path] || '') + (data === undefined ? '' : data);
				return undefined;
			},
			'fs::remove': ([path]) => {
				if (path in files)
					delete files[path];
				else if (inside(path))
					throw new Error(`${path}: directory not empty (fake file system)`);
				else if (!dirs.has(path))
					throw new Error(`${path}: no such file or directory (fake file system)`);
				else
					dirs.delete(path);
				return undefined;
			},
			'fs::mkdir': ([path]) => {
				if (path in files || dirs.has(path) || inside(path))
					throw new Error(`${path}: already exists (fake file system)`);
				dirs.add(path);
				return undefined;
			},
			'fs::list': ([dir]) => list(files, dirs, dir),
			'net::connect': ([addr]) => `[fake net] connected to ${addr}`,
			'net::send': ([addr, data]) => `[fake net] sent ${(data || '').length} bytes to ${addr}`,
			'net::recv': ([addr]) => `[fake net] hello from ${addr}`,
			/* net::fetch's handler answers with a head, an empty line and the body (nc/ncs.h) */
			'net::fetch': ([, url]) => `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n[fake net] the page at ${url}`,
			'ai::invoke': ([model, prompt]) =>
				`[fake model ${model}] You asked ${JSON.stringify(prompt || '')}; a real model would answer here.`,
			'ai::stream': ([model, prompt]) => `[fake model ${model}] (streamed) ${prompt || ''}`,
			'ai::embed': ([, text]) => {
				const h = hash(text || '');
				return [0, 1, 2, 3].map((i) => (((h >>> (8 * i)) & 255) / 255).toFixed(3));
			},
			'ai::classify': ([, text, labels]) => classify(text || '', labels),
			'agent::task': ([goal]) => `[fake agent] accepted: ${goal}`,
		};
		return {
			reset() {
				files = Object.assign({}, FILES);
				dirs = new Set();
			},
			serve(capability, args, call) {
				const h = handlers[call];
				if (!h)
					throw new Error(`no fake for ${call} (capability ${capability})`);
				return h(args);
			},
		};
	}

	root.NcsFakes = { create, FILES };
})(typeof self !== 'undefined' ? self : this);
