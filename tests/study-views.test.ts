// The study views' data transforms (web/model/study-views.ts) on the harness fixtures,
// whose answers are known: the quadratic's optimum, the Ishigami indices, the failed runs.
import { describe, expect, test } from "vitest";
import { runPoint } from "../engine/study/design";
import { FIXTURE_KINDS, OPTIMUM, quadraticTiter, studyFixture } from "../web/dev/study-harness-fixtures";
import {
  axisValues,
  histogram,
  outputInfo,
  parameterInfo,
  percentileBands,
  quantileSorted,
  runCounts,
  runsCsv,
  specification,
  specificationText,
  studyJson,
  studyModel,
  sweepGrid,
  sweepSeries,
  tornadoRows,
  trajectorySpec,
  wilsonInterval,
  type StudyViewData,
} from "../web/model/study-views";

const MU = "cells.parameters.muMaxPerH";
const QP = "cells.parameters.qpPgPerCellPerDay";

/** The fixture with only every other run done and no summary, as while a study runs. */
function running(data: StudyViewData): StudyViewData {
  return { ...data, runs: data.runs.map((r, k) => (k % 2 === 0 ? r : undefined)), summary: undefined };
}

describe("numerics", () => {
  test("quantiles interpolate linearly (type 7)", () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4, 5], 0.05)).toBeCloseTo(1.2, 12);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });
  test("Wilson score interval of 8 in 10 and of 0 in 20", () => {
    const [lo, hi] = wilsonInterval(8, 10);
    expect(lo).toBeCloseTo(0.4902, 4);
    expect(hi).toBeCloseTo(0.9433, 4);
    expect(wilsonInterval(0, 20)[0]).toBe(0);
    expect(wilsonInterval(0, 20)[1]).toBeCloseTo(0.1611, 4);
  });
});

describe("labels and units", () => {
  const { study } = studyFixture("sweep-1d");
  test("outputs take their units from the KPIs and the result columns of the model", () => {
    const withAll = { ...study, outputs: ["finalTiter", "peakViableDensity", "ivc", "peakLactate", "minDo", { kpi: "timeOutsidePh", low: 6.8, high: 7.2 }, { kpi: "value", column: "glucose", atH: 48 }] } as typeof study;
    const units = (model: "cho" | "microbial") =>
      ["finalTiter", "peakViableDensity", "ivc", "peakLactate", "minDo", "timeOutsidePh[6.8,7.2]", "glucose@48h"].map((n) => outputInfo(withAll, n, model).unit);
    expect(units("cho")).toEqual(["g/L", "1e6 cells/mL", "1e6 cells·day/mL", "mM", "% air sat.", "h", "mM"]);
    expect(outputInfo(withAll, "peakViableDensity", "microbial")).toEqual({ label: "Peak biomass", unit: "g/L" });
    expect(outputInfo(withAll, "glucose@48h", "cho").label).toBe("Glucose concentration at 48 h");
  });
  test("parameters take label and unit from the scenario schema, through array items too", () => {
    expect(parameterInfo(MU, "cho")).toEqual({ label: "μmax", unit: "1/h" });
    expect(parameterInfo(QP, "cho").unit).toBe("pg/cell/day");
    expect(parameterInfo("process.boluses.0.volumeL", "cho").unit).toBe("L");
    expect(parameterInfo("no.such.path", "cho")).toEqual({ label: "no.such.path", unit: "" });
  });
  test("the cell model is inferred from trajectory columns or parameter paths", () => {
    expect(studyModel({ study })).toBe("cho");
    expect(studyModel({ study: { ...study, trajectories: { columns: ["biomass"], everyH: 1 } } as typeof study })).toBe("microbial");
    expect(studyModel({ study: { ...study, parameters: [{ ...study.parameters[0], path: "cells.parameters.ksGPerL" }] } as typeof study })).toBe("microbial");
  });
  test("a Morris study's trajectory count is not a trajectory spec", () => {
    expect(trajectorySpec(studyFixture("morris").study)).toBeUndefined();
    expect(trajectorySpec(studyFixture("monte-carlo").study)?.columns).toEqual(["viable_cells", "titer"]);
  });
});

