// The run page: header and controls, the step graph, the timeline, pending approvals, artifacts and the audit trail, kept live.
import { api } from "./api.js";
import { h, fill, when, duration, badge, svg } from "./dom.js";
import { showError, ask } from "./ui.js";
import { keepCurrent } from "./live.js";
import { stepGraph } from "./graph.js";
import { approvalsPanel } from "./run-approvals.js";
import { artifactsPanel } from "./run-artifacts.js";
import { auditPanel } from "./run-audit.js";
import { replayFrom } from "./run-replay.js";

const FINAL = ["completed", "failed", "cancelled"];
const BAR = 160;

export function runView(root, runId) {
  const path = "/v1/runs/" + encodeURIComponent(runId);
  let run = null;
  let stop = () => {};
  let stopped = false;
  fill(root, h("p", { text: "Loading the run…" }));

  const refresh = async () => {
    try {
      const next = await api(path);
      run = next;
      page?.update(next);
    } catch (error) {
      showError(error);
    }
  };

  let page = null;
  const start = async () => {
    try {
      run = await api(path);
      const workflow = await api(`/v1/workflows/${encodeURIComponent(run.workflowId)}?version=${run.version}`);
      if (stopped) {
        return;
      }
      page = build(root, run, workflow.definition.steps, refresh);
      page.update(run);
      stop = keepCurrent({
        path: path + "/stream",
        refresh,
        status: (text) => { page.live.textContent = text; },
        pollMs: 3000,
        isDone: () => FINAL.includes(run.status),
      });
    } catch (error) {
      fill(root, h("h1", { text: "Run " + runId }), h("p", { text: "This run could not be read." }));
      showError(error);
    }
  };

  start();
  return () => {
    stopped = true;
    stop();
  };
}

