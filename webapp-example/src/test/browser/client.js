// What a Matrix web client (Element Web is built on this SDK) does against a homeserver on another
// origin. window.runSteps(homeserver, tokens) resolves to one observation per step; BrowserClientIT
// judges them, so a step that fails shows what the browser saw ("Failed to fetch" when CORS refused).
import { createClient } from "matrix-js-sdk";

async function observe(action) {
  try {
    return { value: await action() };
  } catch (e) {
    // A MatrixError is the homeserver's JSON, read by the page; anything else is a network or CORS failure.
    return { error: { name: e.name, message: e.message, errcode: e.errcode ?? null, httpStatus: e.httpStatus ?? null,
      softLogout: e.data?.soft_logout ?? null } };
  }
}

window.runSteps = async (baseUrl, { user, password, expiredToken }) => {
  const anonymous = createClient({ baseUrl });
  const steps = {};
  steps.versions = await observe(async () => (await anonymous.getVersions()).versions);
  steps.loginFlows = await observe(async () => (await anonymous.loginFlows()).flows.map((flow) => flow.type));
  const login = await observe(() => anonymous.loginRequest({
    type: "m.login.password", identifier: { type: "m.id.user", user }, password,
  }));
  steps.login = login.value ? { value: { user_id: login.value.user_id, device_id: login.value.device_id } } : login;

  const session = createClient({ baseUrl, accessToken: login.value?.access_token, userId: login.value?.user_id });
  steps.whoami = await observe(() => session.whoami());
  steps.logout = await observe(() => session.logout());
  steps.loggedOutToken = await observe(() => session.whoami());
  steps.unknownToken = await observe(() => createClient({ baseUrl, accessToken: "no_such_token" }).whoami());
  steps.expiredToken = await observe(() => createClient({ baseUrl, accessToken: expiredToken }).whoami());

  Object.assign(steps, await refreshSteps(baseUrl, anonymous, user, password));

  const guest = await observe(() => anonymous.registerGuest({}));
  steps.guestRegistration = guest.value ? { value: { user_id: guest.value.user_id } } : guest;
  steps.guestWhoami = await observe(() => createClient({ baseUrl, accessToken: guest.value?.access_token }).whoami());
  return steps;
};
// Matrix v1.3 refresh tokens as the SDK renews them outside OAuth 2.0: MatrixClient.refreshToken()
// (POST /v3/refresh, /v1/refresh where that is unrecognised), sent with the expired access token in
// its Authorization header, as the SDK sends it. Its automatic renewal is for OAuth 2.0 sessions only.
async function refreshSteps(baseUrl, anonymous, user, password) {
  const steps = {};
  const login = await observe(() => anonymous.loginRequest({
    type: "m.login.password", identifier: { type: "m.id.user", user }, password, refresh_token: true,
  }));
  steps.refreshableLogin = login.value ? { value: tokenFields(login.value) } : login;
  const first = createClient({ baseUrl, accessToken: login.value?.access_token, userId: login.value?.user_id });
  steps.beforeExpiry = await observe(() => first.whoami());
  await new Promise((resolve) => setTimeout(resolve, (login.value?.expires_in_ms ?? 0) + 500));
  steps.afterExpiry = await observe(() => first.whoami());
  const renewal = await observe(() => first.refreshToken(login.value?.refresh_token));
  steps.renewal = renewal.value ? { value: tokenFields(renewal.value) } : renewal;
  const renewed = createClient({ baseUrl, accessToken: renewal.value?.access_token, userId: login.value?.user_id });
  steps.afterRenewal = await observe(() => renewed.whoami());
  steps.spentRefreshToken = await observe(() => renewed.refreshToken(login.value?.refresh_token));
  steps.renewedLogout = await observe(() => renewed.logout());
  steps.refreshAfterLogout = await observe(() => renewed.refreshToken(renewal.value?.refresh_token));
  return steps;
}

/** What a login or refresh answer says of its tokens, without the tokens. */
function tokenFields(answer) {
  return { expires_in_ms: answer.expires_in_ms ?? null, refresh_token: typeof answer.refresh_token === "string" };
}

window.ready = true;
