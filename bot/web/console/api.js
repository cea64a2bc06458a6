/* Wayfinder console: the console server's JSON API (same origin, CSRF token on every change). */

export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.name = "ApiError";
    this.status = status;
  }
}

export const session = { csrf: "", leaving: false };

export function goToLogin() {
  if (session.leaving) return;
  session.leaving = true;
  window.location.assign("/login");
}

export async function api(method, path, body, options) {
  const headers = { Accept: "application/json" };
  const init = { method: method, credentials: "same-origin", headers: headers, cache: "no-store" };
  if (method !== "GET") headers["X-CSRF-Token"] = session.csrf;
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    throw new ApiError("The console server cannot be reached. Check the connection and try again.", 0);
  }
  let data = null;
  const text = await response.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch (error) {
      data = null;
    }
  }
  if (response.status === 401 && !(options && options.noRedirect)) {
    goToLogin();
    throw new ApiError((data && data.error) || "Your session has ended. Please sign in again.", 401);
  }
  if (!response.ok) {
    throw new ApiError((data && data.error) || "The server answered " + response.status + ".", response.status);
  }
  return data || {};
}

/** A path under /api/handoffs/<id>/. */
export function handoffPath(id, rest) {
  return "/api/handoffs/" + encodeURIComponent(id) + (rest ? "/" + rest : "");
}
