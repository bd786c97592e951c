// Builds DOM nodes from data: text always goes in as text, handlers are attached with addEventListener (the page's policy allows no inline code).
const SVG = "http://www.w3.org/2000/svg";

function build(element, attributes, children) {
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2), value);
    } else if (name === "text") {
      element.textContent = String(value);
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** An HTML element: h("a", {href: "#/runs"}, "Runs"). */
export function h(tag, attributes, ...children) {
  return build(document.createElement(tag), attributes, children);
}

/** An SVG element. */
export function svg(tag, attributes, ...children) {
  return build(document.createElementNS(SVG, tag), attributes, children);
}

/** Replaces every child of parent. */
export function fill(parent, ...children) {
  parent.replaceChildren();
  build(parent, {}, children);
  return parent;
}

/** A date-time for people, in the browser's locale and zone; a dash when there is none. */
export function when(iso) {
  return iso ? new Date(iso).toLocaleString() : "—";
}

/** A duration in ms as 850 ms, 12.3 s, 4 min 05 s or 2 h 03 min. */
export function duration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) {
    return "—";
  }
  if (ms < 1000) {
    return `${Math.max(0, Math.round(ms))} ms`;
  }
  const seconds = ms / 1000;
  if (seconds < 60) {
    return `${seconds.toFixed(1)} s`;
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return `${minutes} min ${String(Math.floor(seconds % 60)).padStart(2, "0")} s`;
  }
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** A status badge; the word is always shown, colour only repeats it. */
export function badge(status) {
  return h("span", { class: `badge status-${status}`, text: status.replace("_", " ") });
}
