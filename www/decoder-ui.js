// The error decoder panel: status, headers and body in, the typed error with
// every field and its hint out.
import { debounce, definitionList, errorBox, h, show } from "./dom.js";

const byId = (id) => document.getElementById(id);
const RAW_BODY_SHOWN = 2000;

// Example responses in the documented error envelope, with made-up ids.
const EXAMPLES = {
  rate: {
    status: "429",
    headers: "Content-Type: application/json\nRetry-After: 12\nX-Coasty-Request-Id: req_5e1f0a",
    body: JSON.stringify({
      error: {
        code: "RATE_LIMITED",
        message: "Too many requests; retry in 12 seconds.",
        type: "rate_limit_error",
        request_id: "req_5e1f0a",
        retry_after: 12,
      },
    }),
  },
  credits: {
    status: "402",
    headers: "Content-Type: application/json",
    body: JSON.stringify({
      error: {
        code: "INSUFFICIENT_CREDITS",
        message: "Operation needs 20 credits; you have 5.",
        type: "billing_error",
        request_id: "req_7c2d9b",
        required: 20,
        balance: 5,
      },
    }),
  },
  scope: {
    status: "403",
    headers: "Content-Type: application/json",
    body: JSON.stringify({
      error: {
        code: "INSUFFICIENT_SCOPE",
        message: "This key lacks the runs:write scope.",
        type: "auth_error",
        request_id: "req_91aa30",
        required_scope: "runs:write",
        current_scopes: ["runs:read"],
      },
    }),
  },
  proxy: {
    status: "502",
    headers: "Content-Type: text/html",
    body:
      "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n" +
      "<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n",
  },
};

function showUnavailable() {
  const box = byId("decoder-unavailable");
  box.hidden = false;
  box.textContent =
    "Not available in this build: the loaded coasty package has no decodeApiError. " +
    "Rebuild the package with `make build` once it is in it, then reload.";
  byId("decoder-tool").hidden = true;
}

function displayValue(name, value) {
  if (value === null) return h("span", { className: "placeholder", text: "null" });
  if (name === "rawBody" && typeof value === "string") {
    const shown = value.length > RAW_BODY_SHOWN ? `${value.slice(0, RAW_BODY_SHOWN)}…` : value;
    return h("pre", { text: shown });
  }
  if (typeof value === "object") return h("pre", { text: JSON.stringify(value, null, 2) });
  return String(value);
}

function render(output, message) {
  if (!message.ok) {
    show(output, errorBox(message.error));
    return;
  }
  const result = message.result;
  if (!result.ok) {
    show(output, errorBox(result.error, "Not decoded"));
    return;
  }
  const fields = result.fields.filter(([name]) => name !== "hint");
  const code = fields.find(([name]) => name === "code")?.[1];
  show(
    output,
    h(
      "p",
      { className: "verdict bad", "data-verdict": result.className },
      result.className,
      h("span", { className: "detail", text: code ? `code ${code}` : "no error code in the body" }),
    ),
    h("h3", { text: "What to do next" }),
    h("p", {
      "data-output": "hint",
      text: result.hint ?? "The package gives no hint for this response.",
    }),
    h("h3", { text: "Every field" }),
    definitionList(fields.map(([name, value]) => [name, displayValue(name, value)])),
  );
}

/** Wires the error decoder form to the Worker, or shows why it is unavailable. */
export function setupDecoder({ submit, register, available }) {
  if (!available) {
    showUnavailable();
    return;
  }
  const form = byId("decoder-form");
  const output = byId("decoder-output");
  register("decoder", (message) => render(output, message));

  function run() {
    if (byId("de-status").value.trim() === "") {
      show(
        output,
        h("p", { className: "placeholder", text: "Paste a status and a body to decode them." }),
      );
      return;
    }
    submit("decoder", {
      status: byId("de-status").value,
      headersText: byId("de-headers").value,
      body: byId("de-body").value,
      now: byId("de-now").value,
    });
  }

  const runSoon = debounce(run, 250);
  const examples = byId("de-example");
  form.addEventListener("input", (event) => {
    if (event.target !== examples) runSoon();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  examples.addEventListener("change", () => {
    const example = EXAMPLES[examples.value];
    if (!example) return;
    byId("de-status").value = example.status;
    byId("de-headers").value = example.headers;
    byId("de-body").value = example.body;
    run();
  });
}
