/* The tutorial page: lesson navigation, the editor with one tab per file, the
 * Host panel (budget and grants), Run/Reset and the output. The interpreter is
 * window.ncs (ncs-client.js); lessons come from lessons.js. Edits, the open lesson
 * and solved exercises are kept in localStorage, so a reload loses nothing. */
(function () {
	'use strict';

	const { LESSONS, HOST_DEFAULTS } = window.NcsLessons;
	const STORE_KEY = 'ncs-tutorial-1';
	const LIMITS = ['maxSteps', 'maxAllocBytes', 'deadlineMs', 'maxCallDepth'];
	const FLAGS = { maxSteps: '--max-steps', maxAllocBytes: '--max-alloc', deadlineMs: '--deadline-ms',
		maxCallDepth: '--max-depth' };
	const MAX_OUTPUT_BYTES = 1 << 20; /* what print may write per run: keeps the page light */
	const $ = (id) => document.getElementById(id);

	let store = readStore();
	let index = 0;
	let files = {};       /* this lesson's working copy: name -> source */
	let host = {};        /* this lesson's host settings: the fields of HOST_DEFAULTS */
	let active = '';      /* the file the editor shows */
	let running = false;

	const editor = new NcsEditor($('editor'), { onRun: run, onChange: (text) => {
		files[active] = text;
		save();
	} });

	function readStore() {
		try {
			const s = JSON.parse(localStorage.getItem(STORE_KEY));
			if (s && typeof s === 'object' && s.edits && s.solved)
				return s;
		} catch (e) { /* unreadable or unavailable storage: start afresh */ }
		return { edits: {}, solved: {} };
	}

	function writeStore() {
		try {
			localStorage.setItem(STORE_KEY, JSON.stringify(store));
		} catch (e) { /* storage full or disabled (a file:// page may have none): keep going */ }
	}

	function lessonHost(lesson) {
		const h = Object.assign({}, HOST_DEFAULTS, lesson.host || {});
		h.allow = h.allow.slice();
		return h;
	}

	function save() {
		store.edits[LESSONS[index].id] = { files: Object.assign({}, files), host: Object.assign({}, host) };
		writeStore();
	}

	/* ---------- lesson navigation ---------- */

	function buildNav() {
		const list = $('lesson-list');
		LESSONS.forEach((lesson, i) => {
			const li = document.createElement('li');
			const a = document.createElement('a');
			a.href = `#${lesson.id}`;
			a.textContent = String(i + 1);
			a.title = lesson.title;
			a.setAttribute('aria-label', `Lesson ${i + 1}: ${lesson.title}`);
			li.appendChild(a);
			list.appendChild(li);
		});
	}

	function markNav() {
		const nav = document.querySelector('.lesson-nav');
		document.querySelectorAll('#lesson-list a').forEach((a, i) => {
			a.classList.toggle('current', i === index);
			a.classList.toggle('solved', !!store.solved[LESSONS[i].id]);
			if (i === index) {
				a.setAttribute('aria-current', 'step');
				/* on a narrow screen the list scrolls sideways: keep the current one in view */
				nav.scrollLeft = a.offsetLeft - (nav.clientWidth - a.offsetWidth) / 2;
			} else {
				a.removeAttribute('aria-current');
			}
		});
	}

	function indexFromHash() {
		const id = decodeURIComponent(location.hash.slice(1));
		const i = LESSONS.findIndex((l) => l.id === id);
		return i < 0 ? null : i;
	}

	/* Show lesson i now (a key pressed before the hashchange event would otherwise
	 * still see the old lesson), then record it in the URL. */
	function go(i) {
		if (i >= 0 && i < LESSONS.length && i !== index) {
			show(i);
			location.hash = LESSONS[i].id;
		}
	}

	function show(i) {
		index = i;
		const lesson = LESSONS[i];
		const edits = store.edits[lesson.id];
		files = Object.assign({}, lesson.files, edits ? edits.files : {});
		host = lessonHost(lesson);
		if (edits && edits.host) /* saved settings, where they are still well-formed */
			for (const key of Object.keys(host))
				if (key === 'allow' ? Array.isArray(edits.host.allow) : Number.isSafeInteger(edits.host[key]))
					host[key] = edits.host[key];
		store.last = lesson.id;
		writeStore();
		$('lesson-count').textContent = `Lesson ${i + 1} of ${LESSONS.length}`;
		$('lesson-title').textContent = lesson.title;
		$('lesson-text').innerHTML = lesson.text;
		document.title = `${lesson.title} · ncScript tutorial`;
		$('prev').disabled = i === 0;
		$('next').disabled = i === LESSONS.length - 1;
		markNav();
		buildTabs(Object.keys(lesson.files)[0]);
		showHost();
		if (lesson.host)
			$('host-panel').open = true;
		clearOutput();
	}

	/* ---------- files ---------- */

	function buildTabs(selected) {
		const tabs = $('file-tabs');
		tabs.innerHTML = '';
		for (const name of Object.keys(files)) {
			const b = document.createElement('button');
			b.type = 'button';
			b.className = 'tab';
			b.setAttribute('role', 'tab');
			b.dataset.file = name;
			b.textContent = name;
			b.addEventListener('click', () => selectFile(name));
			tabs.appendChild(b);
		}
		selectFile(selected);
	}

	function selectFile(name) {
		active = name;
		document.querySelectorAll('#file-tabs .tab').forEach((b) => {
			const on = b.dataset.file === name;
			b.classList.toggle('active', on);
			b.setAttribute('aria-selected', on ? 'true' : 'false');
		});
		editor.value = files[name];
	}

	/* ---------- host panel ---------- */

	function number(text) {
		const t = text.trim().replace(/[_,\s]/g, '');
		return t === '' ? 0 : Number(t);
	}

	function showHost() {
		for (const key of LIMITS)
			$(`h-${key}`).value = String(host[key]);
		$('h-allow').value = host.allow.join(' ');
		describeHost();
	}

	function readHost() {
		for (const key of LIMITS) {
			host[key] = number($(`h-${key}`).value);
			$(`h-${key}`).classList.toggle('invalid', !Number.isSafeInteger(host[key]) || host[key] < 0);
		}
		host.allow = $('h-allow').value.split(/\s+/).filter(Boolean);
		describeHost();
		save();
	}

	/* 10000000 -> "10M steps", 67108864 -> "64 MiB", 0 -> "no step limit". */
	function short(n, unit) {
		if (!Number.isSafeInteger(n))
			return `? ${unit}`;
		if (n === 0)
			return unit === 'bytes' ? 'no memory limit' : 'no step limit';
		if (unit === 'bytes')
			for (const [size, name] of [[1 << 30, 'GiB'], [1 << 20, 'MiB'], [1 << 10, 'KiB']])
				if (n >= size && n % size === 0)
					return `${n / size} ${name}`;
		for (const [size, name] of [[1e9, 'G'], [1e6, 'M'], [1e3, 'k']])
			if (n >= size && n % size === 0)
				return `${n / size}${name} ${unit}`;
		return `${n.toLocaleString('en-US')} ${unit}`;
	}

	function describeHost() {
		const args = [`ncs run ${Object.keys(files)[0]}`];
		for (const key of LIMITS)
			if (host[key])
				args.push(`${FLAGS[key]} ${host[key]}`);
		for (const a of host.allow)
			args.push(`--allow ${a}`);
		$('cmdline').textContent = args.join(' ');
		$('host-summary').textContent = [short(host.maxSteps, 'steps'), short(host.maxAllocBytes, 'bytes'),
			host.deadlineMs ? `${host.deadlineMs} ms` : 'no deadline', host.maxCallDepth ? `depth ${host.maxCallDepth}` : 'depth 100000',
			host.allow.length ? `grants ${host.allow.join(' ')}` : 'no grants'].join(' · ');
	}

	/* ---------- running ---------- */

	function clearOutput() {
		editor.clearError();
		$('output').innerHTML = '<p class="placeholder">Run the code to see what it prints.</p>';
		$('output').dataset.state = 'idle';
		$('status').textContent = '';
	}

	function setRunning(on) {
		running = on;
		const b = $('run');
		b.classList.toggle('stop', on);
		b.innerHTML = on ? '<span aria-hidden="true">■</span> Stop' :
			'<span aria-hidden="true">▶</span> Run <kbd>Ctrl+Enter</kbd>';
		b.title = on ? 'Stop the run' : 'Run (Ctrl+Enter)';
	}

	async function run() {
		if (running) {
			window.ncs.stop();
			return;
		}
		readHost();
		const lesson = LESSONS[index];
		const [main, ...modules] = Object.keys(files);
		const options = { maxSteps: host.maxSteps, maxAllocBytes: host.maxAllocBytes, deadlineMs: host.deadlineMs,
			maxCallDepth: host.maxCallDepth, maxOutputBytes: MAX_OUTPUT_BYTES, allow: host.allow, fileName: main,
			files: Object.fromEntries(modules.map((m) => [m, files[m]])) };
		setRunning(true);
		$('status').textContent = 'running…';
		$('output').dataset.state = 'running';
		const ranLesson = index;
		const result = await window.ncs.run(files[main], options);
		setRunning(false);
		if (ranLesson === index)
			showResult(result, lesson);
	}

	function el(tag, cls, text) {
		const e = document.createElement(tag);
		if (cls)
			e.className = cls;
		if (text !== undefined)
			e.textContent = text;
		return e;
	}

	function showResult(r, lesson) {
		const out = $('output');
		out.innerHTML = '';
		out.dataset.state = r.ok ? 'ok' : r.error.kind;
		if (r.output)
			out.appendChild(el('pre', 'printed', r.output));
		if (r.ok && r.value !== null) {
			const v = el('div', 'value');
			v.append(el('span', 'arrow', '=> '), el('span', '', r.value));
			out.appendChild(v);
		}
		if (r.ok && !r.output && r.value === null)
			out.appendChild(el('p', 'placeholder', 'No output; main returned ().'));
		if (!r.ok)
			out.appendChild(errorBox(r.error));
		if (lesson.check && r.ok)
			out.appendChild(checkBox(lesson, r.value));
		/* steps are exact for a finished run; a failed one reports only part of them */
		const parts = [r.ok ? 'ok' : r.error.kind];
		if (r.ok)
			parts.push(`${r.steps.toLocaleString('en-US')} steps`);
		if (r.ok || r.error.kind !== 'usage')
			parts.push(`${r.peakAllocBytes.toLocaleString('en-US')} bytes peak`, `${r.timeMs.toFixed(1)} ms`);
		$('status').textContent = parts.join(' · ');
		if (!r.ok && r.error.line && r.error.file in files) {
			if (r.error.file !== active)
				selectFile(r.error.file);
			editor.markError(r.error.line, r.error.column);
		}
	}

	function errorBox(e) {
		const box = el('div', `error kind-${e.kind}`);
		const head = el('div', 'error-head');
		head.appendChild(el('span', `badge kind-${e.kind}`, e.kind));
		if (e.line) {
			const where = el('button', 'where', `${e.file}:${e.line}:${e.column}`);
			where.type = 'button';
			where.title = 'Show this line';
			where.addEventListener('click', () => {
				if (e.file in files && e.file !== active)
					selectFile(e.file);
				editor.markError(e.line, e.column);
				editor.focusLine(e.line);
			});
			head.appendChild(where);
		}
		head.appendChild(el('span', 'message', e.message));
		box.appendChild(head);
		const detail = e.text.split('\n').slice(1).join('\n').replace(/\n+$/, '');
		if (detail)
			box.appendChild(el('pre', 'detail', detail));
		box.appendChild(el('div', 'error-name', e.name));
		return box;
	}

	function checkBox(lesson, value) {
		const solved = value === lesson.check.value;
		if (solved) {
			store.solved[lesson.id] = true;
			writeStore();
			markNav();
		}
		const box = el('div', `check ${solved ? 'solved' : 'unsolved'}`);
		box.textContent = solved ? `Solved: main returned ${value}. Well done!`
			: `Not yet: ${lesson.check.hint}`;
		return box;
	}

	function reset() {
		delete store.edits[LESSONS[index].id];
		writeStore();
		show(index);
	}

	/* ---------- keys and start ---------- */

	function typing(target) {
		return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
	}

	document.addEventListener('keydown', (e) => {
		if (e.defaultPrevented)
			return;
		if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
			e.preventDefault();
			run();
		} else if (e.altKey && (e.key === 'PageUp' || e.key === 'PageDown')) {
			e.preventDefault();
			go(index + (e.key === 'PageUp' ? -1 : 1));
		} else if (!typing(e.target) && !e.altKey && !e.ctrlKey && !e.metaKey &&
			   (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
			e.preventDefault();
			go(index + (e.key === 'ArrowLeft' ? -1 : 1));
		}
	});
	$('run').addEventListener('click', run);
	$('reset').addEventListener('click', reset);
	$('prev').addEventListener('click', () => go(index - 1));
	$('next').addEventListener('click', () => go(index + 1));
	for (const key of [...LIMITS, 'allow'])
		$(`h-${key}`).addEventListener('input', readHost);
	window.addEventListener('hashchange', () => {
		const i = indexFromHash();
		if (i !== null && i !== index)
			show(i);
	});

	$('fake-files').textContent = Object.keys(window.NcsFakes.FILES).join(', ');
	buildNav();
	const first = indexFromHash();
	const last = LESSONS.findIndex((l) => l.id === store.last);
	show(first !== null ? first : Math.max(0, last));
	window.ncs.ready().then((info) => {
		if (!running && $('status').textContent === '')
			$('status').textContent = `interpreter ready (${info.startMs.toFixed(0)} ms)`;
	}, (e) => {
		$('status').textContent = e.message;
	});
})();
