// Tiny DOM builder: text always goes through textContent, never through HTML parsing.

/** Create ``tag`` with attributes (``text`` sets textContent, ``on*`` functions become
 *  listeners, ``dataset`` an object) and children (nodes or strings, added as text). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (key === "text") node.textContent = String(value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (key === "className") node.className = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Remove every child of ``node``. */
export function clear(node) {
  while (node.firstChild) node.firstChild.remove();
  return node;
}

/** Fetch JSON; resolves to null on HTTP errors or aborts (callers show their own message). */
export async function getJSON(url, { signal } = {}) {
  try {
    const response = await fetch(url, { headers: { Accept: "application/json" }, signal });
    if (!response.ok) return null;
    return await response.json();
  } catch (error) {
    if (error.name === "AbortError") return null;
    throw error;
  }
}
