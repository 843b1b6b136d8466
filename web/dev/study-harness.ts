// Development and test page for the study result views: one <bt-study-results> per
// fixture kind (web/dev/study-harness-fixtures.ts), each in a section with the kind as
// its id. tests/browser/study-views.test.ts drives it through window.studyHarness: the
// fixtures, the study-open-run events seen, and a way to show a study part-way done.
import "../elements/bt-study-results";
import type { BtStudyResults } from "../elements/bt-study-results";
import type { StudyViewData } from "../model/study-views";
import { FIXTURE_KINDS, studyFixture, type FixtureKind } from "./study-harness-fixtures";

const TITLES: Record<FixtureKind, string> = {
  "sweep-1d": "1-D sweep (quadratic, one failed run)",
  "sweep-replicates": "1-D sweep with 20 replicates per point",
  "sweep-2d": "2-D sweep (quadratic, optimum at μmax 0.036 1/h, qP 28 pg/cell/day)",
  "monte-carlo": "Monte Carlo with trajectories and a specification",
  morris: "Morris screening (Ishigami)",
  sobol: "Sobol indices (Ishigami)",
};

const only = new URLSearchParams(location.search).get("kind") as FixtureKind | null;
const kinds = only && FIXTURE_KINDS.includes(only) ? [only] : FIXTURE_KINDS;
const fixtures = Object.fromEntries(kinds.map((k) => [k, studyFixture(k)])) as Partial<Record<FixtureKind, StudyViewData>>;
const opened: { kind: string; index: number }[] = [];
const log = document.getElementById("log")!;
const host = document.getElementById("studies")!;

for (const kind of kinds) {
  const section = document.createElement("section");
  section.id = kind;
  const heading = document.createElement("h2");
  heading.textContent = TITLES[kind];
  const results = document.createElement("bt-study-results");
  results.data = fixtures[kind]!;
  results.addEventListener("study-open-run", (event) => {
    opened.push({ kind, index: event.detail.index });
    log.textContent = `Opened run ${event.detail.index} of ${kind}.`;
  });
  section.append(heading, results);
  host.append(section);
}

/** Shows `kind` as if only the runs with index < done had finished (no summary), as while a study runs. */
function showPartial(kind: FixtureKind, done: number): void {
  const full = fixtures[kind]!;
  const element = document.querySelector<BtStudyResults>(`#${kind} bt-study-results`)!;
  element.data = { ...full, runs: full.runs.map((r, k) => (k < done ? r : undefined)), summary: done >= full.total ? full.summary : undefined };
}

const harness = { fixtures, opened, showPartial, ready: true };
(window as unknown as { studyHarness: typeof harness }).studyHarness = harness;
