// Noise peer for noise_interop_test.sh: npm's noise-handshake (an
// independent JavaScript Noise, Noise_{XX,IK}_25519_ChaChaPoly_BLAKE2b) over
// TCP on 127.0.0.1, with the framing and conventions of nc-privacy
// noise-peer: a 2-byte big-endian length before every message, handshake
// message i carries "hs<i>" (checked), then the initiator sends its texts and
// receives, the responder receives then sends. Prints "recv: TEXT" lines and
// the peer's static key as "remote-static: HEX";
// exit 0 only if every check passed.
//   node noise_peer.js listen|connect PORT XX|IK initiator|responder STATIC_HEX
//        REMOTE_STATIC_HEX|- PROLOGUE SEND EXPECT
'use strict';
const net = require('net');
const Noise = require('noise-handshake');
const Cipher = require('noise-handshake/cipher');
const curve = require('noise-handshake/dh');

const [mode, port, pattern, role, staticHex, remoteHex, prologue, sendText, expectText] = process.argv.slice(2);
const initiator = role === 'initiator';
const messages = { XX: 3, IK: 2 }[pattern];
const fail = (why) => { console.error('noise_peer.js: ' + why); process.exit(1); };
setTimeout(() => fail('timed out'), 60000).unref();

function session (sock) {
  let buf = Buffer.alloc(0);
  const waiting = [];
  sock.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0) && waiting.length) {
      const len = buf.readUInt16BE(0);
      const frame = buf.subarray(2, 2 + len);
      buf = buf.subarray(2 + len);
      waiting.shift()(frame);
    }
  });
  sock.on('error', (e) => fail(String(e)));
  const recv = () => new Promise((resolve) => { waiting.push(resolve); sock.emit('data', Buffer.alloc(0)); });
  const send = (m) => { const h = Buffer.alloc(2); h.writeUInt16BE(m.length); sock.write(Buffer.concat([h, m])); };
  return { recv, send };
}

async function run (sock) {
  const io = session(sock);
  const hs = new Noise(pattern, initiator, curve.generateKeyPair(Buffer.from(staticHex, 'hex')));
  hs.initialise(Buffer.from(prologue), remoteHex === '-' ? undefined : Buffer.from(remoteHex, 'hex'));
  for (let i = 0; i < messages; i++) {
    const want = 'hs' + i;
    if ((i % 2 === 0) === initiator) {
      io.send(hs.send(Buffer.from(want)));
    } else {
      const payload = Buffer.from(hs.recv(await io.recv())).toString();
      if (payload !== want) fail(`handshake payload ${i} is "${payload}"`);
    }
  }
  if (!hs.complete) fail('handshake not complete');
  if (hs.rs) console.log('remote-static: ' + Buffer.from(hs.rs).toString('hex'));
  const tx = new Cipher(hs.tx);
  const rx = new Cipher(hs.rx);
  const receive = async () => {
    const text = Buffer.from(rx.decrypt(await io.recv())).toString();
    console.log('recv: ' + text);
    if (text !== expectText) fail(`expected "${expectText}"`);
  };
  if (initiator) { io.send(tx.encrypt(Buffer.from(sendText))); await receive(); } else { await receive(); io.send(tx.encrypt(Buffer.from(sendText))); }
  sock.end();
  process.exit(0);
}

if (mode === 'listen') {
  const server = net.createServer((sock) => { server.close(); run(sock).catch((e) => fail(String(e))); });
  server.listen(Number(port), '127.0.0.1');
} else {
  const tryConnect = (left) => {
    const sock = net.connect(Number(port), '127.0.0.1');
    sock.once('connect', () => run(sock).catch((e) => fail(String(e))));
    sock.once('error', () => (left > 0 ? setTimeout(() => tryConnect(left - 1), 50) : fail('cannot connect')));
  };
  tryConnect(600);
}
