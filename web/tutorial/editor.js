/* A small code editor for ncScript: a transparent <textarea> over a highlighted
 * <pre> with the same metrics, and a gutter of line numbers. No library.
 *
 *   const ed = new NcsEditor(element, { onRun, onChange });
 *   ed.value = "fn main() {}";   ed.value      the text
 *   ed.markError(line, column)  underline the character, flag the line (1-based)
 *   ed.clearError()             ed.focusLine(line)
 * Keys in the text: Tab indents by four spaces, Shift+Tab outdents, Enter keeps the
 * line's indentation, Ctrl/Cmd+Enter calls onRun, Escape leaves the editor (so Tab
 * and the page's arrow keys work again). The highlighter is NcsEditor.highlight. */
(function (root) {
	'use strict';

	const KEYWORDS = new Set(['fn', 'let', 'mut', 'if', 'else', 'match', 'while', 'loop', 'for', 'in', 'break',
		'continue', 'return', 'struct', 'enum', 'impl', 'use', 'pub', 'self', 'as', 'true', 'false']);
	const VARIANTS = new Set(['Some', 'None', 'Ok', 'Err']);
	const EFFECT_MODULES = new Set(['fs', 'net', 'ai', 'agent']);
	const PURE_MODULES = new Set(['string', 'math', 'map', 'array']);
	const INDENT = '    ';

	/* Tokens of src as [class, text] pairs; class '' is plain text. Block comments nest. */
	function tokenize(src) {
		const out = [];
		let i = 0;
		const n = src.length;
		const push = (cls, end) => {
			out.push([cls, src.slice(i, end)]);
			i = end;
		};
		while (i < n) {
			const c = src[i];
			const rest = src.slice(i, i + 3);
			if (rest.startsWith('//')) {
				const e = src.indexOf('\n', i);
				push('com', e < 0 ? n : e);
			} else if (rest.startsWith('/*')) {
				let depth = 0, j = i;
				while (j < n) {
					if (src.startsWith('/*', j)) {
						depth++;
						j += 2;
					} else if (src.startsWith('*/', j)) {
						j += 2;
						if (--depth === 0)
							break;
					} else {
						j++;
					}
				}
				push('com', j);
			} else if (rest === '#![') {
				const e = src.indexOf('\n', i);
				push('attr', e < 0 ? n : e);
			} else if (c === '"') {
				let j = i + 1;
				while (j < n && src[j] !== '"' && src[j] !== '\n')
					j += src[j] === '\\' ? 2 : 1;
				push('str', Math.min(n, j + 1));
			} else if (/[0-9]/.test(c)) {
				const m = /^(0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+|[0-9][0-9_]*(\.[0-9][0-9_]*)?([eE][+-]?[0-9]+)?)/
					.exec(src.slice(i));
				push('num', i + m[0].length);
			} else if (/[A-Za-z_]/.test(c)) {
				const w = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))[0];
				const after = src.slice(i + w.length);
				let cls = '';
				if (KEYWORDS.has(w))
					cls = 'kw';
				else if (VARIANTS.has(w))
					cls = 'variant';
				else if (after.startsWith('::') && EFFECT_MODULES.has(w))
					cls = 'effect';
				else if (after.startsWith('::') && PURE_MODULES.has(w))
					cls = 'module';
				else if (/^[A-Z]/.test(w))
					cls = 'type';
				else if (w === 'print')
					cls = 'builtin';
				else if (/^\s*\(/.test(after))
					cls = 'call';
				push(cls, i + w.length);
			} else if (/[+\-*/%=<>!&|^.:?]/.test(c)) {
				push('op', i + 1);
			} else {
				push('', i + 1);
			}
		}
		return out;
	}

	const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
	const span = (cls, s) => (cls ? `<span class="t-${cls}">${escape(s)}</span>` : escape(s));

	/* HTML for each line of src; the character at (errLine, errColumn) gets class
	 * "err-at" (columns count characters, as the interpreter's do). */
	function highlight(src, errLine, errColumn) {
		const lines = [''];
		let col = 1;
		for (const [cls, text] of tokenize(src)) {
			const pieces = text.split('\n');
			pieces.forEach((piece, k) => {
				if (k > 0) {
					lines.push('');
					col = 1;
				}
				const chars = Array.from(piece);
				const at = errColumn - col;
				if (lines.length === errLine && at >= 0 && at < chars.length) {
					lines[lines.length - 1] += span(cls, chars.slice(0, at).join('')) +
						`<span class="err-at">${span(cls, chars[at])}</span>` +
						span(cls, chars.slice(at + 1).join(''));
				} else {
					lines[lines.length - 1] += span(cls, piece);
				}
				col += chars.length;
			});
		}
		return lines;
	}

	class NcsEditor {
		constructor(element, { onRun, onChange }) {
			this.element = element;
			this.onRun = onRun;
			this.onChange = onChange;
			this.err = null;
			element.classList.add('editor');
			element.innerHTML = '<div class="gutter" aria-hidden="true"></div>' +
				'<div class="code"><pre class="hl" aria-hidden="true"></pre>' +
				'<textarea spellcheck="false" autocapitalize="off" autocomplete="off" autocorrect="off" ' +
				'wrap="off" aria-label="ncScript code"></textarea></div>';
			this.gutter = element.querySelector('.gutter');
			this.pre = element.querySelector('.hl');
			this.area = element.querySelector('textarea');
			this.area.addEventListener('input', () => {
				this.err = null;
				this.render();
				if (this.onChange)
					this.onChange(this.value);
			});
			this.area.addEventListener('scroll', () => this.sync());
			this.area.addEventListener('keydown', (e) => this.key(e));
		}

		get value() {
			return this.area.value;
		}

		set value(text) {
			this.area.value = text;
			this.err = null;
			this.render();
		}

		markError(line, column) {
			this.err = { line, column };
			this.render();
		}

		clearError() {
			this.err = null;
			this.render();
		}

		focusLine(line) {
			const lines = this.value.split('\n');
			let pos = 0;
			for (let i = 0; i < line - 1 && i < lines.length; i++)
				pos += lines[i].length + 1;
			this.area.focus();
			this.area.setSelectionRange(pos, pos);
		}

		render() {
			const errLine = this.err ? this.err.line : 0;
			const lines = highlight(this.value, errLine, this.err ? this.err.column : 0);
			this.pre.innerHTML = lines.map((html, i) =>
				`<span class="line${i + 1 === errLine ? ' err-line' : ''}">${html || ' '}</span>`).join('');
			this.gutter.innerHTML = lines.map((_, i) =>
				`<span${i + 1 === errLine ? ' class="err-line"' : ''}>${i + 1}</span>`).join('');
			this.area.style.height = '';
			this.area.style.height = `${this.area.scrollHeight}px`;
			this.sync();
		}

		sync() {
			this.pre.style.transform = `translate(${-this.area.scrollLeft}px, ${-this.area.scrollTop}px)`;
			this.gutter.style.transform = `translateY(${-this.area.scrollTop}px)`;
		}

		/* Replace the selection [from, to) with text, leaving the caret at caret
		 * (relative to from); keeps the browser's undo history. */
		replace(from, to, text, caret) {
			this.area.setSelectionRange(from, to);
			if (!document.execCommand('insertText', false, text)) {
				this.area.setRangeText(text, from, to, 'end');
				this.area.dispatchEvent(new Event('input'));
			}
			this.area.setSelectionRange(from + caret, from + caret);
		}

		key(e) {
			const a = this.area;
			const { selectionStart: s, selectionEnd: end, value: v } = a;
			const lineStart = v.lastIndexOf('\n', s - 1) + 1;
			if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
				e.preventDefault();
				if (this.onRun)
					this.onRun();
			} else if (e.key === 'Escape') {
				a.blur();
			} else if (e.key === 'Tab' && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey) {
				e.preventDefault();
				const pad = INDENT.slice((s - lineStart) % INDENT.length);
				this.replace(s, end, pad, pad.length);
			} else if (e.key === 'Tab' && e.shiftKey) {
				e.preventDefault();
				const lead = /^ {0,4}/.exec(v.slice(lineStart))[0].length;
				if (lead > 0)
					this.replace(lineStart, lineStart + lead, '', Math.max(0, s - lineStart - lead));
			} else if (e.key === 'Enter' && !e.shiftKey && !e.altKey) {
				e.preventDefault();
				const indent = /^[ \t]*/.exec(v.slice(lineStart))[0];
				const more = v.slice(lineStart, s).trimEnd().endsWith('{') ? INDENT : '';
				const text = `\n${indent}${more}`;
				this.replace(s, end, text, text.length);
			}
		}
	}

	NcsEditor.highlight = highlight;
	root.NcsEditor = NcsEditor;
})(window);
