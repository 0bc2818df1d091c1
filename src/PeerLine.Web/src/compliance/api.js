// Reads of the compliance and metrics API with the same-origin staff cookie. No token is ever put in a URL.

/** @typedef {{ status: number, body: any }} Answer body: the endpoint's JSON, whose shape the caller knows */

/**
 * { status, body }: status 0 when PeerLine could not be reached; body null when the answer was not JSON.
 * @param {string} path
 * @param {Record<string, string | number | null | undefined>} query
 * @returns {Promise<Answer>}
 */
export async function getJson(path, query = {}) {
  const params = new URLSearchParams(Object.entries(query)
    .filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k, v]) => [k, String(v)]));
  const url = params.size > 0 ? `${path}?${params}` : path;
  try {
    const response = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
    return { status: response.status, body: await response.json().catch(() => null) };
  } catch {
    return { status: 0, body: null };
  }
}

/**
 * The sentence for a failed read, or null when it succeeded. A lost sign-in reloads the page to its sign-in.
 * @param {Answer} answer
 * @param {string} what
 */
export function failure({ status }, what) {
  if (status === 200) return null;
  if (status === 401) {
    location.reload();
    return 'Your sign-in has ended.';
  }
  return status === 0 ? `PeerLine cannot be reached right now, so the ${what} could not be loaded.`
    : `The ${what} could not be loaded (${status}).`;
}
