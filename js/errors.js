// Error helpers shared by the JS layer.

/** Returns a TypeError with `code: "INVALID_ARGUMENT"`. */
export function invalidArgument(message) {
  const error = new TypeError(message);
  error.code = "INVALID_ARGUMENT";
  return error;
}
