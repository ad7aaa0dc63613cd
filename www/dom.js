// Small DOM helpers for the page. Pasted text only ever reaches the page as
// text nodes, never as HTML.

/**
 * Creates an element. `props` sets `className`, `text`, any attribute, and
 * `on<event>` listeners; children are nodes or strings.
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "className") element.className = value;
    else if (name === "text") element.textContent = value;
    else if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return element;
}

/** Replaces the children of `container`. */
export function show(container, ...nodes) {
  container.replaceChildren(...nodes.flat(Infinity).filter(Boolean));
}

/** Returns `fn` delayed until `ms` milliseconds pass without another call. */
export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/** Formats a number of seconds as "42 s", "5 min 3 s", "2 h 10 min" or "3 d 4 h". */
export function formatSeconds(total) {
  const seconds = Math.abs(total);
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  if (seconds < 86400)
    return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
  return `${Math.floor(seconds / 86400)} d ${Math.floor((seconds % 86400) / 3600)} h`;
}

/**
 * Creates a definition list from `[term, value]` pairs of strings or nodes.
 * A `<pre>` value gets the full width, below its term.
 */
export function definitionList(pairs) {
  return h(
    "dl",
    {},
    pairs.flatMap(([term, value]) => {
      const className = value instanceof HTMLPreElement ? "wide" : undefined;
      return [h("dt", { className, text: term }), h("dd", { className }, value)];
    }),
  );
}

/** Creates the box for an error that stopped a tool: heading and code, then the message. */
export function errorBox(error, heading = "Not checked") {
  const label = error.code ? `${heading}: ${error.code}` : heading;
  return h(
    "p",
    { className: "verdict bad" },
    label,
    h("span", { className: "detail", text: error.message }),
  );
}
