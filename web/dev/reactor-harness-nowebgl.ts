// Imported first by the reactor harness: with ?nowebgl, canvases refuse WebGL contexts
// (as on a machine without WebGL), before any element asks for one.
if (new URLSearchParams(location.search).has("nowebgl")) {
  const original = HTMLCanvasElement.prototype.getContext;
  HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, type: string, ...rest: unknown[]) {
    if (type === "webgl" || type === "webgl2" || type === "experimental-webgl") return null;
    return (original as (this: HTMLCanvasElement, type: string, ...rest: unknown[]) => RenderingContext | null).call(this, type, ...rest);
  } as typeof HTMLCanvasElement.prototype.getContext;
}
export {};