describe("sweeps", () => {
  test("1-D: one point per run, the failed run kept with no value, one grid value each", () => {
    const data = studyFixture("sweep-1d");
    const s = sweepSeries(data, "finalTiter");
    expect(s.points).toHaveLength(21);
    expect(s.failed).toBe(1);
    expect(s.points[3]).toMatchObject({ index: 3, ok: false, y: null });
    expect(s.grid).toHaveLength(21);
    expect(s.banded).toBe(false);
    expect(s.grid[8]!.x).toBeCloseTo(OPTIMUM.mu, 12);
    expect(s.grid[8]!.p50).toBeCloseTo(OPTIMUM.titer, 12);
    expect(s.grid[3]!.n).toBe(0);
  });
  test("1-D with replicates: median and 5–95 % band per grid point, the summary's and the runs' alike", () => {
    const data = studyFixture("sweep-replicates");
    const s = sweepSeries(data, "finalTiter");
    expect(s.banded).toBe(true);
    expect(s.points).toHaveLength(180);
    expect(s.grid).toHaveLength(9);
    const fromRuns = sweepSeries({ ...data, summary: undefined }, "finalTiter");
    fromRuns.grid.forEach((g, k) => {
      expect(g.p50).toBeCloseTo(s.grid[k]!.p50!, 12);
      expect(g.p5).toBeCloseTo(s.grid[k]!.p5!, 12);
      expect(g.p95).toBeCloseTo(s.grid[k]!.p95!, 12);
      expect(g.p5!).toBeLessThan(g.p50!);
      expect(g.p50!).toBeLessThan(g.p95!);
    });
    expect(fromRuns.grid[2]!.n).toBe(19); // run 45 failed
  });
  test("3 swept parameters: one series per parameter, the band pooling the others", () => {
    const study = {
      kind: "sweep" as const,
      seed: 1,
      outputs: ["finalTiter" as const],
      parameters: [
        { path: MU, grid: "linear" as const, from: 0.02, to: 0.04, points: 3 },
        { path: QP, grid: "log" as const, from: 10, to: 40, points: 3 },
        { path: "cells.parameters.kGlucoseMM", grid: "linear" as const, from: 0.5, to: 1.5, points: 2 },
      ],
    };
    const runs = Array.from({ length: 18 }, (_, k) => {
      const [mu, qp, kg] = runPoint(study, k) as [number, number, number];
      return { index: k, ok: true as const, parameters: { [MU]: mu, [QP]: qp, "cells.parameters.kGlucoseMM": kg }, outputs: { finalTiter: mu * 100 + qp / 10 + kg } };
    });
    const data: StudyViewData = { study, total: 18, runs };
    const byQp = sweepSeries(data, "finalTiter", 1);
    expect(byQp.banded).toBe(true);
    expect(byQp.grid.map((g) => Number(g.x.toPrecision(12)))).toEqual([10, 20, 40]);
    expect(byQp.grid.every((g) => g.n === 6)).toBe(true);
    // At qP = 20: μ·100 ∈ {2, 3, 4} plus 2 plus kG ∈ {0.5, 1.5}: 4.5, 5.5, 5.5, 6.5, 6.5, 7.5, median 6.
    expect(byQp.grid[1]!.p50).toBeCloseTo(6, 12);
    expect(axisValues(study, 1)[1]).toBeCloseTo(20, 12);
  });

  test("axis values are the engine's grid values", () => {
    const { study } = studyFixture("sweep-2d");
    expect(axisValues(study, 1)).toEqual(Array.from({ length: 16 }, (_, k) => 10 + 2 * k));
    expect(axisValues(study, 0)[20]).toBe(0.06);
  });
  test("2-D: matrix over both parameters, optimum on the known maximum, nulls for failed runs", () => {
    const data = studyFixture("sweep-2d");
    const g = sweepGrid(data, "finalTiter", "max");
    expect(g.values).toHaveLength(16);
    expect(g.values[0]).toHaveLength(21);
    expect(g.optimum!.x).toBeCloseTo(OPTIMUM.mu, 12);
    expect(g.optimum!.y).toBe(OPTIMUM.qp);
    expect(g.optimum!.value).toBeCloseTo(OPTIMUM.titer, 12);
    expect(data.runs[g.optimum!.index!]!.parameters[QP]).toBe(OPTIMUM.qp);
    // Run 40 is μ index 2, qP index 8; run 250 is μ index 15, qP index 10.
    expect(g.values[8]![2]).toBeNull();
    expect(g.values[10]![15]).toBeNull();
    expect(g.failed).toBe(2);
    expect(g.values[0]![0]).toBeCloseTo(quadraticTiter(0.02, 10), 12);
    const min = sweepGrid(data, "finalTiter", "min").optimum!;
    expect([min.x, min.y]).toEqual([0.06, 10]);
  });
  test("2-D while running: missing cells are null and the optimum is among the runs done", () => {
    const g = sweepGrid(running(studyFixture("sweep-2d")), "finalTiter", "max");
    expect(g.cells.filter((c) => c.done === 0)).toHaveLength(168);
    expect(g.values[9]![8]).toBeNull(); // run 137 (the optimum) is odd: not done yet
    expect(g.optimum!.value!).toBeLessThan(OPTIMUM.titer);
  });
});

