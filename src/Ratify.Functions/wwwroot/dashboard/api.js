// The API as the dashboard uses it: the key from sessionStorage in the Authorization header, errors as problem+json.
const KEY = "ratify.apiKey";

export const session = {
  get key() {
    return sessionStorage.getItem(KEY);
  },
  set(key) {
    sessionStorage.setItem(KEY, key);
  },
  clear() {
    sessionStorage.removeItem(KEY);
  },
};

/** An error answer, carrying its problem+json document (title, detail, errors with JSON pointers). */
export class ProblemError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `The request failed (HTTP ${status}).`);
    this.status = status;
    this.problem = problem;
  }
}

function headers(accept, withBody) {
  const all = { Accept: accept, Authorization: "Bearer " + (session.key ?? "") };
  if (withBody) {
    all["Content-Type"] = "application/json";
  }
  return all;
}

async function problemOf(response) {
  const text = await response.text().catch(() => "");
  try {
    const problem = JSON.parse(text);
    if (problem && typeof problem === "object") {
      return problem;
    }
  } catch {
    // Not JSON: a proxy's page, say; the status speaks for it.
  }
  return { title: response.statusText || "Error", status: response.status };
}

async function failed(response) {
  if (response.status === 401) {
    window.dispatchEvent(new CustomEvent("ratify:unauthorized"));
  }
  return new ProblemError(response.status, await problemOf(response));
}

/** Calls the API and returns its JSON; throws ProblemError for an error answer. */
export async function api(path, { method = "GET", body, signal } = {}) {
  const response = await fetch(path, {
    method,
    headers: headers("application/json", body !== undefined),
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "omit",
    cache: "no-store",
    signal,
  });
  if (!response.ok) {
    throw await failed(response);
  }
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/**
 * Follows a Server-Sent Events endpoint through fetch(), so that the key travels in a header and never in a URL.
 * Calls onEvent({id, event, data}) per event (data parsed as JSON) and resolves when the server ends the stream.
 */
export async function follow(path, { onOpen, onEvent, signal }) {
  const response = await fetch(path, { headers: headers("text/event-stream", false), credentials: "omit", cache: "no-store", signal });
  if (!response.ok) {
    throw await failed(response);
  }
  onOpen?.();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let event = { id: null, event: "message", data: [] };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    buffer += value;
    let end;
    while ((end = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, end).replace(/\r$/, "");
      buffer = buffer.slice(end + 1);
      if (line === "") {
        if (event.data.length > 0) {
          const data = event.data.join("\n");
          let parsed = data;
          try {
            parsed = JSON.parse(data);
          } catch {
            // A text event: passed on as it came.
          }
          onEvent({ id: event.id, event: event.event, data: parsed });
        }
        event = { id: null, event: "message", data: [] };
        continue;
      }
      if (line.startsWith(":")) {
        continue; // a comment, such as a keep-alive
      }
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const fieldValue = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "data") {
        event.data.push(fieldValue);
      } else if (field === "event") {
        event.event = fieldValue;
      } else if (field === "id") {
        event.id = fieldValue;
      }
    }
  }
}
