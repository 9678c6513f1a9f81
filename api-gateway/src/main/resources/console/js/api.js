// The API's client: the session's bearer token, JSON in and out, and problem details as errors.

const KEY = 'roster.session';

export const session = {
  get() {
    try {
      return JSON.parse(sessionStorage.getItem(KEY));
    } catch {
      return null;
    }
  },
  set(value) {
    sessionStorage.setItem(KEY, JSON.stringify(value));
  },
  clear() {
    sessionStorage.removeItem(KEY);
  },
};

/** An API answer other than 2xx: its problem details (RFC 9457), with the fields at fault. */
export class Problem extends Error {
  constructor(status, body) {
    super(body.detail || body.title || `The request failed (${status})`);
    this.status = status;
    this.type = body.type || '';
    this.title = body.title || '';
    this.errors = Array.isArray(body.errors) ? body.errors : [];
  }

  /** The reason given for {@code field}, or for a field nested in it ({@code filter.role}). */
  reasonFor(field) {
    const error = this.errors.find((e) => e.field === field || (e.field || '').endsWith('.' + field));
    return error ? error.reason : null;
  }
}

/**
 * Calls the API. {@code body}: an object (sent as JSON), a Blob/File or a string (sent as given, with
 * {@code type}). A 401 on a signed-in session ends it here and tells the page (roster:signed-out).
 */
export async function api(method, path, { body, type, headers = {}, raw = false } = {}) {
  const current = session.get();
  const sent = { Accept: 'application/json, application/problem+json', ...headers };
  if (current) {
    sent.Authorization = `Bearer ${current.token}`;
  }
  let payload;
  if (body instanceof Blob || typeof body === 'string') {
    payload = body;
    if (type) {
      sent['Content-Type'] = type;
    }
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    sent['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(path, { method, headers: sent, body: payload });
  } catch (e) {
    throw new Problem(0, { title: 'No connection', detail: 'The server could not be reached; try again.' });
  }
  if (response.status === 401 && current && path !== '/api/v1/auth/login') {
    session.clear();
    window.dispatchEvent(new CustomEvent('roster:signed-out'));
  }
  if (!response.ok) {
    let problem = {};
    try {
      problem = await response.json();
    } catch {
      // not JSON: keep the status
    }
    throw new Problem(response.status, problem);
  }
  if (raw) {
    return response;
  }
  if (response.status === 204) {
    return null;
  }
  const contentType = response.headers.get('Content-Type') || '';
  return contentType.includes('json') ? response.json() : response.text();
}

/** A fresh Idempotency-Key: a retry of the same click re-sends it, a new click gets a new one. */
export function idempotencyKey() {
  return crypto.randomUUID();
}
