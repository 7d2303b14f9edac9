// Name resolution through one chosen DNS server (A records only), independent of
// /etc/hosts and /etc/resolv.conf, plus a fetch() built on node:http that uses it.
import dns from 'node:dns';
import http from 'node:http';
import net from 'node:net';
import { Readable } from 'node:stream';

/**
 * Returns a node `lookup` function (as used by net.connect / http.request) that sends
 * an A query for every lookup to `server` ("IP" or "IP:port"). Without a server, the
 * system resolver is used.
 */
export function makeLookup(server) {
  if (!server) return dns.lookup;
  const resolver = new dns.Resolver({ timeout: 2000, tries: 2 });
  resolver.setServers([server]);
  return (hostname, options, callback) => {
    if (typeof options === 'function') {
      callback = options;
      options = {};
    }
    resolver.resolve4(hostname, (err, addresses) => {
      if (err) return callback(err);
      if (!addresses.length) return callback(Object.assign(new Error(`no A record for ${hostname}`), { code: 'ENOTFOUND' }));
      if (options && options.all) return callback(null, addresses.map((address) => ({ address, family: 4 })));
      callback(null, addresses[0], 4);
    });
  };
}

/** Resolves `name` to its first IPv4 address with the given lookup. IP literals are returned as they are. */
export function resolveName(lookup, name) {
  if (net.isIP(name)) return Promise.resolve(name);
  return new Promise((resolve, reject) => lookup(name, {}, (err, address) => (err ? reject(err) : resolve(address))));
}

/**
 * A minimal WHATWG fetch over node:http (plain HTTP only) that resolves host names with
 * `lookup` and keeps connections alive. Enough for the MCP SDK client transports:
 * string/Uint8Array bodies, AbortSignal, streamed response bodies (SSE).
 */
export function makeFetch(lookup) {
  const agent = new http.Agent({ keepAlive: true, lookup });
  return function fetchOverHttp(input, init = {}) {
    return new Promise((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.protocol !== 'http:') return reject(new TypeError(`only http: URLs are supported, got ${url.href}`));
      const method = (init.method ?? 'GET').toUpperCase();
      const headers = { host: url.host };
      new Headers(init.headers ?? {}).forEach((value, name) => {
        headers[name] = value;
      });
      headers['user-agent'] ??= 'node';
      const req = http.request(url, { method, headers, agent, setHost: false, signal: init.signal }, (res) => {
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          for (const v of Array.isArray(value) ? value : [value]) responseHeaders.append(name, v);
        }
        const noBody = method === 'HEAD' || res.statusCode === 204 || res.statusCode === 304;
        if (noBody) res.resume();
        resolve(
          new Response(noBody ? null : Readable.toWeb(res), {
            status: res.statusCode,
            statusText: res.statusMessage,
            headers: responseHeaders,
          }),
        );
      });
      req.on('error', reject);
      const body = init.body;
      if (body == null) req.end();
      else if (typeof body === 'string' || body instanceof Uint8Array) req.end(body);
      else if (body instanceof ArrayBuffer) req.end(Buffer.from(body));
      else reject(new TypeError('unsupported request body type'));
    });
  };
}
