// Machine lookup and state checks shared by the machine route modules.

import { ApiError } from "./errors.mjs";

/** Returns the caller's machine named by the `:id` path parameter, or throws 404 MACHINE_NOT_FOUND. */
export function findMachine(ctx) {
  const machine = ctx.store.findOwned(ctx.store.machines, ctx.params.id, ctx.mode);
  if (machine === undefined) {
    throw new ApiError(
      "MACHINE_NOT_FOUND",
      `No machine with id '${ctx.params.id.slice(0, 128)}' for this ${ctx.mode} key.`,
    );
  }
  return machine;
}

/** Throws 409 INVALID_STATE unless the machine is in one of the `allowed` states. */
export function requireState(machine, allowed, operation) {
  if (!allowed.includes(machine.status)) {
    throw new ApiError(
      "INVALID_STATE",
      `Cannot ${operation} machine '${machine.id}' while it is ${machine.status}.`,
      { current_state: machine.status, allowed_from: allowed },
    );
  }
}
