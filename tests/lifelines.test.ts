// Cell lifelines (docs/model.md §12): the random walk's transition matrix is a proper
// Markov semigroup; the agents spread over the zones by volume; what they see on average
// is the zones' volume-weighted mean (to within the sampling error of M agents); their
// multipliers have mean 1 and the given CV; exposures and the internal state follow the
// analytic answer when a condition always holds; identical agents stay identical; the
// same seed gives the same bits; the zone run itself is not changed.
import { beforeAll, describe, expect, test } from "vitest";
import * as L from "../assembly/layout";
import { loadCore, type Core } from "../engine/core-bridge";
import { toCsv, toJsonDocument } from "../engine/export";
import { runLifelines, type LifelinesResult } from "../engine/lifelines";
import { zoneLayout } from "../engine/models/cho-zones";
import type { ChoScenario } from "../engine/scenario";
import { parseScenario } from "../engine/scenario";
import { simulate, type SimulationResult } from "../engine/simulate";
import { planScaleUp, withExplicitVessel } from "../engine/vessel/scaleup-plan";
import { column, readJson, validScenario } from "./helpers";

type Doc = Record<string, any>;

/** Allowed distance of a sample mean from its expectation: 4 standard errors (a false alarm about once in 16,000 checks). */
const Z = 4;

let core: Core;
let steel90: Doc;
beforeAll(async () => {
  core = await loadCore();
  // The bench fed-batch scaled to the 90 m³ steel tank at constant P/V (biotwin scaleup), as in tests/zones.test.ts.
  const src = readJson("scenarios/cho-fed-batch.json") as Doc;
  const scenario = validScenario(src) as ChoScenario;
  const sourceRun = simulate(core, validScenario(withExplicitVessel(src, scenario)));
  steel90 = planScaleUp(src, scenario, sourceRun, "steel-90m3", "pv").targetDoc;
});

/** The 90 m³ tank in `zones` zones with lifelines, for `hours` (operations after the end left out). */
function tankDoc(zones: number, lifelines: Doc, hours: number, seed = 1): Doc {
  const d = structuredClone(steel90);
  d.reactor.zones = { count: zones, lifelines };
  d.process.durationH = hours;
  d.process.bolusSchedules = d.process.bolusSchedules.filter((b: Doc) => b.startH <= hours);
  if (d.process.feedOnDemand.startH > hours) delete d.process.feedOnDemand;
  const temperature = d.control.temperature;
  temperature.schedule = temperature.schedule.filter((s: Doc) => s.timeH <= hours);
  if (temperature.schedule.length === 0) delete temperature.schedule;
  d.simulation = { ...(d.simulation ?? {}), seed };
  return d;
}

const quantity = (l: LifelinesResult, name: string) => l.quantities.find((q) => q.name === name)!;
const seen = (l: LifelinesResult, name: string) => l.seen.find((q) => q.name === name)!;

describe("lifelines: the scenario", () => {
  test("defaults fill in; fewer than 1000 agents or a step below 10 s are refused", () => {
    const parsed = parseScenario(tankDoc(4, {}, 72));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      const l = (parsed.scenario as ChoScenario).reactor.zones!.lifelines!;
      expect(l.count).toBe(10_000);
      expect(l.stepS).toBe(300);
    }
    expect(parseScenario(tankDoc(4, { count: 999 }, 72)).ok).toBe(false);
    expect(parseScenario(tankDoc(4, { stepS: 5 }, 72)).ok).toBe(false);
  });
});