describe("histogram and specification", () => {
  const data = studyFixture("monte-carlo");
  test("Freedman–Diaconis bins hold every value; failed runs and null values are counted apart", () => {
    const h = histogram(data, "finalTiter");
    expect(h.rule).toBe("freedman-diaconis");
    const failed = data.runs.filter((r) => !r!.ok).length;
    expect(failed).toBe(4);
    expect(h.missing).toHaveLength(failed + 1); // run 77 is ok with a null titer
    expect(h.bins.reduce((n, b) => n + b.count, 0)).toBe(400 - failed - 1);
    expect(h.limits).toEqual({ min: 2.6 });
    expect(runCounts(data, "finalTiter")).toMatchObject({ done: 400, ok: 396, failed: 4, noValue: 1 });
  });
  test("Sturges bins on request: ⌈log2 n⌉ + 1", () => {
    expect(histogram(data, "finalTiter", "sturges").bins).toHaveLength(Math.ceil(Math.log2(395)) + 1);
  });
  test("the share in specification from the runs equals the summary's; failed runs are out", () => {
    const fromSummary = specification(data)!;
    const fromRuns = specification({ ...data, summary: undefined })!;
    expect(fromSummary.fromSummary).toBe(true);
    expect(fromRuns.fromSummary).toBe(false);
    expect(fromRuns.runs).toBe(400);
    expect(fromRuns.inSpec).toBe(fromSummary.inSpec);
    expect(fromRuns.ci95[0]).toBeCloseTo(fromSummary.ci95[0], 12);
    expect(fromRuns.criteria.map((c) => c.inSpec)).toEqual(fromSummary.criteria.map((c) => c.inSpec));
    expect(fromRuns.inSpec).toBeLessThanOrEqual(400 - 5);
    expect(specificationText({ ...fromRuns, fraction: 0.835, ci95: [0.796, 0.868] })).toBe("83.5 % in specification (95 % CI 79.6–86.8 %)");
    expect(specification(studyFixture("sweep-1d"))).toBeNull();
  });
});

describe("percentile bands over time", () => {
  const data = studyFixture("monte-carlo");
  test("from the runs while running, ordered p5 ≤ p25 ≤ p50 ≤ p75 ≤ p95, fewer runs where some ended", () => {
    const b = percentileBands(running(data), "titer");
    expect(b.fromSummary).toBe(false);
    expect(b.tH).toEqual(Array.from({ length: 15 }, (_, d) => d * 24));
    for (let k = 0; k < b.tH.length; k++) {
      const q = [b.p5[k], b.p25[k], b.p50[k], b.p75[k], b.p95[k]] as number[];
      for (let i = 1; i < q.length; i++) expect(q[i]).toBeGreaterThanOrEqual(q[i - 1]!);
    }
    expect(b.n[0]).toBeGreaterThan(b.n[14]!);
  });
  test("the summary's when complete", () => {
    const b = percentileBands(data, "viable_cells");
    expect(b.fromSummary).toBe(true);
    expect(b.n[0]).toBe(396);
  });
});

