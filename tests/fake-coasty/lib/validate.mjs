// Request-body validation that reports every problem as `{loc, msg, type}`,
// the `details` format of the 422 VALIDATION_ERROR envelope.
//
// A rule is an object: { type: "string"|"integer"|"number"|"boolean"|"object"|
// "array", required, nullable, min, max, clampMax, enum, pattern,
// maxKeys, fields (nested strict schema), items (rule for array items),
// check (value => message | undefined), secret (never echo the value) }.
// min and max bound the length of strings, the item count of arrays and the
// value of numbers.

import { ApiError, validationError } from "./errors.mjs";
import { describeValue } from "./util.mjs";

function rangeText(rule, unit) {
  if (rule.min !== undefined && rule.max !== undefined) {
    return ` of ${rule.min} to ${rule.max}${unit}`;
  }
  if (rule.min !== undefined) {
    return ` of at least ${rule.min}${unit}`;
  }
  if (rule.max !== undefined) {
    return ` of at most ${rule.max}${unit}`;
  }
  return "";
}

function checkString(value, rule) {
  if (typeof value !== "string") {
    return ["must be a string", "string_type"];
  }
  if (rule.enum !== undefined && !rule.enum.includes(value)) {
    return [`must be one of ${rule.enum.join(", ")}`, "enum"];
  }
  const tooShort = rule.min !== undefined && value.length < rule.min;
  const tooLong = rule.max !== undefined && value.length > rule.max;
  if (tooShort || tooLong) {
    return [`must be a string${rangeText(rule, " characters")}`, "string_length"];
  }
  if (rule.pattern !== undefined && !rule.pattern.test(value)) {
    return [`must match ${rule.pattern.source}`, "string_pattern_mismatch"];
  }
  return null;
}

function checkNumber(value, rule, integer) {
  const kind = integer ? "an integer" : "a number";
  const ok = typeof value === "number" && Number.isFinite(value);
  if (!ok || (integer && !Number.isInteger(value))) {
    return [`must be ${kind}`, integer ? "int_type" : "float_type"];
  }
  const tooSmall = rule.min !== undefined && value < rule.min;
  const upper = rule.clampMax ?? rule.max;
  const tooBig = rule.clampMax === undefined && upper !== undefined && value > upper;
  if (tooSmall || tooBig) {
    const range = { min: rule.min, max: upper };
    return [`must be ${kind}${rangeText(range, "")}`, "number_range"];
  }
  return null;
}

function checkArray(value, rule, loc, details) {
  if (!Array.isArray(value)) {
    return ["must be an array", "list_type"];
  }
  const tooShort = rule.min !== undefined && value.length < rule.min;
  const tooLong = rule.max !== undefined && value.length > rule.max;
  if (tooShort || tooLong) {
    return [`must be an array${rangeText(rule, " items")}`, "list_length"];
  }
  if (rule.items !== undefined) {
    value.forEach((item, index) => {
      checkValue(item, rule.items, [...loc, index], details);
    });
  }
  return null;
}

function checkObject(value, rule, loc, details) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return ["must be an object", "dict_type"];
  }
  if (rule.maxKeys !== undefined && Object.keys(value).length > rule.maxKeys) {
    return [`must have at most ${rule.maxKeys} keys`, "too_many_keys"];
  }
  if (rule.fields !== undefined) {
    collectDetails(value, rule.fields, loc, details);
  }
  return null;
}

/** Checks one value against its rule, appending problems to `details`. */
function checkValue(value, rule, loc, details) {
  if (value === null) {
    if (!rule.nullable) {
      details.push({ loc, msg: "must not be null", type: "null_not_allowed" });
    }
    return;
  }
  let problem = null;
  switch (rule.type) {
    case "string":
      problem = checkString(value, rule);
      break;
    case "integer":
    case "number":
      problem = checkNumber(value, rule, rule.type === "integer");
      break;
    case "boolean":
      problem = typeof value === "boolean" ? null : ["must be a boolean", "bool_type"];
      break;
    case "array":
      problem = checkArray(value, rule, loc, details);
      break;
    case "object":
      problem = checkObject(value, rule, loc, details);
      break;
    default:
      problem = null;
  }
  if (problem === null && rule.check !== undefined) {
    const message = rule.check(value);
    problem = message === undefined ? null : [message, "value_error"];
  }
  if (problem !== null) {
    const shown = rule.secret ? "" : `, got ${describeValue(value)}`;
    details.push({ loc, msg: `${problem[0]}${shown}`, type: problem[1] });
  }
}

function collectDetails(body, schema, loc, details) {
  for (const field of Object.keys(body)) {
    if (!Object.hasOwn(schema, field)) {
      details.push({
        loc: [...loc, field],
        msg: "is not a known field; remove it",
        type: "extra_forbidden",
      });
    }
  }
  for (const [field, rule] of Object.entries(schema)) {
    if (body[field] === undefined) {
      if (rule.required) {
        details.push({ loc: [...loc, field], msg: "is required", type: "missing" });
      }
      continue;
    }
    checkValue(body[field], rule, [...loc, field], details);
  }
}

/**
 * Validates a parsed JSON body against a strict schema (unknown fields are
 * errors) and returns a copy with defaults applied and `clampMax` enforced.
 * Throws the 422 VALIDATION_ERROR listing every problem.
 */
export function validateBody(body, schema) {
  const input = body === undefined ? {} : body;
  const details = [];
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    details.push({ loc: ["body"], msg: "must be a JSON object", type: "dict_type" });
    throw validationError(details);
  }
  collectDetails(input, schema, ["body"], details);
  if (details.length > 0) {
    throw validationError(details);
  }
  const values = { ...input };
  for (const [field, rule] of Object.entries(schema)) {
    if (values[field] === undefined && rule.default !== undefined) {
      values[field] = rule.default;
    }
    if (rule.clampMax !== undefined && typeof values[field] === "number") {
      values[field] = Math.min(values[field], rule.clampMax);
    }
  }
  return values;
}

/** Throws a 422 VALIDATION_ERROR for one field of the body. */
export function rejectField(field, msg, type = "value_error") {
  throw validationError([{ loc: ["body", field], msg, type }]);
}

/** Throws a 422 VALIDATION_ERROR for one query parameter. */
export function rejectQuery(name, msg, type = "value_error") {
  throw validationError([{ loc: ["query", name], msg, type }]);
}

/**
 * Reads the `limit` query parameter (default `defaultValue`, range 1 to `max`).
 * Throws 400 INVALID_LIMIT with `actual`, `min` and `max`.
 */
export function readLimit(query, defaultValue, max = 200) {
  const text = query.get("limit");
  if (text === null) {
    return defaultValue;
  }
  const value = /^-?\d{1,15}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new ApiError(
      "INVALID_LIMIT",
      `limit must be an integer between 1 and ${max}, got ${JSON.stringify(text)}.`,
      { actual: Number.isInteger(value) ? value : text, min: 1, max },
    );
  }
  return value;
}

/**
 * Reads the optional `status` query parameter. Throws 400
 * INVALID_STATUS_FILTER with `valid_options` for any other value.
 */
export function readStatusFilter(query, validOptions) {
  const value = query.get("status");
  if (value === null) {
    return undefined;
  }
  if (!validOptions.includes(value)) {
    throw new ApiError(
      "INVALID_STATUS_FILTER",
      `status must be one of ${validOptions.join(", ")}, got ${JSON.stringify(value)}.`,
      { valid_options: [...validOptions] },
    );
  }
  return value;
}