describe("lifelines: the walk between zones", () => {
  let run: SimulationResult;
  let n: number;
  beforeAll(() => {
    run = simulate(core, validScenario(tankDoc(50, { count: 1000 }, 72)));
    n = 50;
  });

  test("the transition matrix has rows summing to 1 and P(a) P(b) = P(a + b)", () => {
    const a = 60 / 3600, b = 240 / 3600;
    for (const row of [0, 10, 30]) {
      const pa = core.lifelineTransition(row, a).values;
      const pb = core.lifelineTransition(row, b).values;
      const pab = core.lifelineTransition(row, a + b).values;
      for (let i = 0; i < n; i++) {
        let sum = 0;
        for (let j = 0; j < n; j++) {
          sum += pab[i * n + j];
          expect(pab[i * n + j]).toBeGreaterThanOrEqual(0);
          let prod = 0;
          for (let k = 0; k < n; k++) prod += pa[i * n + k] * pb[k * n + j];
          expect(Math.abs(prod - pab[i * n + j]), `row ${row}: (${i}, ${j})`).toBeLessThan(1e-9);
        }
        expect(Math.abs(sum - 1)).toBeLessThan(1e-12);
      }
    }
  });

  test("a short step mostly stays or moves to a neighbour; a long step forgets the start: every row tends to the volume fractions", () => {
    const fractions = zoneLayout(validScenario(tankDoc(50, {}, 72)) as ChoScenario).fractions;
    const short = core.lifelineTransition(5, 0.01 / 3600).values; // 10 ms, far below the exchange time of a zone
    for (let i = 1; i < n - 1; i++) expect(short[i * n + i - 1] + short[i * n + i] + short[i * n + i + 1]).toBeGreaterThan(0.999);
    const long = core.lifelineTransition(5, 1).values;
    // The net downward flow (base only, L/h against exchange of thousands of m³/h) tilts the
    // stationary distribution by far less than 1e-6.
    for (let i = 0; i < n; i += 7) for (let j = 0; j < n; j++) expect(Math.abs(long[i * n + j] - fractions[j])).toBeLessThan(1e-6);
    expect(run.metadata.status).toBe("ok");
  });
});

describe("lifelines: a 50-zone 90 m³ run over 5 days", () => {
  const M = 20_000;
  let run: SimulationResult;
  let l: LifelinesResult;
  let fractions: number[];
  beforeAll(() => {
    const scenario = validScenario(tankDoc(50, { count: M, productivityLoss: 0 }, 120));
    run = simulate(core, scenario);
    l = run.lifelines!;
    fractions = zoneLayout(scenario as ChoScenario).fractions;
  });

  test("histograms every 24 h from t = 0, each holding every agent", () => {
    expect(Array.from(l.times)).toEqual([0, 24, 48, 72, 96, 120]);
    for (const q of l.quantities) for (const h of q.histograms) expect(h.reduce((a, b) => a + b, 0)).toBe(M);
  });

  test("the agents occupy the zones by volume fraction (binomial error)", () => {
    for (const occ of l.occupancy) {
      expect(occ.reduce((a, b) => a + b, 0)).toBe(M);
      occ.forEach((count, z) => {
        const f = fractions[z];
        expect(Math.abs(count / M - f), `zone ${z}`).toBeLessThan(Z * Math.sqrt((f * (1 - f)) / M));
      });
    }
  });

  test("the mean DO, glucose and pCO2 the agents see is the volume-weighted zone mean (the run's own columns) within 4 standard errors", () => {
    const time = column(run, "time");
    for (const [name, col] of [["do_saturation", "do_saturation"], ["glucose", "glucose"], ["pco2", "pco2"]]) {
      const s = seen(l, name);
      l.times.forEach((t, k) => {
        const row = time.findIndex((x) => Math.abs(x - t) < 1e-9);
        const zoneMean = column(run, col)[row];
        expect(s.zoneMean[k]).toBeCloseTo(zoneMean, 9);
        const allowed = (Z * s.sd[k]) / Math.sqrt(M) + 1e-12 * Math.abs(zoneMean);
        expect(Math.abs(s.mean[k] - zoneMean), `${name} at ${t} h`).toBeLessThanOrEqual(allowed);
      });
    }
    // There are gradients to see: agents in different zones see different DO.
    expect(Math.max(...seen(l, "do_saturation").sd)).toBeGreaterThan(0.5);
  });

  test("with no response, mean qP and μ are the zones' volume-weighted means within 4 standard errors", () => {
    for (const [name, zoneMean] of [["specific_productivity", l.zoneMeans.qp], ["growth_rate", l.zoneMeans.mu]] as const) {
      const q = quantity(l, name);
      l.times.forEach((t, k) => {
        expect(Math.abs(q.mean[k] - zoneMean[k]), `${name} at ${t} h`).toBeLessThanOrEqual((Z * q.sd[k]) / Math.sqrt(M));
      });
    }
  });

  test("the multipliers are log-normal with mean 1 and the given CV", () => {
    for (const [field, cv] of [[L.LA_GROWTH, 0.2], [L.LA_PRODUCTIVITY, 0.4]] as const) {
      const x = core.lifelineAgents(field) as Float32Array;
      expect(x.length).toBe(M);
      let sum = 0, sumSq = 0, logSum = 0;
      for (const v of x) {
        sum += v;
        sumSq += v * v;
        logSum += Math.log(v);
      }
      const mean = sum / M;
      const sd = Math.sqrt(sumSq / M - mean * mean);
      expect(Math.abs(mean - 1)).toBeLessThan((Z * cv) / Math.sqrt(M));
      // The sample CV of a log-normal has a standard error of about cv·sqrt((1 + cv²)^4 − 1 ...)/(2 sqrt M); 5 % of cv is > 4 of them here.
      expect(Math.abs(sd / mean - cv)).toBeLessThan(0.05 * cv);
      // ln x is normal with mean −σ²/2.
      const sigma2 = Math.log(1 + cv * cv);
      expect(Math.abs(logSum / M + sigma2 / 2)).toBeLessThan((Z * Math.sqrt(sigma2)) / Math.sqrt(M));
    }
  });

  test("the zone run is not changed by the lifelines; CSV is unchanged, JSON carries a lifelines section", () => {
    const d = tankDoc(50, { count: M, productivityLoss: 0 }, 120);
    delete d.reactor.zones.lifelines;
    const plain = simulate(core, validScenario(d));
    expect(plain.lifelines).toBeUndefined();
    expect(run.columns.length).toBe(plain.columns.length);
    run.columns.forEach((c, i) => expect(Buffer.from(c.values.buffer).equals(Buffer.from(plain.columns[i].values.buffer)), c.name).toBe(true));
    expect(toCsv(run)).toBe(toCsv(plain));
    const json = toJsonDocument(run) as Doc;
    expect(json.lifelines.count).toBe(M);
    expect(json.lifelines.quantities.map((q: Doc) => q.name)).toEqual([
      "exposure_low_do", "exposure_high_glucose", "exposure_high_pco2", "specific_productivity", "growth_rate", "internal_state",
    ]);
    expect(toJsonDocument(plain)).not.toHaveProperty("lifelines");
  });
});

