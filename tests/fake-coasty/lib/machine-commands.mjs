// Machine commands (actions, batch, browser, terminal, files) and the scope
// each needs. Nothing runs for real: file commands work on an in-memory file
// tree per machine, and terminal commands only echo.

import { deflateSync, crc32 } from "node:zlib";

const FILE_READ_OPS = ["read", "exists", "list", "list-directory", "download", "list-downloads"];
const FILE_WRITE_OPS = ["write", "edit", "append", "delete", "delete-directory"];
/** Operations of POST /v1/machines/{id}/files/{op}. */
export const FILE_OPS = [...FILE_READ_OPS, ...FILE_WRITE_OPS];
/** Operations of POST /v1/machines/{id}/browser/{op}. */
export const BROWSER_OPS = [
  "open",
  "navigate",
  "click",
  "type",
  "dom",
  "clickables",
  "state",
  "info",
  "scroll",
  "close",
  "screenshot",
  "wait",
  "list-tabs",
  "open-tab",
  "close-tab",
  "switch-tab",
];
const TERMINAL_OUTPUT_LIMIT = 5000;

function fileCommand(op) {
  return `file_${op.replace(/-/g, "_")}`;
}

/**
 * Returns the scope a command needs: terminal_* needs terminal:exec, file
 * reads files:read, file writes files:write, browser_execute browser:execute,
 * anything else actions:exec.
 */
// The API documents these scope classes but not the file command names, so
// file_<op> (file_read, file_write, ...) is this fake's naming.
export function scopeForCommand(command) {
  if (command.startsWith("terminal_")) {
    return "terminal:exec";
  }
  if (FILE_READ_OPS.map(fileCommand).includes(command)) {
    return "files:read";
  }
  if (FILE_WRITE_OPS.map(fileCommand).includes(command)) {
    return "files:write";
  }
  if (command === "browser_execute") {
    return "browser:execute";
  }
  return "actions:exec";
}

/** Returns the command name that /files/{op} runs. */
export function commandForFileOp(op) {
  return fileCommand(op);
}

function failure(code, message) {
  return { success: false, result: null, error: { code, message } };
}

function runFileCommand(files, command, parameters) {
  const path = parameters.path;
  if (typeof path !== "string" || path === "") {
    return failure("INVALID_PARAMETERS", `${command} needs parameters.path, a non-empty string.`);
  }
  const content = typeof parameters.content === "string" ? parameters.content : "";
  const under = (prefix) =>
    [...files.keys()].filter((name) => name.startsWith(`${prefix.replace(/\/$/, "")}/`));
  switch (command) {
    case "file_read":
      return files.has(path)
        ? { success: true, result: { path, content: files.get(path) }, error: null }
        : failure("FILE_NOT_FOUND", `No file at ${path}.`);
    case "file_exists":
      return { success: true, result: { path, exists: files.has(path) }, error: null };
    case "file_list":
    case "file_list_directory":
      return { success: true, result: { path, entries: under(path) }, error: null };
    case "file_download":
    case "file_list_downloads":
      return { success: true, result: { path, downloads: under(path) }, error: null };
    case "file_write":
      files.set(path, content);
      return { success: true, result: { path, bytes: Buffer.byteLength(content) }, error: null };
    case "file_append":
      files.set(path, (files.get(path) ?? "") + content);
      return {
        success: true,
        result: { path, bytes: Buffer.byteLength(files.get(path)) },
        error: null,
      };
    case "file_edit": {
      if (!files.has(path)) {
        return failure("FILE_NOT_FOUND", `No file at ${path}.`);
      }
      const before = files.get(path);
      const search = String(parameters.old_text ?? parameters.old ?? "");
      if (search === "" || !before.includes(search)) {
        return failure("TEXT_NOT_FOUND", `parameters.old_text does not occur in ${path}.`);
      }
      files.set(path, before.replace(search, String(parameters.new_text ?? parameters.new ?? "")));
      return { success: true, result: { path, replaced: 1 }, error: null };
    }
    case "file_delete":
      return files.delete(path)
        ? { success: true, result: { path, deleted: true }, error: null }
        : failure("FILE_NOT_FOUND", `No file at ${path}.`);
    default: {
      const removed = under(path);
      removed.forEach((name) => files.delete(name));
      return { success: true, result: { path, deleted: removed.length }, error: null };
    }
  }
}

/** Runs one command on a machine and returns `{success, result, error}`. */
export function runCommand(machine, command, parameters) {
  if (command.startsWith("file_")) {
    return runFileCommand(machine.files, command, parameters);
  }
  if (command.startsWith("terminal_")) {
    const text = `$ ${String(parameters.command ?? "")}\n`;
    const truncated = text.length > TERMINAL_OUTPUT_LIMIT;
    return {
      success: true,
      result: { stdout: text.slice(0, TERMINAL_OUTPUT_LIMIT), stderr: "", exit_code: 0, truncated },
      error: null,
    };
  }
  if (command === "screenshot" || command === "browser_screenshot") {
    return {
      success: true,
      result: { image_b64: SCREENSHOT_PNG_BASE64, mime_type: "image/png" },
      error: null,
    };
  }
  return { success: true, result: { command, parameters }, error: null };
}

function pngChunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, checksum]);
}

/** Returns a grey PNG of the given size as base64 (no `data:` prefix). */
export function solidPngBase64(width, height) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0x40)]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", header),
    pngChunk("IDAT", deflateSync(pixels)),
    pngChunk("IEND", Buffer.alloc(0)),
  ]).toString("base64");
}

/** Size of the fake screenshots. */
export const SCREENSHOT_SIZE = { width: 160, height: 90 };
/** A valid grey PNG, base64 without a `data:` prefix, long enough for predict. */
export const SCREENSHOT_PNG_BASE64 = solidPngBase64(SCREENSHOT_SIZE.width, SCREENSHOT_SIZE.height);
