// Translation of pyautogui source lines into Coasty action objects
// (for POST /v1/parse). Unknown lines become `raw` actions.

function parseArguments(text) {
  const tokens = text.match(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^,]+/g) ?? [];
  const positional = [];
  const named = {};
  for (const token of tokens.map((item) => item.trim()).filter((item) => item !== "")) {
    const keyword = /^([A-Za-z_]\w*)\s*=\s*(.+)$/.exec(token);
    const [name, valueText] = keyword === null ? [null, token] : [keyword[1], keyword[2]];
    let value = valueText;
    if (/^(['"]).*\1$/s.test(valueText)) {
      value = valueText.slice(1, -1);
    } else if (valueText !== "" && Number.isFinite(Number(valueText))) {
      value = Number(valueText);
    }
    if (name === null) {
      positional.push(value);
    } else {
      named[name] = value;
    }
  }
  return { positional, named };
}

function point(args, xName = "x", yName = "y") {
  return { x: args.named[xName] ?? args.positional[0], y: args.named[yName] ?? args.positional[1] };
}

const TRANSLATORS = {
  "pyautogui.click": (args) => ["click", point(args)],
  "pyautogui.doubleClick": (args) => ["click", { ...point(args), clicks: 2 }],
  "pyautogui.rightClick": (args) => ["click", { ...point(args), button: "right" }],
  "pyautogui.write": (args) => ["type_text", { text: String(args.positional[0] ?? "") }],
  "pyautogui.typewrite": (args) => ["type_text", { text: String(args.positional[0] ?? "") }],
  "pyautogui.press": (args) => ["key_press", { key: String(args.positional[0] ?? "") }],
  "pyautogui.hotkey": (args) => ["key_combo", { keys: args.positional.map(String) }],
  "pyautogui.moveTo": (args) => ["move", point(args)],
  "pyautogui.dragTo": (args) => ["drag", { to_x: args.positional[0], to_y: args.positional[1] }],
  "pyautogui.scroll": (args) => {
    const clicks = Number(args.positional[0] ?? 0);
    return [
      "scroll",
      {
        ...point({ positional: args.positional.slice(1), named: args.named }),
        direction: clicks >= 0 ? "up" : "down",
        amount: Math.abs(clicks),
      },
    ];
  },
  "time.sleep": (args) => ["wait", { ms: Math.round(Number(args.positional[0] ?? 0) * 1000) }],
};

/** Returns the actions of a pyautogui script, one per non-empty, non-comment line. */
export function parsePyautogui(code) {
  const actions = [];
  for (const line of code.split("\n").map((item) => item.trim())) {
    if (line === "" || line.startsWith("#") || /^import\s/.test(line)) {
      continue;
    }
    const call = /^([\w.]+)\((.*)\)\s*;?$/s.exec(line);
    const translate = call === null ? undefined : TRANSLATORS[call[1]];
    if (translate === undefined) {
      actions.push({
        action_type: "raw",
        params: { code: line },
        description: "Unrecognised line, kept as code.",
        raw_code: line,
      });
      continue;
    }
    const [actionType, params] = translate(parseArguments(call[2]));
    actions.push({
      action_type: actionType,
      params,
      description: `${call[1]} call`,
      raw_code: line,
    });
  }
  return actions;
}
