/**
 * The control loops of a CHO scenario: temperature (heater and cooler), the
 * dissolved-oxygen cascade (agitation, gas flow, oxygen enrichment) and pH
 * (CO2 and base), each a PI controller with setpoint changes at given times.
 * schema.ts puts ControlSchema under "control"; a loop that is not enabled
 * holds its actuators at the fixed values given here.
 */
import { z } from "zod";
import { checkControlRules } from "./cho-rules";
import { quantity } from "./fields";
import { isRecord } from "./is-record";
import { reporter } from "./rules";

const enabled = (loop: string) =>
  z.boolean().meta({ description: `Whether the ${loop} loop runs; false holds the fixed values below` }).default(true);

const scheduleTime = () =>
  quantity({ unit: "h", min: 0, description: "When the setpoint changes (at most process.durationH)" });

// ------------------------------------------------------------- temperature

const temperatureSetpointC = () =>
  quantity({ unit: "°C", min: 20, max: 45, description: "Temperature setpoint" });

const TemperatureControlSchema = z
  .strictObject({
    enabled: enabled("temperature"),
    setpointC: temperatureSetpointC().default(37),
    schedule: z
      .array(
        z
          .strictObject({ timeH: scheduleTime(), setpointC: temperatureSetpointC() })
          .meta({ description: "A new temperature setpoint from timeH on" }),
      )
      .meta({ description: "Setpoint changes, sorted by timeH, e.g. a shift to 33 °C at 120 h" })
      .default([]),
    gainWPerK: quantity({ unit: "W/K", gt: 0, description: "Proportional gain of the PI controller" }).default(20),
    integralTimeH: quantity({ unit: "h", gt: 0, description: "Integral time of the PI controller" }).default(0.5),
    heaterMaxW: quantity({ unit: "W", min: 0, description: "Largest heating power" }).default(100),
    coolerMaxW: quantity({ unit: "W", min: 0, description: "Largest cooling power" }).default(50),
    fixedHeaterW: quantity({ unit: "W", min: 0, description: "Heating power when the loop is off" }).default(0),
  })
  .meta({ description: "Temperature control: a PI controller on a heater and a cooler" });

// -------------------------------------------------------- dissolved oxygen

const doSetpointPercent = () =>
  quantity({ unit: "%", min: 0, max: 200, description: "Dissolved-oxygen setpoint, as a percentage of air saturation" });

const DissolvedOxygenControlSchema = z
  .strictObject({
    enabled: enabled("dissolved-oxygen"),
    setpointPercent: doSetpointPercent().default(40),
    schedule: z
      .array(
        z
          .strictObject({ timeH: scheduleTime(), setpointPercent: doSetpointPercent() })
          .meta({ description: "A new dissolved-oxygen setpoint from timeH on" }),
      )
      .meta({ description: "Setpoint changes, sorted by timeH" })
      .default([]),
    gainPerPercent: quantity({
      unit: "1/%",
      gt: 0,
      description: "Proportional gain of the PI controller, per percent of error",
    }).default(0.05),
    integralTimeH: quantity({ unit: "h", gt: 0, description: "Integral time of the PI controller" }).default(1),
    agitationMinRpm: quantity({ unit: "rpm", min: 0, description: "Agitation at the bottom of the cascade" }).default(100),
    agitationMaxRpm: quantity({
      unit: "rpm",
      gt: 0,
      description: "Largest agitation of the cascade (at least agitationMinRpm)",
    }).default(300),
    gasFlowMinLPerMin: quantity({
      unit: "L/min",
      min: 0,
      description: "Sparged gas flow at the bottom of the cascade",
    }).default(0.02),
    gasFlowMaxLPerMin: quantity({
      unit: "L/min",
      gt: 0,
      description: "Largest sparged gas flow of the cascade (at least gasFlowMinLPerMin)",
    }).default(0.4),
    oxygenFractionMax: quantity({
      min: 0.21,
      max: 1,
      description: "Largest O2 mole fraction of the sparged gas (0.21 is air, no enrichment)",
    }).default(1),
    agitationRpm: quantity({ unit: "rpm", min: 0, description: "Agitation when the loop is off" }).default(150),
    gasFlowLPerMin: quantity({ unit: "L/min", min: 0, description: "Sparged gas flow when the loop is off" }).default(
      0.1,
    ),
    oxygenFraction: quantity({
      min: 0,
      max: 1,
      description: "O2 mole fraction of the sparged gas when the loop is off (0.21 is air)",
    }).default(0.21),
  })
  .meta({
    description: "Dissolved-oxygen control: a PI controller on a cascade of agitation, then gas flow, then O2 enrichment",
  });

// ---------------------------------------------------------------------- pH

const pHSetpoint = () => quantity({ min: 6, max: 8.5, description: "pH setpoint" });

const PhControlSchema = z
  .strictObject({
    enabled: enabled("pH"),
    setpoint: pHSetpoint().default(7.0),
    deadBand: quantity({
      unit: "pH",
      min: 0,
      max: 1,
      description: "Half-width of the dead band: within setpoint ± deadBand neither CO2 nor base is added",
    }).default(0.05),
    schedule: z
      .array(
        z
          .strictObject({ timeH: scheduleTime(), setpoint: pHSetpoint() })
          .meta({ description: "A new pH setpoint from timeH on" }),
      )
      .meta({ description: "Setpoint changes, sorted by timeH" })
      .default([]),
    gainPerPH: quantity({
      unit: "1/pH",
      gt: 0,
      description: "Proportional gain of the PI controller, per pH unit of error",
    }).default(2),
    integralTimeH: quantity({ unit: "h", gt: 0, description: "Integral time of the PI controller" }).default(2),
    baseMaxLPerH: quantity({ unit: "L/h", min: 0, description: "Largest flow of the base pump" }).default(0.005),
    baseSodiumMM: quantity({ unit: "mM", min: 0, description: "Sodium in the base solution" }).default(1000),
    baseBicarbonateMM: quantity({ unit: "mM", min: 0, description: "Bicarbonate in the base solution" }).default(1000),
    co2FractionMax: quantity({
      min: 0,
      max: 1,
      description: "Largest CO2 mole fraction of the sparged gas, to lower the pH",
    }).default(0.1),
    co2Fraction: quantity({
      min: 0,
      max: 1,
      description: "CO2 mole fraction of the sparged gas when the loop is off",
    }).default(0),
  })
  .meta({ description: "pH control: CO2 in the sparged gas lowers the pH, a base pump raises it" });

// ------------------------------------------------------------------ control

export const ControlSchema = z
  .strictObject({
    temperature: TemperatureControlSchema.prefault({}),
    dissolvedOxygen: DissolvedOxygenControlSchema.prefault({}),
    pH: PhControlSchema.prefault({}),
  })
  .superRefine((control, ctx) => checkControlRules(control, reporter(ctx)), { when: (p) => isRecord(p.value) })
  .meta({ description: "The control loops of the reactor; each is on by default" });
