// FF3-1 oracle for ff3_oracle_host_test.c: npm's ff3 (an independent
// JavaScript FF3-1). Reads lines "RADIX KEYHEX TWEAKHEX PLAINTEXT" (digits
// 0-9a-z) on stdin, prints one line per case: the ciphertext, or "ERR reason".
'use strict';
const FF3Cipher = require('ff3');
const lines = require('fs').readFileSync(0, 'utf8').split('\n').filter((l) => l.length > 0);
const out = [];
for (const line of lines) {
  const [radix, key, tweak, pt] = line.split(' ');
  try {
    out.push(new FF3Cipher(key, tweak, Number(radix)).encrypt(pt));
  } catch (e) {
    out.push('ERR ' + String(e).replace(/\n/g, ' '));
  }
}
process.stdout.write(out.join('\n') + '\n');
