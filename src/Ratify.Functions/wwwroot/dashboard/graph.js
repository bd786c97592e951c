// The step graph: steps in columns by depth (a step sits right of everything it depends on), arrows along dependsOn.
import { h, svg } from "./dom.js";

const WIDTH = 170;
const HEIGHT = 46;
const GAP_X = 60;
const GAP_Y = 18;

/** Builds the graph of a definition's steps; returns {element, update(run)} where update colours each step by its status. */
export function stepGraph(steps) {
  const depth = new Map();
  const depthOf = (step, seen = new Set()) => {
    if (depth.has(step.id)) {
      return depth.get(step.id);
    }
    if (seen.has(step.id)) {
      return 0; // definitions are acyclic; this only guards the page
    }
    seen.add(step.id);
    const parents = (step.dependsOn ?? []).map((id) => steps.find((s) => s.id === id)).filter(Boolean);
    const d = parents.length ? 1 + Math.max(...parents.map((p) => depthOf(p, seen))) : 0;
    depth.set(step.id, d);
    return d;
  };
  const columns = [];
  for (const step of steps) {
    const d = depthOf(step);
    (columns[d] ??= []).push(step);
  }
  const position = new Map();
  columns.forEach((column, x) => column.forEach((step, y) => position.set(step.id, { x: x * (WIDTH + GAP_X), y: y * (HEIGHT + GAP_Y) })));
  const width = columns.length * (WIDTH + GAP_X) - GAP_X;
  const height = Math.max(...columns.map((c) => c.length)) * (HEIGHT + GAP_Y) - GAP_Y;

  const edges = [];
  for (const step of steps) {
    const to = position.get(step.id);
    for (const parent of step.dependsOn ?? []) {
      const from = position.get(parent);
      if (!from) {
        continue;
      }
      const x1 = from.x + WIDTH;
      const y1 = from.y + HEIGHT / 2;
      const x2 = to.x - 4;
      const y2 = to.y + HEIGHT / 2;
      const bend = (x2 - x1) / 2;
      edges.push(svg("path", { class: "edge", d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`, "marker-end": "url(#arrow)" }));
    }
  }

  const labels = new Map();
  const nodes = steps.map((step) => {
    const { x, y } = position.get(step.id);
    const label = svg("text", { x: x + 10, y: y + 37, class: "node-status", text: "pending" });
    labels.set(step.id, label);
    return svg("g", { class: "node status-pending", "data-step": step.id },
      svg("title", { text: step.id }),
      svg("rect", { x, y, width: WIDTH, height: HEIGHT, rx: 6 }),
      svg("text", { x: x + 10, y: y + 19, class: "node-id", text: step.id.length > 20 ? step.id.slice(0, 19) + "…" : step.id }),
      label);
  });

  // The same graph as a list, for screen readers and for people who prefer text.
  const items = new Map();
  const list = h("ul", { class: "visually-hidden", id: "graph-list" }, steps.map((step) => {
    const item = h("li", { text: "" });
    items.set(step.id, { item, step });
    return item;
  }));

  const figure = h("figure", { class: "graph" },
    svg("svg", { viewBox: `-2 -2 ${width + 4} ${height + 4}`, width: width + 4, height: height + 4, role: "img", "aria-labelledby": "graph-caption" },
      svg("defs", {}, svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
        svg("path", { d: "M0,0 L10,5 L0,10 z", class: "arrow" }))),
      edges, nodes),
    h("figcaption", { id: "graph-caption", text: "Steps by dependency: each step runs after the steps with arrows into it." }),
    list);

  const update = (run) => {
    for (const step of run.steps) {
      const node = figure.querySelector(`g[data-step="${CSS.escape(step.id)}"]`);
      if (node) {
        node.setAttribute("class", `node status-${step.status}`);
        labels.get(step.id).textContent = step.status.replace("_", " ") + (step.attempts > 1 ? ` · ${step.attempts} attempts` : "");
      }
      const entry = items.get(step.id);
      if (entry) {
        const after = entry.step.dependsOn?.length ? `, after ${entry.step.dependsOn.join(", ")}` : "";
        entry.item.textContent = `${step.id}: ${step.status.replace("_", " ")}${after}`;
      }
    }
  };
  return { element: figure, update };
}
