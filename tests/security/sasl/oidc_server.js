#!/usr/bin/env node
// An OAuth 2 / OIDC token server for the OAUTHBEARER (sasl.oauthbearer.method=oidc) tests,
// built on the npm package oauth2-mock-server 7.x (its library API; require()d from
// NODE_PATH, see oidc.sh). Differences from that package's own CLI:
//   * client_credentials tokens carry `sub` (= the client id; librdkafka requires a
//     subject claim) and `aud` (--audience), and
//   * the client's credentials are checked (HTTP Basic, or client_id/client_secret in the
//     form body) against --client ID:SECRET; a mismatch gets 401 {"error":"invalid_client"}.
//
//   node oidc_server.js [--host 127.0.0.1] [--port 0] [--cert FILE --key FILE]
//                       --client ID:SECRET [--client ...] [--audience AUD] [--ttl S]
//
// stdout: `ISSUER <url>`, `TOKEN_URL <url>`, `JWKS_URL <url>`, `READY`, then one line per
// token request: `TOKEN ok client=<id> scope=<scope>` / `TOKEN fail client=<id> reason=<...>`.
// Secrets and tokens are never printed. Exits when stdin closes (or on `quit`), when its
// parent process goes away, and after --max-seconds (default 1800).
'use strict';

const { OAuth2Server } = require('oauth2-mock-server');
const basicAuth = require('basic-auth');

function parseArgs(argv) {
  const a = { host: '127.0.0.1', port: 0, clients: {}, audience: 'kafka', ttl: 3600, maxSeconds: 1800 };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = argv[i + 1];
    switch (k) {
      case '--host': a.host = v; i++; break;
      case '--port': a.port = Number(v); i++; break;
      case '--cert': a.cert = v; i++; break;
      case '--key': a.key = v; i++; break;
      case '--audience': a.audience = v; i++; break;
      case '--ttl': a.ttl = Number(v); i++; break;
      case '--max-seconds': a.maxSeconds = Number(v); i++; break;
      case '--client': {
        const c = v.indexOf(':');
        if (c < 1) throw new Error('--client expects ID:SECRET');
        a.clients[v.slice(0, c)] = v.slice(c + 1);
        i++;
        break;
      }
      default: throw new Error('unknown argument ' + k);
    }
  }
  return a;
}

function credentials(req) {
  const basic = basicAuth(req);
  if (basic) return { id: basic.name, secret: basic.pass };
  const body = req.body || {};
  return { id: body.client_id, secret: body.client_secret };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const server = new OAuth2Server(args.key, args.cert);
  await server.issuer.keys.generate('RS256');
  const svc = server.service;

  svc.on('beforeTokenSigning', (token, req) => {
    const { id } = credentials(req);
    if (req.body && req.body.grant_type === 'client_credentials') {
      token.payload.sub = id || 'anonymous';
      token.payload.aud = args.audience;
      const now = Math.floor(Date.now() / 1000);
      token.payload.exp = now + args.ttl;
    }
  });
  svc.on('beforeResponse', (resp, req) => {
    const { id, secret } = credentials(req);
    const known = Object.prototype.hasOwnProperty.call(args.clients, id || '') ? args.clients[id] : undefined;
    if (known === undefined || known !== secret) {
      resp.statusCode = 401;
      resp.body = { error: 'invalid_client', error_description: 'Client authentication failed' };
      console.log(`TOKEN fail client=${id} reason=${known === undefined ? 'unknown client' : 'wrong secret'}`);
      return;
    }
    if (resp.body && resp.body.expires_in !== undefined) resp.body.expires_in = args.ttl;
    console.log(`TOKEN ok client=${id} scope=${(req.body && req.body.scope) || ''}`);
  });

  await server.start(args.port, args.host);
  const addr = server.address();
  // The issuer URL names the host the certificate is for (localhost covers 127.0.0.1 here).
  const base = `${args.cert ? 'https' : 'http'}://localhost:${addr.port}`;
  server.issuer.url = base;
  console.log(`ISSUER ${base}`);
  console.log(`TOKEN_URL ${base}/token`);
  console.log(`JWKS_URL ${base}/jwks`);
  console.log('READY');

  let stopping = false;
  const stop = async (why) => {
    if (stopping) return;
    stopping = true;
    if (why) console.error(`oidc_server: ${why}`);
    setTimeout(() => process.exit(0), 5000).unref();
    try { await server.stop(); } catch (e) { /* already stopped */ }
    process.exit(0);
  };
  process.stdin.on('data', (d) => { if (/^quit\b/m.test(String(d))) stop(); });
  process.stdin.on('end', () => stop());
  process.stdin.on('error', () => stop());
  process.stdin.resume();
  const ppid = process.ppid;
  setInterval(() => { if (process.ppid !== ppid) stop('parent went away'); }, 500).unref();
  setTimeout(() => stop('--max-seconds reached'), args.maxSeconds * 1000).unref();
}

main().catch((e) => { console.error(`oidc_server: ${e.stack || e}`); process.exit(2); });
