/* The ncScript programs of lib/ncs's own test suite, for parity runs (native `ncs`
 * against the page's window.ncs.run): every run of adjacent C string literals in
 * tests/lib/ncs/*_test.c, after the C preprocessor has expanded the helper macros
 * (M(...), SEED_MATCH, ...), that holds a `fn main`, decoded to UTF-8; plus the
 * fuzzer's seed files. Stringified C expressions (NC_CHECK messages) and sources
 * that are not valid UTF-8 are left out. Shared by tutorial_test.js and the bench. */
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

/* Bytes of one C string literal's body (between the quotes, one char per byte as
 * read in latin1), escapes decoded. */
function decodeLiteral(body) {
	const out = [];
	const simple = { n: 10, t: 9, r: 13, 0: 0, '\\': 92, '"': 34, "'": 39, a: 7, b: 8, f: 12, v: 11, '?': 63 };
	for (let i = 0; i < body.length; i++) {
		const c = body[i];
		if (c !== '\\') {
			out.push(c.charCodeAt(0));
			continue;
		}
		const e = body[++i];
		if (e === 'x') { /* greedy, as in C */
			let j = i + 1;
			while (j < body.length && /[0-9a-fA-F]/.test(body[j]))
				j++;
			out.push(parseInt(body.slice(i + 1, j), 16) & 255);
			i = j - 1;
		} else if (/[0-7]/.test(e) && e !== '0' || (e === '0' && /[0-7]/.test(body[i + 1] || ''))) {
			let j = i;
			while (j < i + 3 && /[0-7]/.test(body[j]))
				j++;
			out.push(parseInt(body.slice(i, j), 8) & 255);
			i = j - 1;
		} else if (e in simple) {
			out.push(simple[e]);
		} else {
			throw new Error(`unknown escape \\${e}`);
		}
	}
	return Buffer.from(out);
}

/* Runs of adjacent string literals in preprocessed C text, as byte buffers. */
function literalRuns(text) {
	const runs = [];
	let i = 0;
	let current = null;
	while (i < text.length) {
		const c = text[i];
		if (c === "'") { /* a char constant such as '"' */
			i++;
			while (i < text.length && text[i] !== "'")
				i += text[i] === '\\' ? 2 : 1;
			i++;
			current = null;
		} else if (c === '"') {
			let j = i + 1;
			while (text[j] !== '"')
				j += text[j] === '\\' ? 2 : 1;
			const bytes = decodeLiteral(text.slice(i + 1, j));
			if (current)
				current.push(bytes);
			else
				runs.push(current = [bytes]);
			i = j + 1;
		} else {
			if (!/\s/.test(c))
				current = null;
			i++;
		}
	}
	return runs.map((parts) => Buffer.concat(parts));
}

function suitePrograms(root) {
	const dir = path.join(root, 'tests/lib/ncs');
	const utf8 = new TextDecoder('utf-8', { fatal: true });
	const seen = new Set();
	const programs = [];
	const add = (src, from) => {
		if (!seen.has(src)) {
			seen.add(src);
			programs.push({ src, from });
		}
	};
	for (const file of fs.readdirSync(dir).sort()) {
		if (!file.endsWith('_test.c') || file.endsWith('_host_test.c'))
			continue;
		const text = execFileSync('gcc', ['-E', '-P', '-D', 'NC_HOSTED=1', '-Ilib/ncs/include', '-Ilib/base/include',
			'-Itests/harness', path.join('tests/lib/ncs', file)], { cwd: root, encoding: 'latin1',
			maxBuffer: 64 << 20 });
		/* latin1 keeps every byte as one char, so literals decode byte for byte */
		for (const bytes of literalRuns(text)) {
			let src;
			try {
				src = utf8.decode(bytes);
			} catch (e) {
				continue;
			}
			if (src.includes('fn main') && !/nt_run|nt_check|NC_CHECK|nt_expect/.test(src))
				add(src, file);
		}
	}
	const seeds = path.join(dir, 'fuzz_seeds');
	for (const file of fs.readdirSync(seeds).sort()) {
		try {
			add(utf8.decode(fs.readFileSync(path.join(seeds, file))), `fuzz_seeds/${file}`);
		} catch (e) { /* not UTF-8: skip */ }
	}
	return programs;
}

module.exports = { suitePrograms, decodeLiteral, literalRuns };
