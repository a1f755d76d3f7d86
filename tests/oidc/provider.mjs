// A local OpenID Connect provider for single sign-on tests.
//
// Runs panva's oidc-provider on 127.0.0.1 with one confidential client and the
// built-in development login and consent pages. Whatever login is typed in
// becomes the account: its `sub` and `email` are the login, the email counts
// as verified, so typing a work email address signs in as that person.
//
//   OIDC_CLIENT_ID=... OIDC_CLIENT_SECRET=... \
//   OIDC_REDIRECT_URIS="http://localhost:8000/accounts/oidc/testidp/login/callback/" \
//   node tests/oidc/provider.mjs [port]
//
// The port comes from the first argument or OIDC_PORT; 0 (the default) lets the
// system choose a free one. Once listening it prints "READY <issuer>".

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} must be set`);
    process.exit(2);
  }
  return value;
}

const host = '127.0.0.1';
const port = Number(process.argv[2] ?? process.env.OIDC_PORT ?? 0);
const client = {
  client_id: required('OIDC_CLIENT_ID'),
  client_secret: required('OIDC_CLIENT_SECRET'),
  redirect_uris: required('OIDC_REDIRECT_URIS').split(/[\s,]+/).filter(Boolean),
  grant_types: ['authorization_code'],
  response_types: ['code'],
  // allauth posts the secret in the body when the provider offers that method.
  token_endpoint_auth_method: process.env.OIDC_TOKEN_AUTH_METHOD ?? 'client_secret_post',
};

function displayName(login) {
  return login
    .split('@', 1)[0]
    .split(/[._-]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join(' ');
}

// A fresh signing key each run: nothing outlives the process.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'signing', use: 'sig', alg: 'RS256' };

const configuration = {
  clients: [client],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  scopes: ['openid', 'email', 'profile'],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: id, email_verified: true, name: displayName(id) };
      },
    };
  },
  features: {
    devInteractions: { enabled: true },
    userinfo: { enabled: true },
  },
  // PKCE is accepted when the client sends it (allauth does) but not demanded
  // of a confidential client.
  pkce: { required: () => false },
  clientBasedCORS: () => false,
};

// Listen first so that a port of 0 resolves to the real one before the issuer
// is fixed; requests wait on the provider until it exists.
let handler = (_req, res) => {
  res.statusCode = 503;
  res.end();
};
const server = createServer((req, res) => handler(req, res));

server.listen(port, host, () => {
  const issuer = `http://${host}:${server.address().port}`;
  // Plain http on loopback: no proxy in front, cookies are not marked secure.
  const provider = new Provider(issuer, configuration);
  provider.proxy = false;
  provider.on('server_error', (_ctx, error) => console.error('server_error', error));
  handler = provider.callback();
  console.log(`READY ${issuer}`);
});

function stop() {
  server.close(() => process.exit(0));
  server.closeAllConnections();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
