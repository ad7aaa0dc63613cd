// Server-sent event logs for runs and workflow runs, and their streams.

import { validationError } from "./errors.mjs";
import { nowIso } from "./util.mjs";

/** Durable, ordered events of one run; `seq` starts at 1. */
export class EventLog {
  constructor() {
    this.events = [];
    this.listeners = new Set();
  }

  /** Appends an event; `pretty` spreads its JSON data over several `data:` lines. */
  append(type, data, { pretty = false } = {}) {
    const event = { seq: this.events.length + 1, type, data, created_at: nowIso(), pretty };
    this.events.push(event);
    for (const listener of [...this.listeners]) {
      listener(event);
    }
    return event;
  }

  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Returns whether the log ends with the terminal `done` event. */
  isDone() {
    return this.events.at(-1)?.type === "done";
  }
}

/** Formats one event as an SSE frame. */
function formatFrame(event) {
  const json = JSON.stringify(event.data, null, event.pretty ? 2 : undefined);
  const dataLines = json
    .split("\n")
    .map((line) => `data: ${line}\n`)
    .join("");
  return `id: ${event.seq}\nevent: ${event.type}\n${dataLines}\n`;
}

function parseSeq(value, loc) {
  if (!/^\d{1,15}$/.test(value.trim())) {
    throw validationError([
      {
        loc,
        msg: `must be a non-negative integer event id, got ${JSON.stringify(value)}`,
        type: "int_parsing",
      },
    ]);
  }
  return Number(value.trim());
}

/**
 * Returns the resume cursor: the `Last-Event-ID` header, else the `after`
 * query parameter, else 0. Events with `seq` greater than it are sent.
 */
export function readResumeCursor(headers, query) {
  const lastEventId = headers["last-event-id"];
  if (lastEventId !== undefined && lastEventId !== "") {
    return parseSeq(lastEventId, ["header", "Last-Event-ID"]);
  }
  const after = query.get("after");
  if (after !== null) {
    return parseSeq(after, ["query", "after"]);
  }
  return 0;
}

/**
 * Builds the handler result that streams `log` after `cursor`: replay, then
 * live events, `: keepalive` comments, and the end of the response after `done`.
 * A `cut_stream` fault (`cutAfterEvents`) destroys the socket after that many events.
 */
export function eventStream(store, log, cursor) {
  return {
    stream(res, headers, cutAfterEvents) {
      res.writeHead(200, {
        ...headers,
        "Content-Type": "text/event-stream; charset=utf-8",
        "Cache-Control": "no-cache",
        Connection: "keep-alive",
      });
      let lastSent = cursor;
      let sentCount = 0;
      let finished = false;
      let cutting = false;
      let unsubscribe = () => {};
      let removeCloseHandler = () => {};
      let keepalive;

      const finish = (destroy) => {
        if (finished) {
          return;
        }
        finished = true;
        unsubscribe();
        removeCloseHandler();
        clearInterval(keepalive);
        if (destroy) {
          res.destroy();
        } else {
          res.end();
        }
      };
      const cutNow = () => cutAfterEvents !== undefined && sentCount >= cutAfterEvents;
      const send = (event) => {
        if (finished || cutting || event.seq <= lastSent) {
          return;
        }
        lastSent = event.seq;
        sentCount += 1;
        if (event.type === "done") {
          res.write(formatFrame(event));
          finish(false);
        } else if (cutNow()) {
          // Destroy only after the frame is flushed, so the client sees it.
          cutting = true;
          res.write(formatFrame(event), () => finish(true));
        } else {
          res.write(formatFrame(event));
        }
      };

      res.on("close", () => finish(false));
      removeCloseHandler = store.onClose(() => finish(true));
      if (cutNow()) {
        res.write(": keepalive\n\n", () => finish(true));
        return;
      }
      res.write(": keepalive\n\n");
      for (const event of log.events) {
        send(event);
      }
      if (finished || cutting) {
        return;
      }
      if (log.isDone()) {
        finish(false);
        return;
      }
      unsubscribe = log.subscribe(send);
      keepalive = setInterval(() => res.write(": keepalive\n\n"), store.keepaliveMs);
    },
  };
}
