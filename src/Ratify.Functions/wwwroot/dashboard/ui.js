// Page-wide parts: the alert that shows problem+json errors, and the modal dialog used to confirm actions.
import { h, fill } from "./dom.js";
import { ProblemError } from "./api.js";

/** Shows an error: a problem's title, detail and each error with its JSON pointer. */
export function showError(error) {
  const alert = document.getElementById("alert");
  const parts = [];
  if (error instanceof ProblemError) {
    const problem = error.problem;
    parts.push(h("strong", { text: problem.title || `HTTP ${error.status}` }));
    if (problem.detail) {
      parts.push(" ", problem.detail);
    }
    if (Array.isArray(problem.errors) && problem.errors.length > 0) {
      parts.push(h("ul", {}, problem.errors.map((e) => h("li", {}, e.pointer ? h("code", { text: e.pointer }) : null, e.pointer ? " " : null, e.message ?? ""))));
    }
  } else if (error?.name !== "AbortError") {
    parts.push(h("strong", { text: "Something went wrong." }), " ", String(error?.message ?? error));
  } else {
    return;
  }
  fill(alert, ...parts, " ", h("button", { type: "button", class: "link", onclick: clearError, text: "Dismiss" }));
  alert.hidden = false;
}

export function clearError() {
  const alert = document.getElementById("alert");
  alert.hidden = true;
  alert.replaceChildren();
}

/**
 * Opens the modal dialog with a title and body; resolves true when the confirm button closes it.
 * onConfirm may return false to keep it open (for example when its request failed).
 */
export function ask({ title, body, confirm = "Confirm", onConfirm }) {
  const dialog = document.getElementById("dialog");
  const confirmButton = document.getElementById("dialog-confirm");
  document.getElementById("dialog-title").textContent = title;
  fill(document.getElementById("dialog-body"), ...[body].flat());
  confirmButton.textContent = confirm;
  confirmButton.hidden = !onConfirm;
  confirmButton.disabled = false;
  return new Promise((resolve) => {
    const form = document.getElementById("dialog-form");
    const submit = async (event) => {
      if (event.submitter?.value !== "confirm") {
        return; // Close: the form's method=dialog closes it.
      }
      event.preventDefault();
      confirmButton.disabled = true;
      const keep = onConfirm ? (await onConfirm()) === false : false;
      confirmButton.disabled = false;
      if (!keep) {
        dialog.close("confirm");
      }
    };
    form.addEventListener("submit", submit);
    dialog.addEventListener("close", () => {
      form.removeEventListener("submit", submit);
      resolve(dialog.returnValue === "confirm");
    }, { once: true });
    dialog.returnValue = "";
    dialog.showModal();
  });
}
