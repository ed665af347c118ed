/* Shared by the tutorial's browser test and benchmark: Debian's chromium driven by
 * npm's playwright-core (never a downloaded browser), and a static file server for
 * $(B)/web/tutorial on 127.0.0.1 (an ephemeral port). */
'use strict';
const fs = require('fs');
const http = require('http');
const path = require('path');
const { chromium } = require('playwright-core');

const CHROMIUM_ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--no-first-run',
	'--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'];
const TYPES = { '.html': 'text/html', '.css': 'text/css', '.js': 'text/javascript', '.png': 'image/png' };

function launch() {
	return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/* Serve dir; resolves to { url, close() }. */
function serve(dir) {
	const server = http.createServer((req, res) => {
		const name = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
		const file = path.join(dir, path.normalize(name));
		if (!file.startsWith(dir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
			res.writeHead(404);
			res.end();
			return;
		}
		res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
		fs.createReadStream(file).pipe(res);
	});
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
		url: `http://127.0.0.1:${server.address().port}/`,
		close: () => new Promise((done) => server.close(done)),
	})));
}

/* A picture of lesson id (after one run) at url (the page's address) into file, a
 * 1280x900 PNG; the Host panel is closed so code and output fit. */
async function screenshotLesson(browser, url, id, file) {
	const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
	await page.goto(`${url}#${id}`);
	await page.evaluate(() => { document.getElementById('host-panel').open = false; });
	await page.click('#run');
	await page.waitForFunction(() => !['running', 'idle'].includes(document.getElementById('output').dataset.state));
	await page.screenshot({ path: file });
	await page.close();
}

module.exports = { launch, serve, screenshotLesson };