describe("tornado", () => {
  test("Sobol: total indices of Ishigami, most important first, with their CIs", () => {
    const t = tornadoRows(studyFixture("sobol"), "finalTiter")!;
    expect(t.method).toBe("sobol");
    expect(t.rows.map((r) => r.path)).toEqual([MU, "cells.parameters.kGlucoseMM", QP]);
    // Analytic totals 0.558, 0.442, 0.244 (N = 511 usable blocks: loose bounds).
    expect(t.rows[0]!.value).toBeGreaterThan(0.45);
    expect(t.rows[0]!.valueCi![0]).toBeLessThan(t.rows[0]!.value);
    expect(t.rows[0]!.valueCi![1]).toBeGreaterThan(t.rows[0]!.value);
    expect(t.used).toBe(511);
    expect(t.planned).toBe(512);
    expect(t.runsPerSample).toBe(5);
  });
  test("Morris: μ* scaled by the range, sorted; the same from the runs as from the summary", () => {
    const data = studyFixture("morris");
    const t = tornadoRows(data, "finalTiter")!;
    const again = tornadoRows({ ...data, summary: undefined }, "finalTiter")!;
    expect(again.rows).toEqual(t.rows);
    for (let k = 1; k < t.rows.length; k++) expect(t.rows[k]!.value).toBeLessThanOrEqual(t.rows[k - 1]!.value);
    const mu = t.rows.find((r) => r.path === MU)!;
    expect(mu.value).toBeCloseTo(mu.muStar! * 0.04, 12);
    expect(t.used).toBe(39);
    expect(t.runsPerSample).toBe(4);
  });
  test("none for sweeps", () => {
    expect(tornadoRows(studyFixture("sweep-1d"), "finalTiter")).toBeNull();
  });
});

describe("exports", () => {
  test("CSV: header with units, one row per run done, seeds when the runs have them, quoted reasons", () => {
    const data = studyFixture("sweep-replicates");
    const lines = runsCsv(data).trimEnd().split("\r\n");
    expect(lines[0]).toBe(`index,${MU} [1/h],${QP} [pg/cell/day],seed,ok,finalTiter [g/L],reason`);
    expect(lines).toHaveLength(181);
    expect(lines[46]).toMatch(/^45,0.0275,[\d.]+,\d+,false,,the solver took too many steps \(status 3\) at 151.2 h$/);
    const sweep = runsCsv(running(studyFixture("sweep-1d"))).trimEnd().split("\r\n");
    expect(sweep[0]).toBe(`index,${MU} [1/h],ok,finalTiter [g/L],peakLactate [mM],reason`);
    expect(sweep).toHaveLength(12);
    const odd = studyFixture("sweep-1d");
    odd.runs[0] = { index: 0, ok: false, parameters: { [MU]: 0.02 }, reason: 'bad "value", see\nabove' };
    expect(runsCsv(odd).split("\r\n")[1]).toBe('0,0.02,false,,,"bad ""value"", see\nabove"');
  });
  test("JSON: the study header, the runs and the summary; non-finite numbers as null", () => {
    for (const kind of FIXTURE_KINDS) {
      const data = studyFixture(kind);
      const doc = JSON.parse(studyJson(data));
      expect(doc.header).toMatchObject({ type: "study", format: "biotwin-study-result", version: 1, runs: data.total });
      expect(doc.runs).toHaveLength(data.total);
      expect(doc.summary.kind).toBe(data.study.kind);
    }
    const partial = JSON.parse(studyJson(running(studyFixture("sweep-1d"))));
    expect(partial.summary).toBeNull();
    expect(partial.runs).toHaveLength(11);
  });
});
