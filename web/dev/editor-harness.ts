// Test page for <bt-scenario-editor> (tests/browser/editor.test.ts): mounts the
// editor on the built-in CHO fed-batch and plays the owner's part, re-validating
// each draft with the engine and passing the problems back.
import { config } from "zod";
import type { DraftChangeDetail } from "../elements/bt-scenario-editor";

// zod 4 would probe `new Function` to speed parsing up; the CSP forbids it (and would log it).
config({ jitless: true });

const [{ parseScenario, formatProblem }, { default: choFedBatch }] = await Promise.all([
  import("../../engine/scenario"),
  import("../../scenarios/cho-fed-batch.json"),
  import("../elements/bt-scenario-editor"),
]);

const editor = document.querySelector("bt-scenario-editor")!;
const summary = document.getElementById("summary")!;
const lastPath = document.getElementById("last-path")!;
const problemList = document.getElementById("problems")!;

function show(draft: unknown): void {
  const result = parseScenario(draft);
  const problems = result.ok ? [] : result.problems;
  editor.draft = draft;
  editor.problems = problems;
  summary.textContent = result.ok ? "valid" : `${problems.length} problem${problems.length === 1 ? "" : "s"}`;
  problemList.textContent = problems.map(formatProblem).join("\n");
}

editor.addEventListener("draft-change", (event) => {
  const { draft, path } = (event as CustomEvent<DraftChangeDetail>).detail;
  lastPath.textContent = path;
  show(draft);
});

show(choFedBatch);
document.body.dataset.ready = "true";
