// A real OpenID Provider (panva/oidc-provider) on loopback for Token Inspector's end-to-end tests.
//
// Usage: node server.mjs CONFIG.json
//   CONFIG: {"port": 0, "clients": [...oidc-provider client metadata...], "slowDownOnPoll": 2,
//            "requirePushedAuthorizationRequests": false, "dpopNonce": false,
//            "resource": {"indicator": "urn:…", "scope": "api:read", "clients": ["…"]}}
//   PAR (RFC 9126) is always on; "requirePushedAuthorizationRequests" makes it the policy for every
//     client (and says so in the metadata); a client can also require it alone
//     (require_pushed_authorization_requests in its metadata).
//   DPoP (RFC 9449) is always on, with server nonces. "dpopNonce" says when a proof without the
//     provider's current nonce is refused with use_dpop_nonce and a DPoP-Nonce header: false
//     (never), true (every DPoP request, the userinfo endpoint included), or a list of client ids
//     (their requests at the token and PAR endpoints, where the client is known).
//   "resource" is one resource server (RFC 8707) whose access tokens are JWTs (RFC 9068), so a
//     DPoP-bound one carries cnf.jkt; its "clients" get it by default, any client by sending
//     resource=<indicator>. Without it, or for other clients, access tokens stay opaque.
//   "tls" ({"cert": PEM file, "key": PEM file, "ca": PEM file}, optional) serves HTTPS instead of
//     http, asking every client for a certificate (requestCert) without requiring one at the TLS
//     level (rejectUnauthorized: false), so a missing or unknown certificate is the provider's
//     OAuth answer, not a handshake failure. It turns on mutual TLS (RFC 8705): tls_client_auth
//     (the certificate must chain to "ca" and match the client's tls_client_auth_subject_dn),
//     self_signed_tls_client_auth (its x5c in the client's jwks), certificate-bound access tokens,
//     and mtls_endpoint_aliases under /mtls/…: as at providers that take certificates on a host
//     of their own, a certificate is only seen on those aliases.
// Prints "READY <issuer>" on stdout once it listens; the pytest fixture waits for that line.
//
// Test-only behaviour, on purpose and nowhere else:
//   POST /__test__/rotate-keys  switches to a new provider instance whose keystore has new
//     signing keys first and all the earlier ones after them (what a real key rotation publishes).
//     Every rotation makes new keys, so tests may rotate in any order and each sees a new kid.
//     All instances share oidc-provider's in-memory storage, so sessions and grants survive.
//   POST /__test__/expire-device-code (form: device_code) moves that device code's expiry into the
//     past, as if its lifetime had run out with nobody approving it, so its next poll meets the
//     provider's own expired_token answer (RFC 8628 §3.5) without a test waiting minutes for it.
//   The Nth authorization_pending answer for a device code becomes slow_down (RFC 8628 §3.5),
//     as a rate-limiting provider answers a client that polls too quickly.
//   Two grant types oidc-provider does not ship, registered with provider.registerGrantType, small
//   and for the tests only (exchange.mjs): token exchange (RFC 8693) accepts an access token this
//   provider issued (access_token type only, found with its own AccessToken/ClientCredentials
//   models) and issues a client-credentials access token of the calling client (so its sub is
//   that client) with an `act` claim naming the actor token's subject, else the client
//   (delegation, §4.1), and issued_token_type access_token; the JWT bearer grant (RFC 7523 §2.1)
//   verifies the assertion against the calling client's registered jwks (iss = the client,
//   aud = the token endpoint, exp at most an hour after iat) and issues an access token for the
//   client. Both honour resource= (RFC 8707), and for token exchange audience= naming the
//   test resource, so their tokens are then JWTs whose aud shows it.
import { X509Certificate, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';

import Provider, { errors } from 'oidc-provider';

import { extraTokenClaims, registerTestGrants } from './exchange.mjs';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
// One per process, shared by every instance (key rotation included): a nonce stays valid across them.
const dpopNonceSecret = randomBytes(32);

function signingKeys(label) {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  return [
    { ...rsa, kid: `rsa-${label}-${randomUUID().slice(0, 8)}`, use: 'sig', alg: 'RS256' },
    { ...ec, kid: `ec-${label}-${randomUUID().slice(0, 8)}`, use: 'sig', alg: 'ES256' },
  ];
}

async function findAccount(_ctx, id) {
  return {
    accountId: id,
    async claims() {
      return { sub: id, email: `${id}@example.test`, email_verified: true, name: `Test user ${id}` };
    },
  };
}

function requireDpopNonce(ctx) {
  const policy = config.dpopNonce ?? false;
  if (Array.isArray(policy)) return policy.includes(ctx.oidc.client?.clientId);
  return policy === true;
}

function resourceIndicators() {
  const resource = config.resource;
  return {
    enabled: true,
    defaultResource: async (_ctx, client, oneOf) => {
      if (oneOf) return oneOf;
      return resource?.clients?.includes(client?.clientId) ? resource.indicator : undefined;
    },
    // A grant made for the resource gives tokens for it without repeating resource= at the token endpoint.
    useGrantedResource: async () => true,
    getResourceServerInfo: async (_ctx, indicator) => {
      if (!resource || indicator !== resource.indicator) throw new errors.InvalidTarget();
      return { scope: resource.scope, audience: indicator, accessTokenFormat: 'jwt', accessTokenTTL: 3600 };
    },
  };
}

// The endpoints a client reaches with its certificate (RFC 8705 §5), as the /mtls/ prefix of the
// ordinary ones; the server strips it and marks the request (see MTLS_PREFIX below).
const MTLS_PREFIX = '/mtls';
const MTLS_ALIASED = { token_endpoint: '/token', introspection_endpoint: '/token/introspection',
  revocation_endpoint: '/token/revocation', userinfo_endpoint: '/me',
  pushed_authorization_request_endpoint: '/request' };

function peerCertificate(ctx) {
  if (!ctx.req.viaMtlsAlias) return undefined;
  const peer = ctx.socket.getPeerCertificate(true);
  return peer && peer.raw ? new X509Certificate(peer.raw) : undefined;
}

function mutualTls(issuer) {
  if (!config.tls) return {};
  return {
    clientAuthMethods: ['client_secret_basic', 'client_secret_jwt', 'client_secret_post', 'private_key_jwt', 'none',
      'tls_client_auth', 'self_signed_tls_client_auth'],
    discovery: { mtls_endpoint_aliases: Object.fromEntries(Object.entries(MTLS_ALIASED)
      .map(([name, path]) => [name, `${issuer}${MTLS_PREFIX}${path}`])) },
    mTLS: {
      enabled: true,
      certificateBoundAccessTokens: true,
      tlsClientAuth: true,
      selfSignedTlsClientAuth: true,
      getCertificate: peerCertificate,
      // node checked the chain against "ca" during the handshake (requestCert with rejectUnauthorized: false)
      certificateAuthorized: (ctx) => ctx.socket.authorized === true,
      certificateSubjectMatches: (ctx, property, expected) => property === 'tls_client_auth_subject_dn'
        && peerCertificate(ctx)?.subject.split('\n').reverse().join(',') === expected,
    },
  };
}

function makeProvider(issuer, keys) {
  const { mTLS, ...tlsConfig } = mutualTls(issuer);
  const provider = new Provider(issuer, {
    ...tlsConfig,
    clients: config.clients,
    jwks: { keys },
    cookies: { keys: ['token-inspector-e2e-cookie-signing-key'] },
    findAccount,
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    scopes: ['openid', 'offline_access', 'api:read'],
    responseTypes: ['code'],
    extraTokenClaims,
    pkce: { required: (_ctx, client) => client.clientAuthMethod === 'none' },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      deviceFlow: { enabled: true },
      userinfo: { enabled: true },
      // Signed and encrypted answers a client asks for in its metadata (id_token_encrypted_response_alg,
      // userinfo_signed_response_alg, userinfo_encrypted_response_alg); others keep plain JSON userinfo.
      jwtUserinfo: { enabled: true },
      encryption: { enabled: true },
      pushedAuthorizationRequests: {
        enabled: true,
        requirePushedAuthorizationRequests: config.requirePushedAuthorizationRequests === true,
      },
      dPoP: { enabled: true, nonceSecret: dpopNonceSecret, requireNonce: requireDpopNonce },
      resourceIndicators: resourceIndicators(),
      ...(mTLS ? { mTLS } : {}),
    },
  });
  registerTestGrants(provider);
  const polls = new Map();
  provider.use(async (ctx, next) => {
    await next();
    const grant = ctx.oidc?.params?.grant_type;
    if (ctx.path === '/token' && grant === 'urn:ietf:params:oauth:grant-type:device_code'
        && ctx.status === 400 && ctx.body?.error === 'authorization_pending') {
      const code = ctx.oidc.params.device_code;
      const count = (polls.get(code) || 0) + 1;
      polls.set(code, count);
      if (count === config.slowDownOnPoll) {
        ctx.body = { error: 'slow_down', error_description: 'you are polling too quickly' };
      }
    }
  });
  return provider;
}

