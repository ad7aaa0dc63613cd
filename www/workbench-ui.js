// The request workbench panel: an operation picker, a form generated from the
// operation's path parameters, query and body fields, a JSON body editor kept
// in step with the form, and the built request as HTTP, curl and fetch.
import { debounce, definitionList, errorBox, h, show } from "./dom.js";
import { fieldControl, pathParamControl } from "./fields.js";

const byId = (id) => document.getElementById(id);

function showUnavailable() {
  const box = byId("workbench-unavailable");
  box.hidden = false;
  box.textContent =
    "Not available in this build: the loaded coasty package has no buildRequest or " +
    "operations(). Rebuild the package with `make build` once they are in it, then reload.";
  byId("workbench-tool").hidden = true;
}

function operationOptions(operations) {
  const groups = new Map();
  for (const operation of operations) {
    const group = operation.id.split(".")[0];
    if (!groups.has(group)) groups.set(group, []);
    groups.get(group).push(operation);
  }
  return [...groups].map(([group, list]) =>
    h(
      "optgroup",
      { label: group },
      list.map((op) => h("option", { value: op.id, text: `${op.id}  (${op.method} ${op.path})` })),
    ),
  );
}

function operationInfo(operation) {
  const parts = [
    `${operation.method} ${operation.path}`,
    `scope: ${operation.scope ?? "none or depends on the path"}`,
  ];
  if (operation.idempotency === "honoured") parts.push("deduplicates by Idempotency-Key");
  if (operation.streams) parts.push("streams server-sent events");
  if (operation.exactlyOneOf) parts.push(`exactly one of ${operation.exactlyOneOf.join(", ")}`);
  return parts.join(" · ");
}

function fillFieldset(fieldset, controls) {
  const legend = fieldset.querySelector("legend");
  fieldset.replaceChildren(legend, ...controls.map((control) => control.element));
  fieldset.hidden = controls.length === 0;
}

function readControls(controls) {
  const values = {};
  for (const control of controls) {
    const value = control.read();
    if (value !== undefined) values[control.name] = value;
  }
  return values;
}

function codeBlock(title, text, name) {
  return [h("h3", { text: title }), h("pre", { "data-output": name, text })];
}

function render(output, message, edited) {
  if (!message.ok) {
    show(output, errorBox(message.error));
    return;
  }
  const result = message.result;
  // A fresh form lacks its required fields; that is a prompt, not a mistake.
  if (!result.ok && !edited && result.error.problem === "missing required field") {
    show(
      output,
      h(
        "p",
        { className: "verdict", "data-verdict": "pending" },
        `Fill in ${result.error.field} to build the request.`,
      ),
    );
    return;
  }
  if (!result.ok) {
    const { error } = result;
    const details = [["Message", error.message]];
    if (error.field) details.push(["Field", error.field]);
    if (error.problem) details.push(["Problem", error.problem]);
    if (error.allowed)
      details.push([
        "Allowed",
        Array.isArray(error.allowed) ? error.allowed.join(", ") : String(error.allowed),
      ]);
    show(
      output,
      h(
        "p",
        { className: "verdict bad", "data-verdict": error.code ?? error.name },
        `Invalid request: ${error.code ?? error.name}`,
      ),
      definitionList(details),
    );
    return;
  }
  const keyNote = result.keyEntered
    ? "redacted in every view below"
    : "none entered; the views read it from COASTY_API_KEY";
  show(
    output,
    h(
      "p",
      { className: "verdict ok", "data-verdict": "ok" },
      "Valid request",
      h("span", { className: "detail", text: "The client would send exactly this." }),
    ),
    definitionList([
      ["Method", result.method],
      ["URL", result.url],
      ["Scope", result.scope ?? "none required"],
      ["Idempotency-Key", result.idempotencyKey ?? "not sent"],
      ["Estimated cost", h("span", { "data-output": "cost", text: result.cost.text })],
      ["API key", keyNote],
    ]),
    codeBlock("HTTP request", result.http, "http"),
    codeBlock("curl", result.curl, "curl"),
    codeBlock("fetch", result.fetch, "fetch"),
  );
}

/** Wires the workbench form to the Worker, or shows why it is unavailable. */
export function setupWorkbench({ submit, register, available, operations, defaults }) {
  if (!available) {
    showUnavailable();
    return;
  }
  const form = byId("workbench-form");
  const select = byId("wb-operation");
  const bodyEditor = byId("wb-body");
  const output = byId("workbench-output");
  let pathControls = [];
  let queryControls = [];
  let bodyControls = [];
  let operation = null;
  // Whether the user has typed or submitted since the operation was chosen.
  let edited = false;

  register("workbench", (message) => render(output, message, edited));
  select.replaceChildren(...operationOptions(operations));
  select.value = operations.some((op) => op.id === "runs.create")
    ? "runs.create"
    : operations[0].id;
  byId("wb-base-url").value = defaults.baseUrl ?? "";

  function run() {
    submit("workbench", {
      operationId: operation.id,
      pathParams: readControls(pathControls),
      query: readControls(queryControls),
      bodyText: operation.body === "none" ? "" : bodyEditor.value,
      idempotencyKey: byId("wb-idempotency").value,
      headersText: byId("wb-headers").value,
      apiKey: byId("wb-apikey").value,
      baseUrl: byId("wb-base-url").value.trim(),
      authScheme: byId("wb-auth").value,
    });
  }

  /** Copies one form field into the JSON editor, unless the editor contains invalid JSON. */
  function syncEditorFrom(control) {
    let body;
    try {
      body = bodyEditor.value.trim() === "" ? {} : JSON.parse(bodyEditor.value);
    } catch {
      return;
    }
    if (body === null || typeof body !== "object" || Array.isArray(body)) return;
    const value = control.read();
    if (value === undefined) delete body[control.name];
    else body[control.name] = value;
    bodyEditor.value = JSON.stringify(body, null, 2);
  }

  function syncFormFromEditor() {
    let body;
    try {
      body = JSON.parse(bodyEditor.value);
    } catch {
      return;
    }
    if (body === null || typeof body !== "object" || Array.isArray(body)) return;
    for (const control of bodyControls) control.write(body[control.name]);
  }

  function selectOperation() {
    operation = operations.find((op) => op.id === select.value);
    byId("wb-operation-info").textContent = operationInfo(operation);
    pathControls = operation.pathParams.map((name) => pathParamControl(name, "wb-path"));
    queryControls = operation.query.map((field) => fieldControl(field, "wb-query"));
    const hasBody = operation.body !== "none";
    bodyControls = hasBody ? operation.fields.map((field) => fieldControl(field, "wb-field")) : [];
    fillFieldset(byId("wb-path-fields"), pathControls);
    fillFieldset(byId("wb-query-fields"), queryControls);
    fillFieldset(byId("wb-body-fields"), bodyControls);
    for (const control of bodyControls) {
      control.control.addEventListener("input", () => syncEditorFrom(control));
    }
    byId("wb-body-field").hidden = !hasBody;
    bodyEditor.value = hasBody && operation.body !== "any" ? "{}" : "";
    byId("wb-idempotency-field").hidden = operation.idempotency === "not_accepted";
    byId("wb-idempotency").value = "";
    edited = false;
    run();
  }

  const runSoon = debounce(run, 250);
  select.addEventListener("change", selectOperation);
  bodyEditor.addEventListener("input", syncFormFromEditor);
  form.addEventListener("input", (event) => {
    if (event.target === select) return;
    edited = true;
    runSoon();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    edited = true;
    run();
  });
  selectOperation();
}
