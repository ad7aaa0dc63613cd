// Workflow DSL (version 2026-06-01): structural validation and the order in
// which the fake executes steps.

/** DSL version of stored workflows. */
export const DSL_VERSION = "2026-06-01";

const STEP_TYPES = [
  "task",
  "assert",
  "if",
  "loop",
  "parallel",
  "human_approval",
  "retry",
  "succeed",
  "fail",
];
const STEP_ID = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_STEPS = 200;
const MAX_DEPTH = 8;
const MAX_BRANCHES = 16;
const NOT_IN_PARALLEL = ["human_approval", "succeed", "fail"];

// The published DSL names the step types and limits but not every nesting
// field, so this fake reads nested steps from `steps`, `then`, `else`, `body`
// (arrays of steps) and `branches` (an array of step arrays).
function nestedLists(step) {
  const lists = [];
  for (const field of ["steps", "then", "else", "body"]) {
    if (Array.isArray(step[field])) {
      lists.push({ field, steps: step[field], parallel: false });
    }
  }
  if (Array.isArray(step.branches)) {
    step.branches.forEach((branch, index) => {
      lists.push({
        field: `branches[${index}]`,
        steps: Array.isArray(branch) ? branch : branch?.steps,
        parallel: true,
      });
    });
  }
  return lists;
}

/**
 * Returns a message naming the first structural problem of a definition, or
 * undefined when it is valid: 1 to 200 steps in all, unique ids matching
 * ^[A-Za-z0-9_-]{1,64}$, the nine step types, nesting depth at most 8, at most
 * 16 parallel branches, retry.max_attempts 1 to 20, no human_approval,
 * succeed or fail inside parallel, and save_as not "inputs" or "vars".
 */
export function checkDefinition(definition) {
  if (!Array.isArray(definition.steps) || definition.steps.length === 0) {
    return "must have a non-empty steps array";
  }
  const seen = new Set();
  const walk = (steps, path, depth, insideParallel) => {
    if (!Array.isArray(steps)) {
      return `${path} must be an array of steps`;
    }
    if (depth > MAX_DEPTH) {
      return `${path} is nested deeper than ${MAX_DEPTH} levels`;
    }
    for (const [index, step] of steps.entries()) {
      const where = `${path}[${index}]`;
      if (step === null || typeof step !== "object" || Array.isArray(step)) {
        return `${where} must be an object`;
      }
      if (typeof step.id !== "string" || !STEP_ID.test(step.id)) {
        return `${where}.id must match ${STEP_ID.source}`;
      }
      if (seen.has(step.id)) {
        return `${where}.id '${step.id}' is used twice`;
      }
      seen.add(step.id);
      if (seen.size > MAX_STEPS) {
        return `has more than ${MAX_STEPS} steps`;
      }
      if (!STEP_TYPES.includes(step.type)) {
        return `${where}.type must be one of ${STEP_TYPES.join(", ")}`;
      }
      if (insideParallel && NOT_IN_PARALLEL.includes(step.type)) {
        return `${where} is a ${step.type} step, which is not allowed inside parallel`;
      }
      if (step.save_as === "inputs" || step.save_as === "vars") {
        return `${where}.save_as must not be 'inputs' or 'vars'`;
      }
      if (
        step.type === "retry" &&
        step.max_attempts !== undefined &&
        !(Number.isInteger(step.max_attempts) && step.max_attempts >= 1 && step.max_attempts <= 20)
      ) {
        return `${where}.max_attempts must be an integer from 1 to 20`;
      }
      if (
        step.type === "parallel" &&
        Array.isArray(step.branches) &&
        step.branches.length > MAX_BRANCHES
      ) {
        return `${where} has more than ${MAX_BRANCHES} branches`;
      }
      for (const nested of nestedLists(step)) {
        const problem = walk(
          nested.steps,
          `${where}.${nested.field}`,
          depth + 1,
          insideParallel || nested.parallel,
        );
        if (problem !== undefined) {
          return problem;
        }
      }
    }
    return undefined;
  };
  return walk(definition.steps, "steps", 1, false);
}

/**
 * Returns the steps in the order the fake runs them. Control-flow steps are
 * kept as zero-cost markers followed by their nested steps, each nested list
 * once and in document order.
 */
// NOTE: conditions, loops and retries are not evaluated: `if` always runs
// `then` (never `else`), and `loop` and `retry` run their steps once.
export function executionOrder(steps) {
  const order = [];
  for (const step of steps) {
    order.push(step);
    for (const nested of nestedLists(step)) {
      if (step.type === "if" && nested.field === "else") {
        continue;
      }
      order.push(...executionOrder(nested.steps ?? []));
    }
  }
  return order;
}
