// The approver page's only script (the page's policy allows no inline code): posts the decision to the resolve link.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const main = document.getElementById("approval");
  const form = document.getElementById("decide");
  const result = document.getElementById("result");
  if (!main || !form) {
    return;
  }

  let decision = "approved";
  for (const button of form.querySelectorAll("button")) {
    button.addEventListener("click", () => { decision = button.value; });
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const buttons = form.querySelectorAll("button");
    buttons.forEach((b) => { b.disabled = true; });
    const url = "/v1/approvals/" + encodeURIComponent(main.dataset.approvalId) + "/resolve" + window.location.search;
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Accept": "application/json" },
        body: JSON.stringify({ decision, note: document.getElementById("note").value || null }),
        credentials: "omit",
        referrerPolicy: "no-referrer",
      });
      const body = await response.json().catch(() => ({}));
      if (response.ok) {
        result.textContent = (decision === "approved" ? "Approved. " : "Rejected. ") + (body.message || "");
        result.className = "ok";
        form.hidden = true;
      } else {
        result.textContent = body.detail || ("The decision was not accepted (HTTP " + response.status + ").");
        result.className = "error";
        buttons.forEach((b) => { b.disabled = false; });
      }
    } catch (error) {
      result.textContent = "The decision could not be sent: " + error;
      result.className = "error";
      buttons.forEach((b) => { b.disabled = false; });
    }
  });
});
