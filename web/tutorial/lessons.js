/* The thirteen lessons, in order. Each lesson:
 *   id      stable name (the URL's #id, saved edits)
 *   title   heading;  text   HTML (ours, trusted) shown beside the code
 *   files   { "main.ncs": source, ...more modules }: the first is the one that runs
 *   host    the budget and grants the page hands the interpreter (ncs.js options),
 *           merged over HOST_DEFAULTS
 *   check   optional { value, hint }: the exercise is solved when main returns value
 * docs/tutorial.md explains how to add one. The code of lessons 1-10 is the seed's
 * Section 4, lightly extended. */
(function (root) {
	'use strict';

	const HOST_DEFAULTS = { maxSteps: 10000000, maxAllocBytes: 67108864, deadlineMs: 5000, maxCallDepth: 10000,
		allow: [] };

	const LESSONS = [
		{
			id: 'hello',
			title: 'The smallest program',
			text: `
<p>Every program has a <code>main</code> function. <code>print</code> is built in and always available:
it needs no capability, because writing to the script's own output buffer is not a system effect.</p>
<p>Press <b>Run</b> (or <kbd>Ctrl</kbd>+<kbd>Enter</kbd>). Then change the text and run it again.</p>
<p class="aside">This page runs the real ncScript interpreter, <code>lib/ncs</code> compiled to
WebAssembly, on your machine: it behaves as <code>ncs run</code> does on a host or in NexaCore's
shell.</p>`,
			files: { 'main.ncs': `fn main() {
    print("Hello, world");
}
` },
		},
		{
			id: 'fib',
			title: 'Familiar syntax',
			text: `
<p>Functions, <code>let</code>/<code>mut</code> bindings, expressions as values and recursion behave the
way a Rust or Swift reader expects. A block's last expression, without <code>;</code>, is its value, and
the value <code>main</code> returns is shown after <code>=&gt;</code>.</p>
<p>ncScript is dynamically typed: type annotations such as <code>n: Int</code> are accepted but not
checked. Ints are 64-bit, and overflow is an error, never a silent wrap.</p>
<p>Try <code>fib(25)</code> and watch the step count under the output: every instruction is counted.</p>`,
			files: { 'main.ncs': `fn fib(n) {
    if n < 2 { n } else { fib(n - 1) + fib(n - 2) }
}

fn main() {
    fib(10) // => 55
}
` },
		},
		{
			id: 'loops',
			title: 'Loops and arrays',
			text: `
<p><code>for</code> walks arrays, ranges (<code>0..5</code>, <code>1..=5</code>), strings and maps;
<code>while</code> and <code>loop</code> are there too, and <code>break value</code> gives a
<code>loop</code> its value.</p>
<p>Arrays grow with <code>push</code> and have value semantics: <code>let b = a;</code> copies
(lazily, on the first write), so no two variables ever share a mutable array.</p>
<p>Try returning <code>[1, 2, 3, 4].fold(0, |acc, x| acc + x)</code> instead, or
<code>(1..=4).map(|x| x * x)</code>: a range used as a value is an array.</p>`,
			files: { 'main.ncs': `fn main() {
    let mut sum = 0;
    for x in [1, 2, 3, 4] {
        sum = sum + x;
    }
    sum // => 10
}
` },
		},
		{
			id: 'structs',
			title: 'Structs',
			text: `
<p>A <code>struct</code> names its fields; values are built with <code>P { x: 3, y: 4 }</code> and read
with <code>p.x</code>. Like arrays, structs are values: assigning one copies it.</p>
<p>Methods live in an <code>impl</code> block. Try adding</p>
<pre class="snippet">impl P {
    fn len2(&amp;self) -&gt; Int { self.x * self.x + self.y * self.y }
}</pre>
<p>and returning <code>p.len2()</code>.</p>`,
			files: { 'main.ncs': `struct P { x: Int, y: Int }

fn main() {
    let p = P { x: 3, y: 4 };
    p.x + p.y // => 7
}
` },
		},
		{
			id: 'match',
			title: 'Pattern matching',
			text: `
<p><code>match</code> tries its arms in order. A pattern can be a literal, a range, a binding, a tuple, a
struct or an enum variant; <code>|</code> joins alternatives (an <em>or-pattern</em>) and
<code>if</code> adds a <em>guard</em>.</p>
<p>If no arm matches, the run stops with <code>NC_NCS_ERR_NO_MATCH</code>. Delete the last arm and
run it to see the error placed at its line.</p>`,
			files: { 'main.ncs': `fn classify(n) {
    match n {
        0 | 1 => 100,      // or-pattern
        p if p < 0 => -1,  // guard
        p => p
    }
}

fn main() {
    print(classify(1));
    print(classify(-7));
    print(classify(42));
}
` },
		},
		{
			id: 'result',
			title: 'Result and the ? operator',
			text: `
<p>Errors are values: <code>Ok(v)</code> and <code>Err(e)</code>, like <code>Some(v)</code> and
<code>None</code>, are built in. The <code>?</code> operator unwraps an <code>Ok</code>, or returns the
<code>Err</code> from the current function early, exactly as in Rust.</p>
<p>Change <code>use_it(true)</code> to <code>use_it(false)</code>: <code>get</code> fails,
<code>?</code> hands the <code>Err(42)</code> up, and <code>main</code> returns 42.</p>`,
			files: { 'main.ncs': `fn get(ok) {
    if ok { Ok(7) } else { Err(42) }
}

fn use_it(ok) {
    let v = get(ok)?;  // \`?\` propagates Err
    Ok(v + 1)
}

fn main() {
    match use_it(true) {
        Ok(x) => x,  // => 8
        Err(e) => e
    }
}
` },
		},
		{
			id: 'capabilities',
			title: 'Deny-by-default capabilities',
			text: `
<p>This is the heart of the language. A script declares in its header exactly which system effects it
intends to use; anything it does not declare, it cannot do. A script without a header is pure
computation.</p>
<p>A call runs only if <b>both</b> hold, checked before any I/O: the script's header declares the
effect with a scope covering the resource, and the host grants it (here: the <b>Host</b> panel's
<code>fs.read=/etc/nexacore</code>, like <code>ncs run --allow fs.read=/etc/nexacore</code>).
Scopes are hierarchical: <code>/etc/nexacore</code> covers <code>/etc/nexacore/notes/a.txt</code>
but not <code>/etc/passwd</code>.</p>
<p>Run it: the first read succeeds, the second is denied at its line. Then widen the header to
<code>fs.read("/etc")</code>: the host's grant still refuses.</p>`,
			files: { 'main.ncs': `// Capabilities are declared in the script header.
// Deny-by-default: an effect not listed here cannot run.
#![capabilities(fs.read("/etc/nexacore"), ai.invoke)]
fn main() {
    // \`fs::read\` is a host effect, gated by the \`fs.read\` capability.
    // Scope "/etc/nexacore" admits this path...
    let notes = fs::read("/etc/nexacore/notes/a.txt");
    print(notes);
    // ...and rejects this one, before any byte is read.
    let secret = fs::read("/etc/passwd");
    print(secret);
}
` },
			host: { allow: ['fs.read=/etc/nexacore'] },
		},
		{
			id: 'inert',
			title: 'Effects without a handler are inert',
			text: `
<p>A subtle but important guarantee: when the host installed no handler for an effect, a declared call
such as <code>net::connect("x")</code> is neither an error nor I/O. It evaluates to an inert value
that only describes the effect. The language has no ambient access to the outside world.</p>
<p>Now add <code>net.connect=example.org:443</code> to the host's grants and run again: the page's
fake network answers. <code>agent::task</code> stays inert until you grant <code>agent.task</code>
too (the binding to NexaCore's agents is on the roadmap; here a fake agent plays it).</p>`,
			files: { 'main.ncs': `#![capabilities(net.connect, agent.task)]
fn main() {
    // No handler is installed for these effects (see the Host panel),
    // so the calls do no I/O and are not errors: they are inert values.
    let conn = net::connect("example.org:443");
    print(conn);
    let summary = agent::task("summarise today's files in ~/reports");
    print(summary);
}
` },
		},
		{
			id: 'stdlib',
			title: 'A pure standard library',
			text: `
<p>The bundled <code>string</code> and <code>math</code> modules are deliberately effect-free, so they
are always safe to call, whatever the capabilities. Most of them also work as methods:
<code>"a,b".split(",")</code>, <code>s.len()</code>, <code>s.upper()</code>.</p>
<p>Strings are UTF-8 and count characters, not bytes: <code>string::len("héllo")</code> is 5.
Ints and Floats never mix silently: convert with <code>as Float</code>, <code>as Int</code> or
<code>as String</code>.</p>`,
			files: { 'main.ncs': `fn main() {
    let parts = string::split("a,b,c", ",");  // ["a", "b", "c"]
    let n = string::len("héllo");             // 5: counts characters
    let up = string::upper("nexacore");       // "NEXACORE"
    print(string::from_int(parts.len()));     // prints "3"
    print(n);
    print(up);
    print(math::sqrt(2.0));
    print(math::max(3, 9));
    print(math::pow(2, 10));
}
` },
		},
		{
			id: 'limits',
			title: 'Deterministic limits',
			text: `
<p>The host hands every run a budget, and the interpreter enforces it: it counts instructions, tracks
live memory, watches an injected clock and bounds call depth. An infinite loop, a memory bomb or runaway
recursion ends cleanly with a typed error instead of taking the host down.</p>
<p>This lesson's budget is the seed's: 1,000,000 steps, 64,000 bytes, 5 seconds, depth 64 (see the
<b>Host</b> panel). Run it a few times: it stops after exactly 1,000,000 steps every time, because
limits are deterministic. Then call <code>bomb()</code> or <code>deep(0)</code> instead; the page
stays responsive throughout, since the interpreter runs in a Web Worker.</p>`,
			files: { 'main.ncs': `fn forever() {
    let mut n = 0;
    loop { n += 1; }
}

fn bomb() {
    let mut s = "x";
    loop { s = s + s; }  // doubles until the memory limit
}

fn deep(n) {
    deep(n + 1) + 1      // until the depth limit
}

fn main() {
    forever()
}
` },
			host: { maxSteps: 1000000, maxAllocBytes: 64000, deadlineMs: 5000, maxCallDepth: 64 },
		},
		{
			id: 'maps',
			title: 'Maps',
			text: `
<p>A map is a hash table that remembers insertion order, so iterating it is deterministic.
<code>m[k] = v</code> inserts or replaces, <code>m.get_or(k, default)</code> reads with a fallback,
and <code>for (k, v) in m</code> walks the pairs.</p>
<p>Keys are Ints, Bools, Strings and tuples or arrays of them. Like arrays, maps are values: copying one
never shares it. Every probe is counted in the step budget, so colliding keys cannot stall the host.</p>`,
			files: { 'main.ncs': `fn main() {
    let mut count = map::new();
    for w in "the cat and the hat".split(" ") {
        count[w] = count.get_or(w, 0) + 1;
    }
    for (word, n) in count {
        print(word + ": " + (n as String));
    }
    count
}
` },
		},
		{
			id: 'modules',
			title: 'Modules',
			text: `
<p><code>use geo::area;</code> imports the item <code>area</code> from the module <code>geo</code>, the
file <code>geo.ncs</code> (on a host, <code>ncs</code> reads it next to the main script). Both files are
editable: switch with the tabs above the code.</p>
<p>Only <code>pub</code> items can be imported, dependencies load first, and import cycles are
rejected, all before anything runs. Try <code>use geo::secret;</code>. Each module also has its own
capability header: a module without one is pure.</p>`,
			files: {
				'main.ncs': `use geo::Rect;
use geo::area;

fn main() {
    let r = Rect { w: 3, h: 4 };
    area(r) // => 12
}
`,
				'geo.ncs': `// A module: only \`pub\` items can be imported.
pub struct Rect { w: Int, h: Int }

pub fn area(r) {
    r.w * r.h
}

fn secret() { 42 }  // private to geo
`,
			},
		},
		{
			id: 'exercise',
			title: 'Final exercise',
			text: `
<p>Put it together. Make <code>main</code> return the most common word of the file
<code>/etc/nexacore/notes/words.txt</code> and how often it occurs, as a tuple like
<code>("word", 3)</code>. If two words tie, keep the one that comes first.</p>
<ol>
<li>Declare the capability: the host grants <code>fs.read=/etc/nexacore</code>.</li>
<li>Read the file with <code>fs::read</code>; <code>trim()</code> it and <code>split(" ")</code>.</li>
<li>Count with a map, then find the largest count.</li>
</ol>
<p>The page checks what <code>main</code> returns. <b>Reset</b> brings back the starting code.</p>`,
			files: { 'main.ncs': `// Final exercise: the most common word of /etc/nexacore/notes/words.txt.
fn most_common(text) {
    let mut counts = map::new();
    // count the words of text here
    ("", 0)
}

fn main() {
    let text = "replace me with the file's contents";
    most_common(text)
}
` },
			host: { allow: ['fs.read=/etc/nexacore'] },
			check: { value: '("to", 2)', hint: 'main should return ("word", count) for the file\'s most common word.' },
		},
	];

	root.NcsLessons = { LESSONS, HOST_DEFAULTS };
})(window);
