// The webhook debugger panel: reads the form, sends it to the Worker and
// renders the verdict, the timestamp, the expected signature and the causes.
import { debounce, definitionList, errorBox, formatSeconds, h, show } from "./dom.js";

// The first published test vector: its secret, t, body and v1 are public.
const VECTOR = {
  secret: "whsec_test_secret_123",
  t: 1750000000,
  body: '{"event":"run.succeeded","run_id":"run_123","status":"succeeded"}',
  v1: "5f70978eab52dbf5838da76e5eb6c6c465560ce8e746ed8e6113c159d8bbb2d4",
};

const byId = (id) => document.getElementById(id);

function parseReceiveTime(text) {
  const value = text.trim();
  if (value === "") return { now: undefined };
  if (/^\d+$/.test(value)) {
    const seconds = Number(value);
    if (seconds >= 1e11) {
      const suggestion = Math.floor(seconds / 1000);
      return {
        error:
          `receive time ${value} looks like milliseconds; ` +
          `enter unix seconds such as ${suggestion}`,
      };
    }
    return { now: seconds };
  }
  const milliseconds = Date.parse(value);
  if (Number.isNaN(milliseconds)) {
    return {
      error:
        `receive time "${value}" is not a time; ` +
        "enter unix seconds (1750000000) or ISO 8601 (2025-06-15T15:06:40Z)",
    };
  }
  return { now: Math.floor(milliseconds / 1000) };
}

function parseTolerance(text) {
  const value = text.trim();
  if (value === "") return { toleranceSeconds: undefined };
  if (!/^\d{1,9}$/.test(value)) {
    return {
      error: `tolerance "${value}" is not a whole number of seconds; enter 300 for the default`,
    };
  }
  return { toleranceSeconds: Number(value) };
}

function timestampSection(timestamp) {
  if (timestamp === null) return null;
  const age = timestamp.ageSeconds;
  const when =
    age >= 0
      ? `${formatSeconds(age)} before the receive time`
      : `${formatSeconds(age)} after the receive time`;
  const pairs = [
    ["t", timestamp.raw],
    ["As a date", timestamp.iso ?? "out of range"],
    ["Age", when],
    ["Tolerance", `±${timestamp.toleranceSeconds} s`],
  ];
  if (timestamp.looksLikeMilliseconds) {
    pairs.push([
      "Note",
      "t has 13 or more digits, which reads as milliseconds; Coasty sends seconds.",
    ]);
  }
  return [h("h3", { text: "Timestamp" }), definitionList(pairs)];
}

function eventSection(verdict, secretCount) {
  const event = verdict.event ?? {};
  const pairs = [
    ["Matched", secretCount > 1 ? `secret #${verdict.secretIndex + 1}` : "your secret"],
    ["Event", event.event ?? "none"],
    ["Run id", event.runId ?? "none"],
    ["Status", event.status ?? "none"],
  ];
  if (event.reason) pairs.push(["Reason", event.reason]);
  return [h("h3", { text: "Event" }), definitionList(pairs)];
}

function causeBox(cause) {
  return h(
    "div",
    { className: cause.id === "no-known-cause" ? "cause none" : "cause", "data-cause": cause.id },
    h("h4", { text: cause.title }),
    h("p", { text: cause.explanation }),
    h(
      "p",
      {},
      h("strong", { text: cause.id === "no-known-cause" ? "Next: " : "Fix: " }),
      cause.fix,
    ),
    cause.proof ? h("p", { className: "proof", text: cause.proof }) : null,
  );
}

function diagnosisSection(report) {
  if (report.verdict.ok) return null;
  const heading = h("h3", { text: "Diagnosis" });
  if (report.causes.length > 0) return [heading, ...report.causes.map(causeBox)];
  return [heading, h("p", { text: "The header has no t and v1 values to test variants against." })];
}

