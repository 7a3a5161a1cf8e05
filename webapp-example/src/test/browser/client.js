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

  const guest = await observe(() => anonymous.registerGuest({}));
  steps.guestRegistration = guest.value ? { value: { user_id: guest.value.user_id } } : guest;
  steps.guestWhoami = await observe(() => createClient({ baseUrl, accessToken: guest.value?.access_token }).whoami());
  return steps;
};
window.ready = true;
