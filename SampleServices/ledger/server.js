'use strict';
// Sample "ledger" service: POST /entries records an entry. Node's built-in http only, so the
// operator's Node auto-instrumentation (NODE_OPTIONS --require) instruments it without code changes.
// Knobs: PORT, BIND_ADDRESS, ERROR_RATIO (0..1), ADDED_LATENCY_MS.
const http = require('http');

const port = Number(process.env.PORT || 8080);
const bindAddress = process.env.BIND_ADDRESS || '0.0.0.0';
const errorRatio = Number(process.env.ERROR_RATIO || 0);
const addedLatencyMs = Number(process.env.ADDED_LATENCY_MS || 0);
let entries = 0;

function respond(res, status, payload) {
  const body = JSON.stringify(payload);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') {
    respond(res, 200, { status: 'ok' });
    return;
  }
  if (req.method !== 'POST' || req.url !== '/entries') {
    respond(res, 404, { error: 'not found' });
    return;
  }
  req.resume();
  req.on('end', () => {
    setTimeout(() => {
      if (Math.random() < errorRatio) {
        respond(res, 500, { status: 'failed' });
      } else {
        entries += 1;
        respond(res, 201, { status: 'ok', entries });
      }
    }, addedLatencyMs);
  });
});

server.listen(port, bindAddress, () => console.log(`ledger listening on ${bindAddress}:${port}`));
