// Writes OUT: FILES... concatenated (valid UTF-8 ones only), then about
// 300 KB of seeded random text mixing scripts, digits, punctuation,
// contractions and whitespace runs, for the tokenizer oracle test.
//   node tok_oracle_text.mjs OUT FILE...
import fs from 'fs';

const [out, ...files] = process.argv.slice(2);
const dec = new TextDecoder('utf-8', { fatal: true });
const parts = [];
for (const f of files) {
  try { parts.push(dec.decode(fs.readFileSync(f))); } catch { /* not UTF-8: skip */ }
}
let s = 0x2545f491;
const rnd = (n) => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s % n; };
const ranges = [[0x41, 0x5a], [0x61, 0x7a], [0x30, 0x39], [0xc0, 0xff], [0x391, 0x3c9], [0x410, 0x44f],
  [0x5d0, 0x5ea], [0x627, 0x64a], [0x905, 0x939], [0x966, 0x96f], [0x3041, 0x3096], [0x4e00, 0x4fff],
  [0xac00, 0xad00], [0x1f600, 0x1f64f], [0x2160, 0x2188], [0xb2, 0xb3], [0x21, 0x2f], [0x3a, 0x40],
  [0x2010, 0x2027], [0x20a0, 0x20bf]];
const spaces = [' ', ' ', ' ', '  ', '\n', '\n\n', '\t', ' \n', '   ', '\u00a0', '\u3000', '\r\n'];
const words = ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'LL", "don't", "it's", "I'm"];
let rand = '';
while (rand.length < 300000) {
  const k = rnd(10);
  if (k < 6) {
    const [a, b] = ranges[rnd(ranges.length)];
    const len = 1 + rnd(8);
    for (let i = 0; i < len; i++) rand += String.fromCodePoint(a + rnd(b - a + 1));
  } else if (k < 9) {
    rand += spaces[rnd(spaces.length)];
  } else {
    rand += words[rnd(words.length)];
  }
}
parts.push(rand);
fs.writeFileSync(out, parts.join('\n'));