function build(root, run, steps, refresh) {
  const status = h("span", { id: "run-status" });
  const finished = h("dd", {});
  const error = h("dd", { id: "run-error" });
  const live = h("p", { id: "run-live", class: "live", role: "status", text: "Connecting…" });
  const actionResult = h("p", { id: "run-action-result", role: "status" });

  const action = async (name, body) => {
    try {
      const answer = await api(`/v1/runs/${encodeURIComponent(run.runId)}/${name}`, { method: "POST", body: body ?? {} });
      actionResult.textContent = `${name[0].toUpperCase() + name.slice(1)}: the run is ${answer.status.replace("_", " ")}.`;
      await refresh();
      return true;
    } catch (e) {
      showError(e);
      return false;
    }
  };

  const buttons = {
    pause: h("button", { type: "button", id: "run-pause", text: "Pause", onclick: () => action("pause") }),
    resume: h("button", { type: "button", id: "run-resume", text: "Resume", onclick: () => action("resume") }),
    cancel: h("button", { type: "button", id: "run-cancel", class: "danger", text: "Cancel", onclick: () => cancel() }),
    retry: h("button", { type: "button", id: "run-retry", text: "Retry", onclick: () => action("retry") }),
  };

  const cancel = () => {
    const reason = h("textarea", { id: "cancel-reason", rows: 2, maxlength: 1000 });
    return ask({
      title: "Cancel this run?",
      body: [h("p", { text: "Steps still running are told to stop; nothing new starts." }), h("label", { for: "cancel-reason", text: "Reason (optional)" }), reason],
      confirm: "Cancel run",
      onConfirm: () => action("cancel", { reason: reason.value || null }),
    });
  };

  const graph = stepGraph(steps);
  const rows = new Map();
  const timeline = h("tbody", {}, steps.map((step) => {
    const cells = {
      status: h("td", {}),
      attempts: h("td", {}),
      started: h("td", {}),
      duration: h("td", {}),
      bar: svg("rect", { x: 0, y: 2, width: 0, height: 10, rx: 2 }),
      error: h("td", { class: "error-cell" }),
    };
    rows.set(step.id, cells);
    return h("tr", { "data-step": step.id },
      h("th", { scope: "row", text: step.id }),
      cells.status, cells.attempts, cells.started, cells.duration,
      h("td", {}, svg("svg", { width: BAR, height: 14, class: "bar", "aria-hidden": "true" }, svg("line", { x1: 0, y1: 7, x2: BAR, y2: 7 }), cells.bar)),
      cells.error,
      h("td", {}, h("button", { type: "button", class: "replay", "aria-label": `Replay from here (step ${step.id})`, text: "Replay from here",
        onclick: () => replayFrom(run, step.id) })));
  }));

  const approvals = approvalsPanel(refresh);
  const artifacts = artifactsPanel();
  const audit = auditPanel(run.runId);

  fill(root,
    h("h1", {}, "Run ", h("code", { text: run.runId })),
    h("dl", { class: "facts" },
      h("dt", { text: "Workflow" }), h("dd", {}, h("a", { href: "#/workflows/" + encodeURIComponent(run.workflowId), text: run.workflowId }), ` version ${run.version}`),
      h("dt", { text: "Status" }), h("dd", {}, status),
      h("dt", { text: "Created" }), h("dd", { text: when(run.createdAt) }),
      h("dt", { text: "Finished" }), finished,
      h("dt", { text: "Started by" }), h("dd", { text: run.createdBy }),
      run.replayOf ? [h("dt", { text: "Replay of" }), h("dd", {}, h("a", { href: "#/runs/" + encodeURIComponent(run.replayOf), text: run.replayOf }))] : null,
      h("dt", { text: "Error" }), error),
    live,
    h("div", { class: "controls", role: "group", "aria-label": "Run controls" }, Object.values(buttons)),
    actionResult,
    h("section", { "aria-labelledby": "approvals-title" }, h("h2", { id: "approvals-title", text: "Approvals" }), approvals.element),
    h("section", { "aria-labelledby": "graph-title" }, h("h2", { id: "graph-title", text: "Steps" }), graph.element),
    h("section", { "aria-labelledby": "timeline-title" }, h("h2", { id: "timeline-title", text: "Timeline" }),
      h("table", { id: "timeline", class: "timeline" },
        h("thead", {}, h("tr", {}, ["Step", "Status", "Attempts", "Started", "Duration", "When", "Error", "Replay"].map((t) => h("th", { scope: "col", text: t })))),
        timeline)),
    h("section", { "aria-labelledby": "artifacts-title" }, h("h2", { id: "artifacts-title", text: "Artifacts" }), artifacts.element),
    h("section", { "aria-labelledby": "audit-title" }, h("h2", { id: "audit-title", text: "Audit trail" }), audit.element));

  const update = (next) => {
    run = next;
    fill(status, badge(next.status));
    status.dataset.status = next.status;
    finished.textContent = when(next.completedAt);
    error.textContent = next.error ? `${next.error.code}: ${next.error.message}` : "—";
    buttons.pause.disabled = !["running", "waiting_approval"].includes(next.status);
    buttons.resume.disabled = next.status !== "paused";
    buttons.cancel.disabled = FINAL.includes(next.status);
    buttons.retry.disabled = !["failed", "cancelled"].includes(next.status);
    graph.update(next);
    const begin = Date.parse(next.createdAt);
    const span = Math.max(1, (next.completedAt ? Date.parse(next.completedAt) : Date.now()) - begin);
    for (const step of next.steps) {
      const cells = rows.get(step.id);
      if (!cells) {
        continue;
      }
      fill(cells.status, badge(step.status), step.approval ? ` (approval ${step.approval.status})` : "", step.reusedFrom ? ` reused from ${step.reusedFrom}` : "");
      cells.attempts.textContent = step.executions > 1 ? `${step.attempts} (ran ${step.executions}×)` : String(step.attempts);
      cells.started.textContent = when(step.startedAt);
      const started = step.startedAt ? Date.parse(step.startedAt) : null;
      const ended = step.completedAt ? Date.parse(step.completedAt) : (started && !FINAL.includes(next.status) ? Date.now() : null);
      cells.duration.textContent = started && ended ? duration(ended - started) : "—";
      cells.bar.setAttribute("x", started ? String(Math.min(BAR - 2, ((started - begin) / span) * BAR)) : "0");
      cells.bar.setAttribute("width", started && ended ? String(Math.max(2, ((ended - started) / span) * BAR)) : "0");
      cells.bar.setAttribute("class", `status-${step.status}`);
      cells.error.textContent = step.error ? `${step.error.code}: ${step.error.message}` : "";
    }
    approvals.update(next);
    artifacts.update(next);
  };

  return { update, live };
}
