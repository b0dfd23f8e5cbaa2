// GraphQL over fetch. A failure throws ApiError carrying the HTTP status and the GraphQL errors
// (each with extensions.code), so the page can show the code and message as the server gave them.

const TOKEN_KEY = "greenmine.token";

export class ApiError extends Error {
  constructor(status, errors) {
    super(errors.map((e) => e.message).join("; "));
    this.status = status;
    this.errors = errors;
  }
}

export const token = () => sessionStorage.getItem(TOKEN_KEY) || "";

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export async function gql(query, variables = {}) {
  const headers = { "content-type": "application/json", accept: "application/json" };
  if (token()) headers.authorization = `Bearer ${token()}`;
  let response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers,
      body: JSON.stringify({ query, variables }),
    });
  } catch (error) {
    throw new ApiError(0, [{ message: String(error), extensions: { code: "NETWORK_ERROR" } }]);
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    // not JSON: a proxy's error page, say; reported by its HTTP status below
  }
  const errors = body?.errors ?? [];
  if (!response.ok || errors.length || !body?.data) {
    const fallback = { message: response.statusText || "no data", extensions: { code: `HTTP_${response.status}` } };
    throw new ApiError(response.status, errors.length ? errors : [fallback]);
  }
  return body.data;
}
