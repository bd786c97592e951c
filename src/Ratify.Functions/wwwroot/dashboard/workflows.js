// Workflows: the list with versions and cron schedules, and one workflow's versions, schedules and the diff between two versions.
import { api } from "./api.js";
import { h, fill, when } from "./dom.js";
import { showError } from "./ui.js";

export function workflowsView(root) {
  const body = h("tbody", {}, h("tr", {}, h("td", { colspan: 6, text: "Loading…" })));
  fill(root,
    h("h1", { text: "Workflows" }),
    h("table", { id: "workflows", class: "workflows" },
      h("thead", {}, h("tr", {}, ["Workflow", "Name", "Latest version", "State", "Updated", "Schedules"].map((t) => h("th", { scope: "col", text: t })))),
      body));

  Promise.all([api("/v1/workflows?limit=100"), api("/v1/schedules")]).then(([page, schedules]) => {
    const byWorkflow = Map.groupBy(schedules.schedules, (s) => s.workflowId);
    fill(body, page.workflows.length ? page.workflows.map((w) => h("tr", { "data-workflow": w.id },
      h("th", { scope: "row" }, h("a", { href: "#/workflows/" + encodeURIComponent(w.id), text: w.id })),
      h("td", { text: w.name }),
      h("td", { text: `v${w.latestVersion}` }),
      h("td", { text: w.archived ? "archived" : "active" }),
      h("td", { text: when(w.updatedAt) }),
      h("td", { text: (byWorkflow.get(w.id) ?? []).map(describe).join("; ") || "none" }))) : h("tr", {}, h("td", { colspan: 6, text: "No workflows yet." })));
  }).catch(showError);
  return () => {};
}

export function workflowView(root, id) {
  const path = "/v1/workflows/" + encodeURIComponent(id);
  const definition = h("pre", { id: "definition", class: "json", tabindex: 0 });
  const versionSelect = h("select", { id: "version" });
  const fromSelect = h("select", { id: "diff-from" });
  const toSelect = h("select", { id: "diff-to" });
  const diff = h("div", { id: "diff" });
  const schedules = h("tbody", {});
  const header = h("dl", { class: "facts" });

  const showVersion = async () => {
    try {
      const workflow = await api(`${path}?version=${versionSelect.value}`);
      definition.textContent = JSON.stringify(workflow.definition, null, 2);
    } catch (error) {
      showError(error);
    }
  };

  const showDiff = async () => {
    try {
      const answer = await api(`${path}/diff?from=${fromSelect.value}&to=${toSelect.value}`);
      fill(diff,
        h("p", { id: "diff-summary", role: "status", text: `Version ${answer.from} → ${answer.to}: ${answer.added} line(s) added, ${answer.removed} removed.` }),
        h("table", { class: "diff" },
          h("caption", { class: "visually-hidden", text: "Lines: removed lines are marked −, added lines +" }),
          h("thead", {}, h("tr", {}, ["Old", "New", "", "Line"].map((t) => h("th", { scope: "col", text: t })))),
          h("tbody", {}, answer.lines.map((line) => h("tr", { class: "diff-" + line.change },
            h("td", { class: "number", text: line.fromLine ?? "" }),
            h("td", { class: "number", text: line.toLine ?? "" }),
            h("td", { class: "sign", text: line.change === "added" ? "+" : line.change === "removed" ? "−" : "" }),
            h("td", {}, h("code", { text: line.text })))))));
    } catch (error) {
      showError(error);
    }
  };

  versionSelect.addEventListener("change", showVersion);
  fill(root,
    h("h1", {}, "Workflow ", h("code", { text: id })),
    header,
    h("p", {}, h("a", { href: "#/runs?workflowId=" + encodeURIComponent(id), text: "Runs of this workflow" })),
    h("section", { "aria-labelledby": "schedules-title" }, h("h2", { id: "schedules-title", text: "Schedules" }),
      h("table", { id: "schedules" },
        h("thead", {}, h("tr", {}, ["Trigger", "Cron", "Time zone", "Version", "State", "Last tick", "Next tick"].map((t) => h("th", { scope: "col", text: t })))),
        schedules)),
    h("section", { "aria-labelledby": "versions-title" }, h("h2", { id: "versions-title", text: "Definition" }),
      h("p", {}, h("label", { for: "version", text: "Version" }), " ", versionSelect),
      definition),
    h("section", { "aria-labelledby": "diff-title" }, h("h2", { id: "diff-title", text: "Compare versions" }),
      h("form", { class: "filters", onsubmit: (e) => { e.preventDefault(); showDiff(); } },
        h("label", { for: "diff-from", text: "From" }), fromSelect,
        h("label", { for: "diff-to", text: "To" }), toSelect,
        h("button", { type: "submit", id: "diff-show", text: "Show diff" })),
      diff));

  Promise.all([api(path), api("/v1/schedules")]).then(([workflow, all]) => {
    fill(header,
      h("dt", { text: "Name" }), h("dd", { text: workflow.name }),
      h("dt", { text: "Description" }), h("dd", { text: workflow.description ?? "—" }),
      h("dt", { text: "Latest version" }), h("dd", { text: `v${workflow.latestVersion}` }),
      h("dt", { text: "State" }), h("dd", { text: workflow.archived ? "archived" : "active" }),
      h("dt", { text: "Created" }), h("dd", { text: when(workflow.createdAt) }));
    for (let v = workflow.latestVersion; v >= 1; v--) {
      versionSelect.append(h("option", { value: v, selected: v === workflow.version, text: `v${v}` }));
      toSelect.append(h("option", { value: v, selected: v === workflow.latestVersion, text: `v${v}` }));
      fromSelect.append(h("option", { value: v, selected: v === Math.max(1, workflow.latestVersion - 1), text: `v${v}` }));
    }
    definition.textContent = JSON.stringify(workflow.definition, null, 2);
    const mine = all.schedules.filter((s) => s.workflowId === id);
    fill(schedules, mine.length ? mine.map((s) => h("tr", {},
      h("td", { text: s.trigger }), h("td", {}, h("code", { text: s.schedule })), h("td", { text: s.timeZone }), h("td", { text: `v${s.version}` }),
      h("td", { text: s.paused ? "paused" : "active" }),
      h("td", { text: s.lastTick ? `${when(s.lastTick)} (${s.lastOutcome ?? ""})` : "—" }),
      h("td", { text: when(s.nextTick) }))) : h("tr", {}, h("td", { colspan: 7, text: "No cron triggers." })));
  }).catch(showError);
  return () => {};
}

function describe(schedule) {
  return `${schedule.schedule} (${schedule.timeZone})${schedule.paused ? ", paused" : `, next ${when(schedule.nextTick)}`}`;
}
