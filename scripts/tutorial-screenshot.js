#!/usr/bin/env node
/* A screenshot of one lesson of the ncScript tutorial (for docs/tutorial.md):
 *   node scripts/tutorial-screenshot.js FILE.png [LESSON_ID]   (default: capabilities)
 * Needs `make all` (build/web/tutorial) and scripts/deps (chromium, playwright-core). */
'use strict';
const path = require('path');
const { launch, serve, screenshotLesson } = require('../tests/web/tutorial/browser');

async function main() {
	const [file, id = 'capabilities'] = process.argv.slice(2);
	if (!file) {
		console.error('usage: node scripts/tutorial-screenshot.js FILE.png [LESSON_ID]');
		process.exit(64);
	}
	const server = await serve(path.resolve(__dirname, '../build/web/tutorial'));
	const browser = await launch();
	try {
		await screenshotLesson(browser, server.url, id, path.resolve(file));
	} finally {
		await browser.close();
		await server.close();
	}
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
