#!/usr/bin/env node
// Serves the reference MCP "everything" server (@modelcontextprotocol/server-everything)
// over HTTP, using the official SDK server transports.
//
//   node server.mjs --transport streamable|sse|both --host H --port P [--path /mcp]
//
//   streamable: stateful Streamable HTTP on PATH (POST / GET stream / DELETE, Mcp-Session-Id)
//   sse:        legacy HTTP+SSE transport: GET /sse (event stream) + POST /message?sessionId=...
//   both:       both of the above on the same port
//
// Prints one line "listening <host>:<port> <transport>" on stdout once ready.
// Exits cleanly on SIGINT/SIGTERM.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { createServer } from '@modelcontextprotocol/server-everything/dist/server/index.js';

const { values: opts } = parseArgs({
  options: {
    transport: { type: 'string', default: 'streamable' },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '3001' },
    path: { type: 'string', default: '/mcp' },
  },
});
if (!['streamable', 'sse', 'both'].includes(opts.transport)) {
  console.error(`unknown --transport ${opts.transport} (streamable|sse|both)`);
  process.exit(2);
}
const serveStreamable = opts.transport !== 'sse';
const serveSse = opts.transport !== 'streamable';
const log = (...a) => console.error(new Date().toISOString(), ...a);

/** Open MCP sessions: session id -> { transport, close } */
const sessions = new Map();

function jsonError(res, status, message) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

function readJson(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text.length ? JSON.parse(text) : undefined);
      } catch (e) {
        reject(e);
      }
    });
    req.on('error', reject);
  });
}

/** Connects a fresh "everything" server instance to a transport and tracks the session. */
async function startSession(transport, sessionIdOf) {
  const { server, cleanup } = createServer();
  server.server.onclose = () => {
    const sid = sessionIdOf();
    if (sid && sessions.has(sid)) {
      log(`session closed ${sid}`);
      sessions.delete(sid);
      cleanup(sid);
    }
  };
  await server.connect(transport);
  return { server, cleanup };
}

async function handleStreamable(req, res) {
  const sid = req.headers['mcp-session-id'];
  if (sid) {
    const s = sessions.get(sid);
    if (!s || s.kind !== 'streamable') return jsonError(res, 404, 'Session not found');
    const body = req.method === 'POST' ? await readJson(req) : undefined;
    return s.transport.handleRequest(req, res, body);
  }
  if (req.method !== 'POST') return jsonError(res, 400, 'Bad Request: No valid session ID provided');
  const body = await readJson(req);
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: (id) => {
      log(`streamable session initialized ${id}`);
      sessions.set(id, { kind: 'streamable', transport });
    },
  });
  await startSession(transport, () => transport.sessionId);
  await transport.handleRequest(req, res, body);
}

async function handleSseStream(req, res) {
  const transport = new SSEServerTransport('/message', res);
  sessions.set(transport.sessionId, { kind: 'sse', transport });
  log(`sse session opened ${transport.sessionId}`);
  res.on('close', () => transport.close().catch(() => {}));
  await startSession(transport, () => transport.sessionId);
}

async function handleSseMessage(req, res, url) {
  const s = sessions.get(url.searchParams.get('sessionId') ?? '');
  if (!s || s.kind !== 'sse') return jsonError(res, 404, 'Session not found');
  const body = await readJson(req);
  await s.transport.handlePostMessage(req, res, body);
}

const httpServer = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  log(`${req.method} ${req.url}`);
  try {
    if (serveStreamable && url.pathname === opts.path) return await handleStreamable(req, res);
    if (serveSse && url.pathname === '/sse' && req.method === 'GET') return await handleSseStream(req, res);
    if (serveSse && url.pathname === '/message' && req.method === 'POST') return await handleSseMessage(req, res, url);
    jsonError(res, 404, 'Not found');
  } catch (e) {
    log('request failed:', e);
    if (!res.headersSent) jsonError(res, 500, 'Internal server error');
    else res.end();
  }
});

async function shutdown(signal) {
  log(`${signal}: shutting down`);
  for (const s of sessions.values()) await s.transport.close().catch(() => {});
  httpServer.closeAllConnections?.();
  httpServer.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));

httpServer.listen(Number(opts.port), opts.host, () => {
  console.log(`listening ${opts.host}:${opts.port} ${opts.transport}`);
});
