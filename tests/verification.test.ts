// The analytic cases of tests/reference/verification.json, run through the engine as
// scenarios (docs/model.md §3): relative error ≤ 1e-6 against the closed forms.
import { describe, expect, test } from "vitest";
import { at, column, monodScenario, readJson, relErr, run } from "./helpers";

const reference = readJson("tests/reference/verification.json") as {
  analytic: {
    monod_batch: { cases: { mu_max: number; Ks: number; Y_xs: number; X0: number; S0: number; t: number; X: number; S: number }[] };
    chemostat_steady_state: {
      cases: { mu_max: number; Ks: number; Y_xs: number; S_in: number; D: number; S_ss?: number; X_ss?: number; washout?: boolean }[];
    };
    logistic_luedeking_piret: {
      cases: { mu: number; X_max: number; X0: number; alpha: number; beta: number; t: number; P0: number; X: number; P: number }[];
    };
  };
};

const TOL = 1e-6;

describe.each(["rodas4", "dopri5"])("with %s", (solver) => {
  test.each(reference.analytic.monod_batch.cases)("Monod batch matches the integrated Monod equation", async (c) => {
    const result = await run(
      monodScenario({
        cells: { parameters: { muMaxPerH: c.mu_max, ksGPerL: c.Ks, yieldBiomassPerSubstrateGPerG: c.Y_xs } },
        initial: { biomassGPerL: c.X0, substrateGPerL: c.S0 },
        process: { durationH: c.t },
        simulation: { solver },
      }),
    );
    expect(result.metadata.status).toBe("ok");
    expect(relErr(at(result, "biomass", c.t), c.X)).toBeLessThanOrEqual(TOL);
    expect(relErr(at(result, "substrate", c.t), c.S)).toBeLessThanOrEqual(TOL);
  });

  test.each(reference.analytic.chemostat_steady_state.cases)("chemostat at D = $D 1/h", async (c) => {
    const durationH = c.washout ? 1500 : 400;
    const result = await run(
      monodScenario({
        cells: { parameters: { muMaxPerH: c.mu_max, ksGPerL: c.Ks, yieldBiomassPerSubstrateGPerG: c.Y_xs } },
        initial: { biomassGPerL: 1, substrateGPerL: c.S_in },
        process: { mode: "continuous", durationH, dilutionRatePerH: c.D, feedMedium: { substrateGPerL: c.S_in } },
        simulation: { solver, outputIntervalH: 10 },
      }),
    );
    expect(result.metadata.status).toBe("ok");
    const volume = column(result, "volume");
    expect(Math.max(...volume) - Math.min(...volume)).toBeLessThan(1e-9);
    if (c.washout) {
      // Beyond the critical dilution rate mu_max S_in/(Ks + S_in) the cells wash out:
      // X decays as exp(-(D - mu_crit) t) once S has returned to S_in.
      const muCrit = (c.mu_max * c.S_in) / (c.Ks + c.S_in);
      expect(c.D).toBeGreaterThanOrEqual(muCrit);
      const slope = Math.log(at(result, "biomass", 1500) / at(result, "biomass", 1000)) / 500;
      expect(relErr(slope, -(c.D - muCrit))).toBeLessThanOrEqual(1e-3);
      expect(relErr(at(result, "substrate", 1500), c.S_in)).toBeLessThan(1e-3);
    } else {
      expect(relErr(at(result, "substrate", 400), c.S_ss!)).toBeLessThanOrEqual(TOL);
      expect(relErr(at(result, "biomass", 400), c.X_ss!)).toBeLessThanOrEqual(TOL);
    }
  });

  test.each(reference.analytic.logistic_luedeking_piret.cases)("logistic growth with Luedeking–Piret product", async (c) => {
    const result = await run(
      monodScenario({
        cells: {
          parameters: { muMaxPerH: c.mu, maxBiomassGPerL: c.X_max, productGrowthAssociatedGPerG: c.alpha, productNonGrowthGPerGPerH: c.beta },
          terms: { substrateLimitation: false, product: true },
        },
        initial: { biomassGPerL: c.X0, substrateGPerL: 100, productGPerL: c.P0 },
        process: { durationH: c.t },
        simulation: { solver },
      }),
    );
    expect(result.metadata.status).toBe("ok");
    expect(relErr(at(result, "biomass", c.t), c.X)).toBeLessThanOrEqual(TOL);
    expect(relErr(at(result, "product", c.t), c.P)).toBeLessThanOrEqual(TOL);
  });
});

test("a bolus stops integration exactly: after it, Monod growth restarts from the diluted state", async () => {
  // Integrated Monod equation from the post-bolus state (X_b, S_b) over the remaining time,
  // solved for X by bisection; the bolus brings 0.5 L of 100 g/L substrate at 2.5 h.
  const muMax = 0.5, ks = 0.2, y = 0.5;
  const result = await run(
    monodScenario({
      process: { mode: "fed-batch", durationH: 5, boluses: [{ timeH: 2.5, volumeL: 0.5 }], feedMedium: { substrateGPerL: 100 } },
    }),
  );
  expect(result.metadata.status).toBe("ok");
  const xb = at(result, "biomass", 2.5);
  const sb = at(result, "substrate", 2.5);
  expect(at(result, "volume", 2.5)).toBe(1.5);
  const c = xb + y * sb;
  const timeTo = (x: number) => ((ks * y + c) / c) * Math.log(x / xb) - ((ks * y) / c) * Math.log((c - x) / (y * sb));
  let lo = xb, hi = c;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (timeTo(mid) / muMax < 2.5) lo = mid;
    else hi = mid;
  }
  expect(relErr(at(result, "biomass", 5), lo)).toBeLessThanOrEqual(TOL);
});
