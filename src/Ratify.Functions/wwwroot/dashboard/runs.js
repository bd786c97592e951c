// The runs list: status and workflow filters (kept in the URL's hash), newest first, kept current from the tenant's event stream.
import { api } from "./api.js";
import { h, fill, when, badge } from "./dom.js";
import { showError } from "./ui.js";
import { keepCurrent } from "./live.js";

const STATUSES = ["pending", "running", "waiting_approval", "paused", "completed", "failed", "cancelled"];
const PAGE = 50;

export function runsView(root, params) {
  const status = params.get("status") ?? "";
  const workflowId = params.get("workflowId") ?? "";
  const statusSelect = h("select", { id: "filter-status", name: "status" },
    h("option", { value: "", text: "Any status" }),
    STATUSES.map((s) => h("option", { value: s, selected: s === status, text: s.replace("_", " ") })));
  const workflowSelect = h("select", { id: "filter-workflow", name: "workflowId" }, h("option", { value: "", text: "Any workflow" }));
  const live = h("p", { id: "live", class: "live", role: "status", text: "Connecting…" });
  const body = h("tbody", { id: "runs-body" });
  const more = h("button", { type: "button", id: "runs-more", hidden: true, text: "Load more" });
  let continuation = null;

  const applyFilters = () => {
    const query = new URLSearchParams();
    if (statusSelect.value) {
      query.set("status", statusSelect.value);
    }
    if (workflowSelect.value) {
      query.set("workflowId", workflowSelect.value);
    }
    const text = query.toString();
    window.location.hash = "#/runs" + (text ? "?" + text : "");
  };
  statusSelect.addEventListener("change", applyFilters);
  workflowSelect.addEventListener("change", applyFilters);

  fill(root,
    h("h1", { text: "Runs" }),
    h("form", { class: "filters", "aria-label": "Filter runs", onsubmit: (e) => e.preventDefault() },
      h("label", { for: "filter-status", text: "Status" }), statusSelect,
      h("label", { for: "filter-workflow", text: "Workflow" }), workflowSelect),
    live,
    h("table", { class: "runs" },
      h("caption", { class: "visually-hidden", text: "Runs, newest first" }),
      h("thead", {}, h("tr", {}, ["Run", "Workflow", "Status", "Created", "Finished", "Started by", "Error"].map((t) => h("th", { scope: "col", text: t })))),
      body),
    more);

  const listPath = (token) => {
    const query = new URLSearchParams({ limit: String(PAGE) });
    if (status) {
      query.set("status", status);
    }
    if (workflowId) {
      query.set("workflowId", workflowId);
    }
    if (token) {
      query.set("continuationToken", token);
    }
    return "/v1/runs?" + query;
  };

  const row = (run) => h("tr", { "data-run-id": run.runId },
    h("td", {}, h("a", { href: "#/runs/" + encodeURIComponent(run.runId), text: run.runId })),
    h("td", { text: `${run.workflowId} v${run.version}` }),
    h("td", {}, badge(run.status)),
    h("td", { text: when(run.createdAt) }),
    h("td", { text: when(run.completedAt) }),
    h("td", { text: run.createdBy }),
    h("td", { text: run.error ? `${run.error.code}: ${run.error.message}` : "" }));

  const refresh = async () => {
    try {
      const page = await api(listPath(null));
      fill(body, page.runs.length ? page.runs.map(row) : h("tr", {}, h("td", { colspan: 7, text: "No runs match." })));
      continuation = page.continuationToken;
      more.hidden = !continuation;
    } catch (error) {
      showError(error);
    }
  };

  more.addEventListener("click", async () => {
    try {
      const page = await api(listPath(continuation));
      body.append(...page.runs.map(row));
      continuation = page.continuationToken;
      more.hidden = !continuation;
    } catch (error) {
      showError(error);
    }
  });

  api("/v1/workflows?limit=100").then((page) => {
    for (const workflow of page.workflows) {
      workflowSelect.append(h("option", { value: workflow.id, selected: workflow.id === workflowId, text: workflow.name ? `${workflow.id} (${workflow.name})` : workflow.id }));
    }
    if (workflowId && !page.workflows.some((w) => w.id === workflowId)) {
      workflowSelect.append(h("option", { value: workflowId, selected: true, text: workflowId }));
    }
  }).catch(showError);

  refresh();
  return keepCurrent({ path: "/v1/stream", refresh, status: (text) => { live.textContent = text; } });
}