async function expireDeviceCode(provider, req, res) {
  let body = '';
  for await (const chunk of req) body += chunk;
  const code = await provider.DeviceCode.find(new URLSearchParams(body).get('device_code') || '',
    { ignoreExpiration: true });
  if (!code) {
    res.writeHead(404).end();
    return;
  }
  code.exp = Math.floor(Date.now() / 1000) - 1;
  await code.save();
  res.writeHead(204).end();
}

const server = config.tls
  ? https.createServer({ cert: readFileSync(config.tls.cert), key: readFileSync(config.tls.key),
    ca: readFileSync(config.tls.ca), requestCert: true, rejectUnauthorized: false })
  : http.createServer();
server.listen(config.port || 0, '127.0.0.1', () => {
  const issuer = `${config.tls ? 'https' : 'http'}://127.0.0.1:${server.address().port}`;
  let keys = signingKeys('a');
  let instance = makeProvider(issuer, keys);
  let handler = instance.callback();
  server.on('request', (req, res) => {
    if (config.tls && req.url.startsWith(`${MTLS_PREFIX}/`)) {
      req.url = req.url.slice(MTLS_PREFIX.length);
      req.viaMtlsAlias = true;
    }
    if (req.method === 'POST' && req.url === '/__test__/rotate-keys') {
      keys = [...signingKeys('r'), ...keys];
      instance = makeProvider(issuer, keys);
      handler = instance.callback();
      res.writeHead(204).end();
      return;
    }
    if (req.method === 'POST' && req.url === '/__test__/expire-device-code') {
      expireDeviceCode(instance, req, res);
      return;
    }
    handler(req, res);
  });
  process.stdout.write(`READY ${issuer}\n`);
});

// Stop on SIGTERM, or when the parent (pytest) goes away and our stdin closes: no orphans.
const stop = () => { server.closeAllConnections(); server.close(() => process.exit(0)); };
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
