// Turns a chart's live <svg> into a standalone SVG file (computed styles copied onto
// presentation attributes, so it looks the same outside the page's shadow-root CSS)
// and into a PNG. Works under the app's Content-Security-Policy: no style attributes
// are parsed on the page, and the PNG goes through a blob: image (img-src blob:).

const SVG_NS = "http://www.w3.org/2000/svg";
const XLINK_NS = "http://www.w3.org/1999/xlink";

/** Properties copied from the computed style onto every shape, and onto text. */
const SHAPE_PROPERTIES = [
  "fill",
  "fill-opacity",
  "stroke",
  "stroke-width",
  "stroke-opacity",
  "stroke-dasharray",
  "stroke-linecap",
  "stroke-linejoin",
  "opacity",
  "shape-rendering",
] as const;
const TEXT_PROPERTIES = ["font-family", "font-size", "font-weight", "font-style", "text-anchor", "dominant-baseline"] as const;
/** Values that equal the SVG default, left out to keep the file small. */
const DEFAULTS: Record<string, string> = {
  "fill-opacity": "1",
  "stroke-opacity": "1",
  opacity: "1",
  "stroke-dasharray": "none",
  "stroke-linecap": "butt",
  "stroke-linejoin": "miter",
  "shape-rendering": "auto",
  "font-style": "normal",
  "dominant-baseline": "auto",
};
const SHAPES = new Set(["path", "line", "rect", "circle", "ellipse", "polyline", "polygon", "text", "tspan"]);

export interface SvgExportOptions {
  /** Background fill painted under the chart; null for none. */
  background?: string | null;
  /** Elements matching this selector are left out (hover layers, overlays). */
  exclude?: string;
  /** A <title> for the file. */
  title?: string;
}

/**
 * A standalone SVG document of `svg` as it looks now: xmlns, pixel size, a white
 * background, computed styles as presentation attributes, no style attributes.
 */
export function svgToString(svg: SVGSVGElement, options: SvgExportOptions = {}): string {
  const { background = "#ffffff", exclude = ".no-export", title } = options;
  const box = svg.getBoundingClientRect();
  const width = Math.max(1, Math.round(box.width));
  const height = Math.max(1, Math.round(box.height));
  const clone = svg.cloneNode(true) as SVGSVGElement;
  inlineStyles(svg, clone, exclude);
  clone.setAttribute("xmlns", SVG_NS);
  clone.setAttribute("xmlns:xlink", XLINK_NS);
  clone.setAttribute("width", String(width));
  clone.setAttribute("height", String(height));
  clone.setAttribute("viewBox", `0 0 ${width} ${height}`);
  if (background) {
    const rect = document.createElementNS(SVG_NS, "rect");
    rect.setAttribute("width", "100%");
    rect.setAttribute("height", "100%");
    rect.setAttribute("fill", background);
    clone.insertBefore(rect, clone.firstChild);
  }
  if (title) {
    const t = document.createElementNS(SVG_NS, "title");
    t.textContent = title;
    clone.insertBefore(t, clone.firstChild);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}`;
}

/** Copies computed styles of `source` and its descendants onto `target`, which has the same shape. */
function inlineStyles(source: Element, target: Element, exclude: string): void {
  const sources = [source, ...source.querySelectorAll("*")];
  const targets = [target, ...target.querySelectorAll("*")];
  const hidden: Element[] = [];
  sources.forEach((from, i) => {
    const to = targets[i];
    if (from.matches(exclude)) {
      hidden.push(to);
      return;
    }
    const style = getComputedStyle(from);
    if (style.display === "none" || style.visibility === "hidden") {
      hidden.push(to);
      return;
    }
    const tag = from.localName;
    if (SHAPES.has(tag)) {
      for (const property of SHAPE_PROPERTIES) setIfNotDefault(to, property, style.getPropertyValue(property));
    }
    if (tag === "text" || tag === "tspan") {
      for (const property of TEXT_PROPERTIES) setIfNotDefault(to, property, style.getPropertyValue(property));
    }
    // Inline styles (set through the CSSOM on the page) are now attributes.
    to.removeAttribute("style");
  });
  hidden.forEach((node) => node.remove());
}

function setIfNotDefault(element: Element, property: string, value: string): void {
  if (!value || DEFAULTS[property] === value) return;
  element.setAttribute(property, value);
}

/**
 * Renders a standalone SVG string (from svgToString) to a PNG of width × height CSS
 * pixels at `scale` device pixels each.
 */
export async function svgToPngBlob(svgText: string, width: number, height: number, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svgText], { type: "image/svg+xml" }));
  try {
    const image = new Image();
    image.decoding = "async";
    image.src = url;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    const context = canvas.getContext("2d");
    if (!context) throw new Error("chart export: no 2D canvas context");
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("chart export: the PNG could not be encoded"))), "image/png"),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Saves `blob` as a download named `fileName` (an <a download> clicked off-screen). */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.rel = "noopener";
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the URL by the time the click returns; free it a bit later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Saves a text file the model made (a scenario, a study, a result) as a download. */
export function downloadFile(file: { name: string; type: string; text: string }): void {
  downloadBlob(new Blob([file.text], { type: file.type }), file.name);
}
