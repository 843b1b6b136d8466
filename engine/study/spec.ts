// The study format (issue 7): the schema is engine/scenario/study-schema.ts, since a
// scenario may hold a study as its `study` section; this module reads study documents
// and names what a study is made of (its parameter paths, its output names).
import { problemsFromIssues, type ScenarioProblem } from "../scenario/problems";
import { OUTPUT_IDS, StudySchema, studyOutputName, type StudyOutput, type StudySpec } from "../scenario/study-schema";

export { OUTPUT_IDS, type StudyOutput, type StudySpec };
export const studySchema = StudySchema;

export type StudyParseResult = { ok: true; study: StudySpec } | { ok: false; problems: ScenarioProblem[] };

/** Validates a study document; every problem names its dotted path. Paths and output names must be distinct. */
export function parseStudy(doc: unknown): StudyParseResult {
  const result = StudySchema.safeParse(doc);
  return result.success ? { ok: true, study: result.data } : { ok: false, problems: problemsFromIssues(result.error.issues, StudySchema, doc) };
}

/** The key of an output in a run's `outputs`. */
export const outputName = studyOutputName;

/** The sweep's replicates, if it has any. */
export function replicatesOf(study: StudySpec) {
  return study.kind === "sweep" ? study.replicates : undefined;
}

/** The kept columns over time (absent for Morris, whose `trajectories` is its count r). */
export function trajectoriesOf(study: StudySpec): { columns: string[]; everyH: number } | undefined {
  return study.kind === "morris" ? undefined : study.trajectories;
}

/** The paths a run sets, in the order of runPoint's values: the parameters, then a sweep's replicate parameters. */
export function studyPaths(study: StudySpec): string[] {
  return [...study.parameters.map((p) => p.path), ...(replicatesOf(study)?.parameters.map((p) => p.path) ?? [])];
}
