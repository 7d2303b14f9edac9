#!/usr/bin/env node
// Runs one MCP session with the official TypeScript SDK client:
// initialize -> tools/list -> tools/call echo -> resources/list -> close
// (Streamable HTTP sessions are terminated with DELETE).
//
//   node client.mjs --url URL --transport streamable|sse [--name NAME] [--dns-server IP[:PORT]]
//
// --dns-server: resolve the URL's host name with A queries to that server for every new
//               connection (no /etc/hosts needed); default: the system resolver.
//
// Prints one JSON line on stdout:
//   {"transport":"streamable","url":...,"resolved_ip":...,"client_name":...,"session_id":...,
//    "protocol_version":...,"server_name":...,"server_version":...,"tools":N,"resources":N,"echo":"..."}
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { makeFetch, makeLookup, resolveName } from './lookup.mjs';

const { values: opts } = parseArgs({
  options: {
    url: { type: 'string' },
    transport: { type: 'string', default: 'streamable' },
    name: { type: 'string', default: 'warden-live-client' },
    version: { type: 'string', default: '1.0.0' },
    'dns-server': { type: 'string' },
    timeout: { type: 'string', default: '30' },
  },
});
if (!opts.url || !['streamable', 'sse'].includes(opts.transport)) {
  console.error('usage: client.mjs --url URL --transport streamable|sse [--name NAME] [--dns-server IP]');
  process.exit(2);
}
const watchdog = setTimeout(() => {
  console.error(`client: no result after ${opts.timeout}s, giving up`);
  process.exit(1);
}, Number(opts.timeout) * 1000);

const url = new URL(opts.url);
const lookup = makeLookup(opts['dns-server']);
const fetch = makeFetch(lookup);

async function main() {
  // The name is resolved once up front so that the result can be reported; every new
  // TCP connection resolves it again through the same lookup.
  const resolvedIp = await resolveName(lookup, url.hostname);
  let protocolVersion = null;
  const transport =
    opts.transport === 'streamable'
      ? new StreamableHTTPClientTransport(url, { fetch })
      : new SSEClientTransport(url, { fetch });
  const setProtocolVersion = transport.setProtocolVersion?.bind(transport);
  transport.setProtocolVersion = (v) => {
    protocolVersion = v;
    setProtocolVersion?.(v);
  };

  const client = new Client({ name: opts.name, version: opts.version }, { capabilities: {} });
  await client.connect(transport);
  const sessionId =
    opts.transport === 'streamable' ? transport.sessionId : transport._endpoint?.searchParams.get('sessionId');
  const server = client.getServerVersion() ?? {};

  const tools = await client.listTools();
  const echo = await client.callTool({ name: 'echo', arguments: { message: `hello from ${opts.name}` } });
  const resources = await client.listResources();

  if (opts.transport === 'streamable') await transport.terminateSession();
  await client.close();

  console.log(
    JSON.stringify({
      transport: opts.transport,
      url: url.href,
      resolved_ip: resolvedIp,
      client_name: opts.name,
      client_version: opts.version,
      session_id: sessionId ?? null,
      protocol_version: protocolVersion,
      server_name: server.name ?? null,
      server_version: server.version ?? null,
      tools: tools.tools.length,
      resources: resources.resources.length,
      echo: echo.content?.[0]?.text ?? null,
    }),
  );
}

main().then(
  () => {
    clearTimeout(watchdog);
    // keep-alive sockets and timers of the SDK must not keep the process around
    setTimeout(() => process.exit(0), 100).unref();
  },
  (err) => {
    console.error(`client: ${err?.stack ?? err}`);
    process.exit(1);
  },
);
