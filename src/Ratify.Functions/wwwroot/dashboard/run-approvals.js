// The run's approval gates: each pending one with its question, a note and Approve / Reject (decided with the key); decided ones as a line.
import { api, ProblemError } from "./api.js";
import { h, fill } from "./dom.js";
import { showError } from "./ui.js";

export function approvalsPanel(refresh) {
  const element = h("div", { id: "approvals" }, h("p", { class: "empty", text: "No approval gate has opened." }));
  const cards = new Map();

  const card = (step) => {
    const id = step.approval.approvalId;
    const noteId = "note-" + id;
    const message = h("p", { class: "message", text: "Loading the question…" });
    const details = h("dl", { class: "facts" });
    const result = h("p", { class: "result", role: "status" });
    const note = h("textarea", { id: noteId, rows: 2, maxlength: 2000 });
    const decide = async (decision, button) => {
      for (const b of form.querySelectorAll("button")) {
        b.disabled = true;
      }
      try {
        const answer = await api(`/v1/approvals/${encodeURIComponent(id)}/resolve`, { method: "POST", body: { decision, note: note.value || null } });
        result.textContent = (decision === "approved" ? "Approved. " : "Rejected. ") + (answer.message ?? "");
        result.className = "result ok";
        await refresh();
      } catch (error) {
        result.textContent = error instanceof ProblemError ? (error.problem.detail ?? error.message) : String(error);
        result.className = "result error";
        showError(error);
        for (const b of form.querySelectorAll("button")) {
          b.disabled = false;
        }
        button.focus();
      }
    };
    const approve = h("button", { type: "button", class: "approve", text: "Approve", onclick: (e) => decide("approved", e.currentTarget) });
    const reject = h("button", { type: "button", class: "reject danger", text: "Reject", onclick: (e) => decide("rejected", e.currentTarget) });
    const form = h("form", { class: "decide", onsubmit: (e) => e.preventDefault() },
      h("label", { for: noteId, text: "Note (optional)" }), note, h("div", { class: "buttons" }, approve, reject));
    const element = h("article", { class: "approval", "data-approval-id": id, "data-status": "pending", "aria-labelledby": "title-" + id },
      h("h3", { id: "title-" + id }, "Gate ", h("code", { text: step.id }), " waits for a decision"),
      message, details, form, result);

    api(`/v1/approvals/${encodeURIComponent(id)}`).then((approval) => {
      message.textContent = approval.message;
      const shown = approval.artifacts.map((a) => `${a.stepId}/${a.name}`).join(", ");
      fill(details,
        h("dt", { text: "Asked of" }), h("dd", { text: approval.approvers.length ? approval.approvers.join(", ") : "any key with approvals:resolve" }),
        h("dt", { text: "Approvals needed" }), h("dd", { text: `${approval.votes.filter((v) => v.decision === "approved").length} of ${approval.quorum}` }),
        h("dt", { text: "Artifacts shown" }), h("dd", { text: shown || "none" }),
        h("dt", { text: "Expires" }), h("dd", { text: approval.expiresAt ? new Date(approval.expiresAt).toLocaleString() : "never" }));
    }).catch((error) => {
      message.textContent = error instanceof ProblemError && error.status === 403
        ? "This key may not read or decide approvals: it needs the approvals:resolve scope."
        : "The approval could not be read: " + error.message;
    });
    return element;
  };

  const update = (run) => {
    const gates = run.steps.filter((s) => s.approval);
    if (gates.length === 0) {
      return;
    }
    element.querySelector(".empty")?.remove();
    for (const step of gates) {
      const id = step.approval.approvalId;
      const known = cards.get(id);
      const pending = step.approval.status === "pending" && !["completed", "failed", "cancelled"].includes(run.status);
      if (pending && !known) {
        const added = card(step);
        cards.set(id, added);
        element.append(added);
      } else if (!pending && known?.dataset.status !== step.approval.status) {
        // Decided: the card gives way to a line (a card keeps its result message for the person who decided).
        const line = h("p", { class: "approval decided", "data-approval-id": id, "data-status": step.approval.status },
          "Gate ", h("code", { text: step.id }), ` (${id}): ${step.approval.status}.`);
        const result = known?.querySelector(".result")?.textContent;
        if (result) {
          line.append(" ", result);
        }
        if (known) {
          known.replaceWith(line);
        } else {
          element.append(line);
        }
        cards.set(id, line);
      }
    }
  };

  return { element, update };
}
