// GGUF reader oracle: @huggingface/gguf (an independent JavaScript parser)
// prints a file in the canonical form of gguf_dump_host.c.
//   node gguf_oracle.mjs NODE_DIR FILE   (NODE_DIR holds node_modules/)
import path from 'path';
import { pathToFileURL } from 'url';

const [dir, file] = process.argv.slice(2);
const lib = pathToFileURL(path.resolve(dir, 'node_modules/@huggingface/gguf/dist/index.mjs')).href;
const { gguf } = await import(lib);
const r = await gguf(path.resolve(file), { allowLocalFile: true, typedMetadata: true });

const hex = (bytes) => (bytes.length ? Buffer.from(bytes).toString('hex') : '-');
function value(type, v) {
  switch (type) {
    case 6: { const f = new Float32Array([v]); return new Uint32Array(f.buffer)[0].toString(16); }
    case 12: { const f = new Float64Array([v]); return new BigUint64Array(f.buffer)[0].toString(16); }
    case 7: return v ? '1' : '0';
    case 8: return hex(new TextEncoder().encode(v));
    default: return String(v);
  }
}
const out = [`version ${r.typedMetadata.version.value}`, `data_offset ${r.tensorDataOffset}`];
for (const [k, m] of Object.entries(r.typedMetadata)) {
  if (k === 'version' || k === 'tensor_count' || k === 'kv_count') continue;
  if (m.type === 9) out.push(`kv ${k} 9 ${m.subType} ${m.value.length}` + m.value.map((v) => ' ' + value(m.subType, v)).join(''));
  else out.push(`kv ${k} ${m.type} ${value(m.type, m.value)}`);
}
for (const t of r.tensorInfos) out.push(`tensor ${t.name} ${t.dtype} ${t.shape.join(',')} ${t.offset}`);
console.log(out.join('\n'));
