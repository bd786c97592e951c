// The run's artifacts, rendered for people by the server (the approver page's renderers: sanitised markdown and HTML, pretty JSON,
// email as email). The fragment comes sanitised; the page's policy would block any script in it anyway.
import { api } from "./api.js";
import { h } from "./dom.js";
import { showError } from "./ui.js";

export function artifactsPanel() {
  const element = h("div", { id: "artifacts" }, h("p", { class: "empty", text: "No artifacts yet." }));
  const shown = new Set();

  const show = (runId, artifact) => {
    const content = h("div", { class: "content", text: "Rendering…" });
    const section = h("article", { class: "artifact", "data-artifact": `${artifact.stepId}/${artifact.name}` },
      h("h3", {}, `${artifact.stepId}/${artifact.name} `, h("small", { text: `${artifact.type} · ${artifact.size} bytes · sha256 ${artifact.sha256}` })),
      content);
    element.append(section);
    const path = `/v1/runs/${encodeURIComponent(runId)}/artifacts/${encodeURIComponent(artifact.stepId)}/${encodeURIComponent(artifact.name)}/rendered`;
    api(path).then((rendered) => {
      content.innerHTML = rendered.html; // sanitised on the server
    }).catch((error) => {
      content.textContent = "This artifact could not be rendered.";
      showError(error);
    });
  };

  const update = (run) => {
    for (const step of run.steps) {
      for (const artifact of step.artifacts) {
        const key = `${artifact.stepId}/${artifact.name}@${artifact.sha256}`;
        if (!shown.has(key)) {
          shown.add(key);
          element.querySelector(".empty")?.remove();
          element.querySelector(`[data-artifact="${CSS.escape(`${artifact.stepId}/${artifact.name}`)}"]`)?.remove();
          show(run.runId, artifact);
        }
      }
    }
  };

  return { element, update };
}
