// Test-only grant types for Token Inspector's end-to-end tests (see server.mjs's header):
// token exchange (RFC 8693) and the JWT bearer grant (RFC 7523 §2.1), as small and honest as
// a test needs: every check a real deployment makes on the inputs is made, nothing more.
import { createLocalJWKSet, jwtVerify } from 'jose';
import { errors } from 'oidc-provider';
import checkResource from 'oidc-provider/lib/shared/check_resource.js';

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const MAX_ASSERTION_LIFETIME = 3600;

// oidc-provider keeps an invalid_grant's detail out of its answer; a test reads it there.
function invalidGrant(description) {
  const error = new errors.InvalidGrant(description);
  error.error_description = description;
  return error;
}

// Claims the grants below add to the tokens they issue (oidc-provider's extraTokenClaims hook).
export async function extraTokenClaims(ctx) {
  return ctx?.testTokenClaims;
}

async function findAccessToken(provider, value) {
  return (await provider.AccessToken.find(value)) || (await provider.ClientCredentials.find(value));
}

// An access token for the calling client, for the one resource server asked for (if any).
async function issue(ctx, claims) {
  const { client, params } = ctx.oidc;
  await checkResource(ctx, () => {});
  const servers = Object.values(ctx.oidc.resourceServers);
  if (servers.length > 1) throw new errors.InvalidTarget('only one resource indicator is supported here');
  const token = new ctx.oidc.provider.ClientCredentials({ client, scope: params.scope || undefined });
  if (servers.length) {
    [token.resourceServer] = servers;
    token.scope = (params.scope || '').split(' ')
      .filter((scope) => servers[0].scope.split(' ').includes(scope)).join(' ') || undefined;
  }
  ctx.testTokenClaims = claims;
  ctx.oidc.entity('ClientCredentials', token); // extraTokenClaims finds ctx through it
  const value = await token.save();
  return { access_token: value, expires_in: token.expiration, token_type: 'Bearer', scope: token.scope };
}

async function tokenExchange(ctx, next) {
  const { params, client, provider } = ctx.oidc;
  if (params.subject_token_type !== ACCESS_TOKEN_TYPE) {
    throw new errors.InvalidRequest('this provider exchanges access tokens only (subject_token_type)');
  }
  if (params.actor_token && params.actor_token_type !== ACCESS_TOKEN_TYPE) {
    throw new errors.InvalidRequest('actor_token_type must be given and be an access token type');
  }
  if (params.requested_token_type && params.requested_token_type !== ACCESS_TOKEN_TYPE) {
    throw new errors.InvalidRequest('this provider issues access tokens only (requested_token_type)');
  }
  const subject = await findAccessToken(provider, params.subject_token);
  if (!subject) throw invalidGrant('subject_token is invalid, expired or not issued here');
  let actor;
  if (params.actor_token) {
    actor = await findAccessToken(provider, params.actor_token);
    if (!actor) throw invalidGrant('actor_token is invalid, expired or not issued here');
  }
  if (params.audience && params.resource === undefined) params.resource = params.audience;
  const act = { sub: actor ? (actor.accountId || actor.clientId) : client.clientId };
  const body = await issue(ctx, { act });
  ctx.body = { ...body, issued_token_type: ACCESS_TOKEN_TYPE };
  await next();
}

async function jwtBearer(ctx, next) {
  const { params, client, provider } = ctx.oidc;
  if (!client.jwks?.keys?.length) throw new errors.UnauthorizedClient('the client has no registered jwks');
  let payload;
  try {
    ({ payload } = await jwtVerify(params.assertion, createLocalJWKSet(client.jwks), {
      issuer: client.clientId,
      audience: [provider.urlFor('token'), provider.issuer],
      requiredClaims: ['sub', 'exp', 'iat'],
    }));
  } catch (error) {
    throw invalidGrant(`the assertion did not verify: ${error.message}`);
  }
  if (payload.exp - payload.iat > MAX_ASSERTION_LIFETIME) {
    throw invalidGrant('the assertion lives longer than an hour');
  }
  ctx.body = await issue(ctx, { assertion_sub: payload.sub });
  await next();
}

export function registerTestGrants(provider) {
  provider.registerGrantType(TOKEN_EXCHANGE, tokenExchange, [
    'subject_token', 'subject_token_type', 'actor_token', 'actor_token_type', 'audience', 'resource', 'scope',
    'requested_token_type',
  ], ['resource']);
  provider.registerGrantType(JWT_BEARER, jwtBearer, ['assertion', 'scope', 'resource'], ['resource']);
}