function render(output, message, secretCount) {
  if (!message.ok) {
    show(output, errorBox(message.error));
    return;
  }
  const report = message.result;
  const { verdict } = report;
  const banner = verdict.ok
    ? h(
        "p",
        { className: "verdict ok", "data-verdict": "ok" },
        "Valid delivery",
        h("span", {
          className: "detail",
          text: "The signature matches and the timestamp is within tolerance.",
        }),
      )
    : h(
        "p",
        { className: "verdict bad", "data-verdict": verdict.code },
        `Rejected: ${verdict.code}`,
        h("span", { className: "detail", text: verdict.message }),
      );
  const notes =
    report.headerNotes.length > 0
      ? h(
          "ul",
          { className: "notes" },
          report.headerNotes.map((note) => h("li", { text: note })),
        )
      : null;
  const expected = report.expected.map((item) => [
    secretCount > 1 ? h("p", { text: `Secret #${item.secretIndex + 1}:` }) : null,
    h("pre", { "data-expected": item.secretIndex, text: item.header }),
  ]);
  const variants = report.searched ? `, ${report.tried} variants tried` : "";
  show(
    output,
    banner,
    notes,
    verdict.ok ? eventSection(verdict, secretCount) : null,
    timestampSection(report.timestamp),
    h("h3", { text: "Signature the body would need" }),
    expected,
    diagnosisSection(report),
    h("p", {
      className: "timing",
      text: `Checked in ${Math.round(message.elapsedMs)} ms${variants}.`,
    }),
  );
}

/** Wires the webhook debugger form to the Worker. */
export function setupWebhook({ submit, register }) {
  const form = byId("webhook-form");
  const output = byId("webhook-output");
  const bodyBox = byId("wh-body");
  const fileInput = byId("wh-file");
  const clearFile = byId("wh-file-clear");
  const source = byId("wh-body-source");
  let fileBody = null;
  let secretCount = 1;

  register("webhook", (message) => render(output, message, secretCount));

  function run() {
    const secrets = byId("wh-secrets")
      .value.split("\n")
      .filter((line) => line.trim() !== "");
    const header = byId("wh-header").value;
    const body = fileBody?.bytes ?? bodyBox.value;
    if (secrets.length === 0 || header.trim() === "" || body.length === 0) {
      show(
        output,
        h("p", {
          className: "placeholder",
          text: "Paste a secret, a header and a body to check them.",
        }),
      );
      return;
    }
    const time = parseReceiveTime(byId("wh-now").value);
    const tolerance = parseTolerance(byId("wh-tolerance").value);
    const inputError = time.error ?? tolerance.error;
    if (inputError) {
      show(output, errorBox({ code: "INVALID_INPUT", message: inputError }));
      return;
    }
    secretCount = secrets.length;
    const apiKey = byId("wh-apikey").value || undefined;
    submit("webhook", {
      secrets,
      header,
      body,
      apiKey,
      now: time.now,
      toleranceSeconds: tolerance.toleranceSeconds,
    });
  }

  const runSoon = debounce(run, 300);
  form.addEventListener("input", (event) => {
    if (event.target !== fileInput) runSoon();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });

  fileInput.addEventListener("change", async () => {
    const file = fileInput.files?.[0];
    if (!file) return;
    fileBody = { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
    const size = fileBody.bytes.length;
    source.textContent = `Body source: ${file.name}, ${size} bytes, exactly as stored.`;
    bodyBox.disabled = true;
    clearFile.disabled = false;
    run();
  });
  clearFile.addEventListener("click", () => {
    fileBody = null;
    fileInput.value = "";
    source.textContent = "Body source: the text box.";
    bodyBox.disabled = false;
    clearFile.disabled = true;
    bodyBox.focus();
    run();
  });

  byId("wh-example").addEventListener("click", () => {
    byId("wh-secrets").value = VECTOR.secret;
    byId("wh-header").value = `t=${VECTOR.t},v1=${VECTOR.v1}`;
    bodyBox.value = VECTOR.body;
    byId("wh-now").value = String(VECTOR.t + 30);
    byId("wh-tolerance").value = "300";
    run();
  });
}
