// Replay from a step: a dry run first, its plan shown (reuse or run, side effects, gates), and only a confirmation starts the new run.
import { api, ProblemError } from "./api.js";
import { h } from "./dom.js";
import { showError, ask } from "./ui.js";

export async function replayFrom(run, stepId) {
  const path = `/v1/runs/${encodeURIComponent(run.runId)}/replay`;
  let plan;
  try {
    plan = await api(path, { method: "POST", body: { fromStep: stepId, dryRun: true } });
  } catch (error) {
    showError(error);
    return;
  }

  const irreversible = h("input", { type: "checkbox", id: "replay-irreversible" });
  const problem = h("p", { class: "error", role: "alert", id: "replay-error" });
  const body = [
    h("p", { text: `A new run reuses the recorded results of the steps before ${stepId} and runs ${stepId} and everything after it, with the same input.` }),
    h("table", { id: "replay-plan" },
      h("caption", { text: "Dry run: what the replay would do" }),
      h("thead", {}, h("tr", {}, ["Step", "Action", "Side effect", "Note"].map((t) => h("th", { scope: "col", text: t })))),
      h("tbody", {}, plan.steps.map((s) => h("tr", { "data-step": s.id, "data-action": s.action },
        h("th", { scope: "row", text: s.id }), h("td", { text: s.action }), h("td", { text: s.sideEffect }), h("td", { text: s.note ?? "" }))))),
    plan.wouldRefuse.length
      ? [h("p", { class: "warning", text: `These steps completed with an irreversible side effect and would run again: ${plan.wouldRefuse.join(", ")}.` }),
        h("p", {}, irreversible, " ", h("label", { for: "replay-irreversible", text: "Run them again anyway" }))]
      : null,
    problem,
  ];

  await ask({
    title: `Replay run from step ${stepId}`,
    body,
    confirm: "Start replay",
    onConfirm: async () => {
      try {
        const started = await api(path, { method: "POST", body: { fromStep: stepId, rerunIrreversible: irreversible.checked } });
        window.location.hash = "#/runs/" + encodeURIComponent(started.runId);
        return true;
      } catch (error) {
        problem.textContent = error instanceof ProblemError ? (error.problem.detail ?? error.message) : String(error);
        return false;
      }
    },
  });
}