describe("lifelines: analytic cases", () => {
  test("a condition that always holds: exposure = the whole interval, state = 1 − exp(−t/τ)", () => {
    const tau = 5;
    const r = simulate(core, validScenario(tankDoc(20, { count: 1000, doBelowPercent: 100, responseTimeH: tau, histogramIntervalH: 12 }, 72)));
    const l = r.lifelines!;
    const exposure = quantity(l, "exposure_low_do");
    const state = quantity(l, "internal_state");
    l.times.forEach((t, k) => {
      expect(exposure.mean[k]).toBeCloseTo(k === 0 ? 0 : 12, 9);
      expect(exposure.sd[k]).toBeLessThan(1e-9);
      expect(Math.abs(state.mean[k] - (1 - Math.exp(-t / tau)))).toBeLessThan(1e-5); // f32 state
    });
  });

  test("one zone and CV 0: every agent is identical (each histogram has all agents in one bin)", () => {
    const d = tankDoc(1, { count: 2000, growthCV: 0, productivityCV: 0, doBelowPercent: 45, glucoseAboveMM: 20 }, 96);
    const l = simulate(core, validScenario(d)).lifelines!;
    for (const q of l.quantities) {
      for (const h of q.histograms) expect(Math.max(...h), q.name).toBe(2000);
    }
  });
});

describe("lifelines: reproducibility", () => {
  test("the same seed gives the same bits; another seed other histograms", () => {
    const scenario = validScenario(tankDoc(50, { count: 5000 }, 72, 7));
    const a = simulate(core, scenario).lifelines!;
    const again = runLifelines(core, scenario)!;
    const other = runLifelines(core, validScenario(tankDoc(50, { count: 5000 }, 72, 8)))!;
    const bits = (l: LifelinesResult) =>
      Buffer.concat(l.quantities.flatMap((q) => [...q.histograms, q.mean, q.sd]).map((x) => Buffer.from(x.buffer, x.byteOffset, x.byteLength)));
    expect(bits(again).equals(bits(a))).toBe(true);
    expect(bits(other).equals(bits(a))).toBe(false);
    const occupancy = (l: LifelinesResult) => l.occupancy.map((o) => Array.from(o).join(",")).join(";");
    expect(occupancy(other)).not.toBe(occupancy(a));
  });
});
