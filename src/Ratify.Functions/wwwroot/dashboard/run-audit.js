// The run's audit trail: its records and the server's verification of the stored hash chain and signed checkpoints.
import { api } from "./api.js";
import { h, fill, when } from "./dom.js";
import { showError } from "./ui.js";

export function auditPanel(runId) {
  const result = h("p", { id: "audit-result", role: "status" });
  const body = h("tbody", {});
  const table = h("table", { id: "audit-records", class: "audit", hidden: true },
    h("thead", {}, h("tr", {}, ["#", "Time", "Type", "Actor", "Data"].map((t) => h("th", { scope: "col", text: t })))),
    body);
  let next = null;
  const more = h("button", { type: "button", hidden: true, text: "More records", onclick: () => page(next) });
  const verify = h("button", { type: "button", id: "audit-verify", text: "Verify and show the audit trail", onclick: () => load() });

  const row = (record) => h("tr", {},
    h("td", { text: record.sequence }),
    h("td", { text: when(record.time) }),
    h("td", { text: record.type }),
    h("td", { text: record.actor?.id ? `${record.actor.kind}:${record.actor.id}` : record.actor?.kind ?? "" }),
    h("td", {}, h("code", { text: summary(record.data) })));

  const page = async (path) => {
    try {
      const answer = await api(path);
      body.append(...answer.records.map(row));
      next = answer.next;
      more.hidden = !next;
      table.hidden = false;
    } catch (error) {
      showError(error);
    }
  };

  const load = async () => {
    verify.disabled = true;
    result.className = "";
    result.textContent = "Verifying…";
    body.replaceChildren();
    try {
      const [verification] = await Promise.all([
        api("/v1/audit/verify", { method: "POST", body: { runId } }),
        page(`/v1/runs/${encodeURIComponent(runId)}/audit?limit=100`),
      ]);
      if (verification.valid) {
        result.className = "verified";
        fill(result, h("strong", { text: "Verified." }),
          ` ${verification.records} records, hash chain intact, ${verification.checkpoints} signed checkpoint(s), sealed through record ${verification.sealedThrough}.`);
      } else {
        result.className = "failed";
        fill(result, h("strong", { text: "Not verified." }), ` ${verification.message ?? verification.failure}`);
      }
    } catch (error) {
      result.textContent = "";
      showError(error);
    } finally {
      verify.disabled = false;
      verify.textContent = "Verify again";
    }
  };

  return { element: h("div", { id: "audit" }, verify, result, table, more) };
}

function summary(data) {
  if (data === null || data === undefined) {
    return "";
  }
  const text = JSON.stringify(data);
  return text.length > 240 ? text.slice(0, 239) + "…" : text;
}
