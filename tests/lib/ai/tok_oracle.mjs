// Tokenizer oracle: npm's gpt-tokenizer (an independent JavaScript BPE).
//   node tok_oracle.mjs NODE_DIR ENCODING OUT.gguf TEXT_FILE OUT_IDS   (NODE_DIR holds node_modules/)
// Writes the encoding's vocabulary as a tokenizer-only GGUF (tokens in the
// GPT-2 byte-to-unicode form, merges derived from the ranks the way
// llama.cpp's converter does for tiktoken files: a token of rank r is split
// by running rank-BPE over its bytes with ranks below r), and the ids
// gpt-tokenizer gives for the text, one a line.
import fs from 'fs';
import path from 'path';
import { pathToFileURL } from 'url';

const [dir, enc, outGguf, textFile, outIds] = process.argv.slice(2);
const root = pathToFileURL(path.resolve(dir, 'node_modules/gpt-tokenizer/esm')).href + '/';
const ranks = (await import(`${root}bpeRanks/${enc}.js`)).default;
const api = (await import(`${root}encoding/${enc}.js`)).default;

const utf8 = new TextEncoder();
const tokBytes = ranks.map((t) => (typeof t === 'string' ? utf8.encode(t) : Uint8Array.from(t)));
const key = (b) => Buffer.from(b).toString('latin1');
const rankOf = new Map(tokBytes.map((b, i) => [key(b), i]));

// GPT-2 bytes_to_unicode
const printable = (b) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || b >= 0xae;
const byteChar = [];
let extra = 0;
for (let b = 0; b < 256; b++) byteChar[b] = String.fromCodePoint(printable(b) ? b : 256 + extra++);
const mapped = (b) => Array.from(b, (x) => byteChar[x]).join('');

function splitByRanks(bytes, maxRank) {
  let parts = Array.from(bytes, (x) => Uint8Array.of(x));
  for (;;) {
    let best = -1, bestRank = Infinity;
    for (let i = 0; i + 1 < parts.length; i++) {
      const r = rankOf.get(key(Buffer.concat([parts[i], parts[i + 1]])));
      if (r !== undefined && r < maxRank && r < bestRank) { bestRank = r; best = i; }
    }
    if (best < 0) return parts;
    parts.splice(best, 2, Buffer.concat([parts[best], parts[best + 1]]));
  }
}

const merges = [];
tokBytes.forEach((b, r) => {
  if (b.length < 2) return;
  const p = splitByRanks(b, r);
  if (p.length !== 2) throw new Error(`token ${r} does not split in two`);
  merges.push(`${mapped(p[0])} ${mapped(p[1])}`);
});

const specials = enc === 'r50k_base' ? [['<|endoftext|>', 50256]] : [['<|endoftext|>', 100257]];
const nVocab = Math.max(tokBytes.length, ...specials.map((s) => s[1] + 1));
const texts = [], types = [];
for (let i = 0; i < nVocab; i++) {
  texts.push(i < tokBytes.length ? mapped(tokBytes[i]) : `<|unused_${i}|>`);
  types.push(i < tokBytes.length ? 1 : 3);
}
for (const [t, id] of specials) { texts[id] = t; types[id] = 3; }

// GGUF v3 writer (ggml docs/gguf.md): header, key/values, no tensors.
const chunks = [];
const u32 = (v) => { const b = Buffer.alloc(4); b.writeUInt32LE(v); chunks.push(b); };
const u64 = (v) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); chunks.push(b); };
const str = (s) => { const b = Buffer.from(s, 'utf8'); u64(b.length); chunks.push(b); };
const kvs = [
  ['tokenizer.ggml.model', () => { u32(8); str('gpt2'); }],
  ['tokenizer.ggml.pre', () => { u32(8); str(enc === 'r50k_base' ? 'gpt-2' : 'llama3'); }],
  ['tokenizer.ggml.tokens', () => { u32(9); u32(8); u64(texts.length); texts.forEach(str); }],
  ['tokenizer.ggml.token_type', () => { u32(9); u32(5); u64(types.length); types.forEach((t) => u32(t)); }],
  ['tokenizer.ggml.merges', () => { u32(9); u32(8); u64(merges.length); merges.forEach(str); }],
  ['tokenizer.ggml.eos_token_id', () => { u32(4); u32(specials[0][1]); }],
];
chunks.push(Buffer.from('GGUF'));
u32(3); u64(0); u64(kvs.length);
for (const [k, f] of kvs) { str(k); f(); }
fs.writeFileSync(outGguf, Buffer.concat(chunks));

const text = new TextDecoder('utf-8', { fatal: true }).decode(fs.readFileSync(textFile));
const ids = api.encode(text, { disallowedSpecial: new Set() });
fs.writeFileSync(outIds, ids.join('\n') + '\n');
