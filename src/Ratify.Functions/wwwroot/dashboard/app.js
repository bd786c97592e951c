// The dashboard's entry: sign-in with a pasted key (sessionStorage only), the hash router and the views it starts.
import { api, session } from "./api.js";
import { showError, clearError } from "./ui.js";
import { runsView } from "./runs.js";
import { runView } from "./run.js";
import { workflowsView, workflowView } from "./workflows.js";

const view = document.getElementById("view");
const signIn = document.getElementById("sign-in");
let stopView = null;

const routes = [
  [/^#\/runs\/([^/?]+)$/, (m) => runView(view, decodeURIComponent(m[1]))],
  [/^#\/workflows\/([^/?]+)$/, (m) => workflowView(view, decodeURIComponent(m[1]))],
  [/^#\/workflows$/, () => workflowsView(view)],
  [/^#\/runs(?:\?(.*))?$/, (m) => runsView(view, new URLSearchParams(m[1] ?? ""))],
];

function route() {
  stopView?.();
  stopView = null;
  clearError();
  const signedIn = Boolean(session.key);
  signIn.hidden = signedIn;
  view.hidden = !signedIn;
  document.getElementById("nav").hidden = !signedIn;
  document.getElementById("sign-out").hidden = !signedIn;
  view.replaceChildren();
  if (!signedIn) {
    document.getElementById("api-key").focus();
    return;
  }
  const hash = window.location.hash || "#/runs";
  for (const link of document.querySelectorAll("[data-nav]")) {
    const current = hash.startsWith("#/" + link.dataset.nav);
    if (current) {
      link.setAttribute("aria-current", "page");
    } else {
      link.removeAttribute("aria-current");
    }
  }
  for (const [pattern, start] of routes) {
    const match = pattern.exec(hash);
    if (match) {
      stopView = start(match);
      document.getElementById("main").focus({ preventScroll: true });
      return;
    }
  }
  window.location.hash = "#/runs";
}

document.getElementById("sign-in-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = document.getElementById("api-key");
  const key = input.value.trim();
  if (!key) {
    input.setAttribute("aria-invalid", "true");
    showError(new Error("Paste an API key first."));
    return;
  }
  session.set(key);
  try {
    // A cheap read that needs runs:read: a wrong key is refused here, not on the first page.
    await api("/v1/runs?limit=1");
  } catch (error) {
    session.clear();
    input.setAttribute("aria-invalid", "true");
    showError(error);
    return;
  }
  input.value = "";
  input.removeAttribute("aria-invalid");
  route();
});

document.getElementById("sign-out").addEventListener("click", () => {
  session.clear();
  route();
});

window.addEventListener("ratify:unauthorized", () => {
  if (session.key) {
    session.clear();
    route();
    showError(new Error("The key was refused (revoked or expired): sign in again."));
  }
});

window.addEventListener("hashchange", route);
route();
