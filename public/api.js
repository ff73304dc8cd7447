// The Jobline HTTP API as the page uses it: JSON in and out, problem+json errors as ApiError,
// and the bearer token when the server asked for one.
const TOKEN_KEY = 'jobline.token';

/** An answer that was not 2xx: status, the problem+json body (RFC 9457) and Retry-After in ms. */
export class ApiError extends Error {
  constructor(status, problem, retryAfterMs) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.retryAfterMs = retryAfterMs;
  }
}

export function setToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** Whether a token is in use: an EventSource cannot send it, so the page then long-polls. */
export function hasToken() {
  return Boolean(sessionStorage.getItem(TOKEN_KEY));
}

export async function request(method, path, { body, signal } = {}) {
  const headers = { Accept: 'application/json' };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = `Bearer ${token}`;
  // why: a file or a form is sent as it is; the browser writes a multipart body's Content-Type, with its boundary
  const raw = body instanceof FormData || body instanceof Blob;
  if (body instanceof Blob) headers['Content-Type'] = body.type || 'application/octet-stream';
  else if (body !== undefined && !raw) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, {
    method, headers, signal, cache: 'no-store',
    body: body === undefined || raw ? body : JSON.stringify(body),
  });
  if (res.status === 204) return null;
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { detail: text.slice(0, 200) };
  }
  if (!res.ok) {
    const seconds = Number(res.headers.get('Retry-After'));
    throw new ApiError(res.status, data, Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0);
  }
  return data;
}

const jobPath = id => `/api/jobs/${encodeURIComponent(id)}`;

export const api = {
  types: () => request('GET', '/api/types'),
  nodes: signal => request('GET', '/api/nodes', { signal }),
  schedules: signal => request('GET', '/api/schedules', { signal }),
  submit: (type, params) => request('POST', '/api/jobs', { body: { type, params } }),
  /** Uploads the file and starts the job on it in one multipart request; the job gets params.upload. */
  submitWithFile: (type, params, file) => {
    const body = new FormData();
    body.append('type', type);
    body.append('params', JSON.stringify(params));
    body.append('file', file, file.name);
    return request('POST', '/api/jobs', { body });
  },
  upload: file => request('POST', `/api/uploads?name=${encodeURIComponent(file.name)}`, { body: file }),
  cancel: id => request('POST', `${jobPath(id)}/cancel`),
  remove: id => request('DELETE', jobPath(id)),
};
