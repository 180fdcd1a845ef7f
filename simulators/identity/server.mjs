// A real OpenID Connect provider (the `oidc-provider` npm package) standing in for the
// national identity platform (VNeID) in tests/test_oidc.py and in the demo (egov/demo_services.py).
// Demo and test use only: in-memory storage, a signing key made at start-up, one confidential
// client and one citizen.
//
//   node simulators/identity/server.mjs [PORT]
//
// Environment (all optional except the port, given as argument or OIDC_PROVIDER_PORT):
//   OIDC_PROVIDER_PORT    port to listen on, on 127.0.0.1; the issuer is http://127.0.0.1:PORT
//   OIDC_CLIENT_ID        default "egov-test"
//   OIDC_CLIENT_SECRET    default "egov-test-secret-khong-dung-that"
//   OIDC_REDIRECT_URI     default "http://testserver/oidc/callback/"
//   OIDC_PARENT_PID       exit when this process is gone (the demo's egov process)
//
// Endpoints: /auth, /token, /me (userinfo), /jwks, /.well-known/openid-configuration.
// Interactions are plain HTML forms an HTTP client can fill in without a browser:
//   GET  /interaction/:uid          the login form (prompt "login") or the consent form ("consent")
//   POST /interaction/:uid/login    fields "username", "password"
//   POST /interaction/:uid/confirm  grants what the client asked for
//   POST /interaction/:uid/abort    the citizen declines: the client gets error=access_denied
// Each form is <form method="post" action="..."> with named <input>s and no JavaScript.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.argv[2] ?? process.env.OIDC_PROVIDER_PORT);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error('usage: node server.mjs PORT (or set OIDC_PROVIDER_PORT)');
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}`;

// The test citizen. They sign in with their citizen ID number (số CCCD) and a password.
const CITIZENS = {
  '001190001234': {
    password: 'MatKhau-ThuNghiem-2024',
    claims: {
      sub: 'VNEID-001234',
      name: 'Trần Thị Bình',
      email: 'tran.thi.binh@vneid.test',
      email_verified: true,
    },
  },
};
const bySubject = new Map(Object.values(CITIZENS).map((citizen) => [citizen.claims.sub, citizen]));

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-rs256', alg: 'RS256', use: 'sig' };

const configuration = {
  clients: [{
    client_id: process.env.OIDC_CLIENT_ID || 'egov-test',
    client_secret: process.env.OIDC_CLIENT_SECRET || 'egov-test-secret-khong-dung-that',
    redirect_uris: [process.env.OIDC_REDIRECT_URI || 'http://testserver/oidc/callback/'],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
    id_token_signed_response_alg: 'RS256',
  }],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  scopes: ['openid', 'email', 'profile'],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  pkce: { required: () => true }, // the platform always sends PKCE: make the provider insist on it
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const citizen = bySubject.get(sub);
    if (!citizen) return undefined;
    return { accountId: sub, claims: async () => ({ ...citizen.claims }) };
  },
  async renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Lỗi', `<h1>Lỗi</h1><pre>${escape(JSON.stringify(out))}</pre>`);
  },
};

const provider = new Provider(issuer, configuration);

function escape(value) {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>${escape(title)}</title></head>`
    + `<body>${body}</body></html>`;
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function loginForm(uid, error = '') {
  return page('Đăng nhập định danh điện tử', `<h1>Đăng nhập</h1>${error ? `<p class="error">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${uid}/login">
<label>Số CCCD <input name="username" autocomplete="username"></label>
<label>Mật khẩu <input type="password" name="password" autocomplete="current-password"></label>
<button type="submit">Đăng nhập</button>
</form>`);
}

function consentForm(uid, clientId, scopes) {
  return page('Đồng ý chia sẻ thông tin', `<h1>Chia sẻ thông tin với ${escape(clientId)}</h1>
<p>Phạm vi: ${escape(scopes.join(' '))}</p>
<form method="post" action="/interaction/${uid}/confirm"><button type="submit">Đồng ý</button></form>
<form method="post" action="/interaction/${uid}/abort"><button type="submit">Từ chối</button></form>`);
}

async function finish(ctx, result, mergeWithLastSubmission) {
  const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission });
  ctx.status = 303;
  ctx.redirect(returnTo);
}

// Our own interactions, in front of the provider's routes.
provider.use(async (ctx, next) => {
  const match = /^\/interaction\/([\w-]+)(?:\/(login|confirm|abort))?$/.exec(ctx.path);
  if (!match) return next();
  const [, uid, action] = match;
  ctx.set('cache-control', 'no-store');
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (details.uid !== uid) ctx.throw(400, 'interaction mismatch');
  const { prompt, params, session } = details;

  if (!action && ctx.method === 'GET') {
    ctx.type = 'html';
    ctx.body = prompt.name === 'login'
      ? loginForm(uid)
      : consentForm(uid, params.client_id, String(params.scope).split(' '));
    return undefined;
  }
  if (ctx.method !== 'POST') ctx.throw(405);

  if (action === 'login') {
    if (prompt.name !== 'login') ctx.throw(400, 'not a login prompt');
    const form = await readForm(ctx.req);
    const citizen = CITIZENS[form.get('username') ?? ''];
    if (!citizen || citizen.password !== form.get('password')) {
      ctx.status = 200;
      ctx.type = 'html';
      ctx.body = loginForm(uid, 'Số CCCD hoặc mật khẩu không đúng.');
      return undefined;
    }
    return finish(ctx, { login: { accountId: citizen.claims.sub } }, false);
  }
  if (action === 'confirm') {
    if (prompt.name !== 'consent') ctx.throw(400, 'not a consent prompt');
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(prompt.details.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    return finish(ctx, { consent: { grantId: await grant.save() } }, true);
  }
  // abort
  return finish(ctx, { error: 'access_denied', error_description: 'End-User declined' }, false);
});

const parent = Number(process.env.OIDC_PARENT_PID || 0);
if (parent > 0) {
  setInterval(() => {
    try { process.kill(parent, 0); } catch { process.exit(0); }
  }, 1000).unref();
}

const server = provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider test server listening, issuer ${issuer}`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
