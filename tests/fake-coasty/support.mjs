// Helpers for the fake server's own tests: HTTP calls, SSE parsing, polling
// and a local webhook receiver.

import http from "node:http";

/**
 * Sends a request with an API key (`key: null` sends none). An object body is
 * sent as JSON and a string body as is. Resolves to `{status, headers, body,
 * text}`, where `body` is the parsed JSON or null.
 */
export async function call(fake, method, path, { key = fake.keys.live, body, headers = {} } = {}) {
  const requestHeaders = { ...headers };
  if (key !== null) {
    requestHeaders["X-API-Key"] = key;
  }
  let payload;
  if (body !== undefined) {
    requestHeaders["Content-Type"] = "application/json";
    payload = typeof body === "string" ? body : JSON.stringify(body);
  }
  const response = await fetch(`${fake.baseUrl}${path}`, {
    method,
    headers: requestHeaders,
    body: payload,
  });
  const text = await response.text();
  let parsed = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/**
 * Parses SSE text into `{events, comments}`. Each event is `{id, event, data,
 * dataLineCount}` with `data` JSON-decoded from its joined `data:` lines.
 */
function parseSse(text) {
  const events = [];
  let comments = 0;
  for (const block of text.split("\n\n")) {
    const frame = { id: null, event: null, dataLines: [] };
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) {
        comments += 1;
      } else if (line.startsWith("id: ")) {
        frame.id = Number(line.slice(4));
      } else if (line.startsWith("event: ")) {
        frame.event = line.slice(7);
      } else if (line.startsWith("data: ")) {
        frame.dataLines.push(line.slice(6));
      }
    }
    if (frame.event !== null) {
      events.push({
        id: frame.id,
        event: frame.event,
        data: JSON.parse(frame.dataLines.join("\n")),
        dataLineCount: frame.dataLines.length,
      });
    }
  }
  return { events, comments };
}

/**
 * Opens an event stream and reads it to its end, or until the connection
 * fails. Resolves to `{status, contentType, events, comments, text, failed}`.
 */
export async function readEventStream(fake, path, { key = fake.keys.live, headers = {} } = {}) {
  const response = await fetch(`${fake.baseUrl}${path}`, {
    headers: { "X-API-Key": key, Accept: "text/event-stream", ...headers },
  });
  const decoder = new TextDecoder();
  let text = "";
  let failed = false;
  try {
    for await (const chunk of response.body) {
      text += decoder.decode(chunk, { stream: true });
    }
  } catch {
    failed = true;
  }
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    ...parseSse(text),
    text,
    failed,
  };
}

/** Polls `probe` until it returns a truthy value; throws after `timeoutMs`. */
export async function waitFor(probe, description, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Waits until no run is queued or running, so no run charges the wallet while
 * a test reads it. Runs paused in awaiting_human do not charge.
 */
export function waitForIdleRuns(fake, timeoutMs = 5000) {
  const busy = ["queued", "running"];
  return waitFor(
    () => fake.runs().every((run) => !busy.includes(run.status)),
    "every run to finish or pause",
    timeoutMs,
  );
}

/** Waits until the run reaches `status` and returns it. */
export function waitForRunStatus(fake, runId, status) {
  return waitFor(
    () => fake.runs().find((run) => run.id === runId && run.status === status),
    `run ${runId} to reach ${status}`,
  );
}

/**
 * Starts a webhook receiver on 127.0.0.1 that responds with `statusCode` and
 * records `{headers, body}` with the raw body text.
 */
export async function startReceiver(statusCode = 200) {
  const received = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(statusCode).end();
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/hook`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  };
}
