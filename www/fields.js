// Form controls generated from the operation table's field descriptors
// ({ name, required, kind, min?, max?, values?, open?, pattern?, nullable? }).
// Values are read loosely on purpose: a wrong value goes to buildRequest as
// typed, so the package's validator reports it in its own words.
import { h } from "./dom.js";

const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
const JSON_KINDS = ["object", "record", "array", "any"];
const NUMBER_KINDS = ["integer", "integerOrZero", "number"];

function describeField(field) {
  const parts = [field.kind];
  const unit = { text: "characters", secret: "characters", array: "items", object: "keys" }[
    field.kind
  ];
  if (field.min !== undefined && field.max !== undefined) {
    parts.push(unit ? `${field.min}-${field.max} ${unit}` : `${field.min} to ${field.max}`);
  } else if (field.max !== undefined) {
    parts.push(unit ? `at most ${field.max} ${unit}` : `at most ${field.max}`);
  } else if (field.min !== undefined) {
    parts.push(`at least ${field.min}`);
  }
  if (field.values && field.open) parts.push(`for example ${field.values.join(", ")}`);
  if (field.pattern) parts.push(`pattern ${field.pattern}`);
  if (JSON_KINDS.includes(field.kind)) parts.push("as JSON");
  if (field.nullable) parts.push("may be null");
  return parts.join(", ");
}

function selectControl(id, options) {
  return h(
    "select",
    { id },
    h("option", { value: "", text: "(not set)" }),
    options.map((value) => h("option", { value, text: value })),
  );
}

function inputFor(field, id) {
  if (field.kind === "boolean") return selectControl(id, ["true", "false"]);
  if (field.kind === "enum" && !field.open) return selectControl(id, field.values ?? []);
  if (JSON_KINDS.includes(field.kind) || field.kind === "screenshot") {
    return h("textarea", { id, rows: 2, spellcheck: "false", autocomplete: "off" });
  }
  const type = field.kind === "secret" ? "password" : "text";
  const inputmode = NUMBER_KINDS.includes(field.kind) ? "decimal" : undefined;
  const list = field.kind === "enum" ? `${id}-values` : undefined;
  return h("input", { id, type, inputmode, list, spellcheck: "false", autocomplete: "off" });
}

function readValue(field, text) {
  if (text === "") return undefined;
  if (field.kind === "boolean") return text === "true";
  if (NUMBER_KINDS.includes(field.kind) && NUMBER.test(text.trim())) return Number(text);
  if (JSON_KINDS.includes(field.kind) || (field.nullable && text.trim() === "null")) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

function writeValue(field, value) {
  if (value === undefined) return "";
  if (typeof value === "string" && !JSON_KINDS.includes(field.kind)) return value;
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}

/**
 * Creates a labelled control for one field. Returns `{ name, element,
 * control, read(), write(value) }`; `read()` returns undefined when empty.
 */
export function fieldControl(field, idPrefix) {
  const id = `${idPrefix}-${field.name}`;
  const helpId = `${id}-help`;
  const control = inputFor(field, id);
  control.setAttribute("aria-describedby", helpId);
  if (field.required) control.setAttribute("aria-required", "true");

  const label = h("label", {
    for: id,
    className: field.required ? "required" : undefined,
    text: field.name,
  });
  const help = h("p", { className: "help", id: helpId, text: describeField(field) });
  const datalist =
    field.kind === "enum" && field.open
      ? h(
          "datalist",
          { id: `${id}-values` },
          (field.values ?? []).map((value) => h("option", { value })),
        )
      : null;
  return {
    name: field.name,
    element: h("div", { className: "field" }, label, control, datalist, help),
    control,
    read: () => readValue(field, control.value),
    write: (value) => {
      control.value = writeValue(field, value);
    },
  };
}

/** Creates a required text control for a path parameter. */
export function pathParamControl(name, idPrefix) {
  return fieldControl({ name, required: true, kind: "text" }, idPrefix);
}
