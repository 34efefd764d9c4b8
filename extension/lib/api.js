// The one call the extension makes: POST /api/v1/assess. The service decides which question
// comes next and where to report; the extension only shows what it answers.

import { isPermitted } from "./options.js";

const TIMEOUT_MS = 15000;

export class ServiceError extends Error {
  /**
   * kind: "not-permitted" (nothing was sent: no host permission for the service), "unreachable"
   * (no answer, or not a usable one) or "rejected" (4xx with an error body).
   */
  constructor(kind, message, code = null) {
    super(message);
    this.name = "ServiceError";
    this.kind = kind;
    this.code = code;
  }
}

export async function assess(serviceUrl, body) {
  // Checked right before each request, not once: the permission can be withdrawn at any time.
  if (!(await isPermitted(serviceUrl))) {
    throw new ServiceError("not-permitted", serviceUrl);
  }
  let response;
  try {
    response = await fetch(new URL("/api/v1/assess", serviceUrl), {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
      credentials: "omit",
      // A 307/308 would resend the body to another origin, one the person never permitted.
      redirect: "error",
      cache: "no-store",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new ServiceError("unreachable", String(error));
  }
  const data = await response.json().catch(() => null);
  if (response.status >= 400 && response.status < 500 && data?.error) {
    throw new ServiceError("rejected", String(data.error.message ?? ""), data.error.code ?? null);
  }
  if (!response.ok || !data || typeof data.complete !== "boolean") {
    throw new ServiceError("unreachable", `HTTP ${response.status}`);
  }
  return data;
}
