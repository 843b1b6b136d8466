// Test page for <bt-scaleup-view> (tests/browser/scaleup.test.ts): mounts the view on
// the built-in CHO fed-batch (or, with ?scenario=microbial, the E. coli fed-batch)
// with a ScaleUpModel over a real simulation worker, and exposes the model as
// window.scaleupHarness.
import { config } from "zod";

// zod 4 would probe `new Function` to speed parsing up; the CSP forbids it (and would log it).
config({ jitless: true });

const [{ default: choFedBatch }, { default: ecoliFedBatch }, { ScaleUpModel }, { SimulationClient }] = await Promise.all([
  import("../../scenarios/cho-fed-batch.json"),
  import("../../scenarios/ecoli-fed-batch.json"),
  import("../model/scaleup-model"),
  import("../model/simulation-client"),
  import("../elements/bt-scaleup-view"),
]);

const microbial = new URLSearchParams(location.search).get("scenario") === "microbial";
const model = new ScaleUpModel(new SimulationClient());
const view = document.querySelector("bt-scaleup-view")!;
view.model = model;
view.scenarioDoc = microbial ? ecoliFedBatch : choFedBatch;
await view.updateComplete;

(window as unknown as { scaleupHarness: { model: typeof model; ready: boolean } }).scaleupHarness = { model, ready: true };
document.body.dataset.ready = "true";
