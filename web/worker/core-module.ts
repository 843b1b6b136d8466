// The kinetics core as a compiled WebAssembly.Module, for the workers that run it (the
// simulation worker and the study workers). Also sets zod to jitless: the page's CSP
// forbids eval, and zod 4 must not probe for it.
import { config } from "zod";
import coreUrl from "../../build/core.wasm?url";

config({ jitless: true });

export async function compileCore(): Promise<WebAssembly.Module> {
  const response = await fetch(coreUrl);
  if (!response.ok) throw new Error(`could not load the kinetics core (${response.status} ${response.statusText})`);
  return WebAssembly.compile(await response.arrayBuffer());
}
