// Schedule lookup and schedule runs, shared by the schedule and trigger routes.

import { ApiError } from "./errors.mjs";
import { nowIso, randomHex } from "./util.mjs";

/** Returns the caller's schedule with this id (default: the `:id` path parameter), or throws 404. */
export function findSchedule(ctx, id = ctx.params.id) {
  const schedule = ctx.store.findOwned(ctx.store.schedules, id, ctx.mode);
  if (schedule === undefined) {
    throw new ApiError(
      "NOT_FOUND",
      `No schedule with id '${String(id).slice(0, 128)}' for this ${ctx.mode} key.`,
    );
  }
  return schedule;
}

/** Records a schedule run that completes after one `stepDelayMs`. */
export function startScheduleRun(store, schedule, trigger) {
  const run = {
    id: `srun_${randomHex(8)}`,
    schedule_id: schedule.id,
    status: "running",
    trigger,
    started_at: nowIso(),
    finished_at: null,
  };
  schedule.runs.push(run);
  store.setTimer(() => {
    run.status = "completed";
    run.finished_at = nowIso();
  }, store.stepDelayMs);
  return run;
}
