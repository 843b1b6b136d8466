// Index constants of the core's flat numeric ABI: model ids, solver ids, status
// codes, event kinds, state and parameter slots. Plain numbers only, so that both
// AssemblyScript (assembly/) and TypeScript (engine/) import this one file.

/** ABI version of the core; the engine refuses a core with another one. */
export const CORE_ABI_VERSION = 6;

// ---- models ---------------------------------------------------------------
/** Well-mixed stirred tank with the microbial (Monod) cell model. */
export const MODEL_MICROBIAL = 0;
/** Stiff test set: Robertson's chemical kinetics (3 states). */
export const MODEL_ROBER = 1;
/** Stiff test set: HIRES, plant physiology (8 states). */
export const MODEL_HIRES = 2;
/** Stiff test set: van der Pol with epsilon 1e-6 (2 states). */
export const MODEL_VDPOL = 3;
/** Non-stiff, exact solution: the "rational" problem of scipy's test_ivp. */
export const MODEL_RATIONAL = 4;
/** Non-stiff, exact solution: the linear oscillator of scipy's test_ivp. */
export const MODEL_LINEAR = 5;
/** Well-mixed stirred tank with the CHO cell model, gases, pH, ions, temperature and control loops. */
export const MODEL_CHO = 6;
/**
 * The CHO model in a tank split into vertical zones (docs/model.md §11): every zone has
 * its own liquid states and kinetics; exchange flows, feeds at the top, outflow at the
 * bottom, a shared gas phase. The zone count is set with setModelSize before init.
 */
export const MODEL_CHO_ZONES = 7;
export const MODEL_COUNT = 8;

// ---- solvers --------------------------------------------------------------
/** Rodas4 (Hairer & Wanner): L-stable Rosenbrock 4(3), dense LU, 6 stages. */
export const SOLVER_RODAS4 = 0;
/** Dormand–Prince 5(4) with Hairer's 4th-order dense output. */
export const SOLVER_DOPRI5 = 1;

// ---- status codes (CVODE spirit) -------------------------------------------
export const STATUS_OK = 0;
/** Returned by a right-hand side: this point is unusable, retry a smaller step. */
export const STATUS_RECOVERABLE = 1;
/** Fatal: more steps than allowed in one advance. */
export const STATUS_TOO_MUCH_WORK = -1;
/** Fatal: the step size fell below what the time resolution allows. */
export const STATUS_STEP_TOO_SMALL = -2;
/** Fatal: the state or the error estimate became NaN or infinite. */
export const STATUS_NON_FINITE = -3;
/** Fatal: the Newton matrix stayed singular as the step shrank. */
export const STATUS_SINGULAR = -4;
/** Fatal: the right-hand side kept refusing the state (recoverable failures repeated). */
export const STATUS_RHS_FAILED = -5;
/** Fatal: the core was set up wrongly (unknown model, time going backwards, no room for events). */
export const STATUS_BAD_SETUP = -6;
/** Not an error: a stop condition of the model (the harvest rule) was met; time() says when. */
export const STATUS_STOPPED = 2;

// ---- events (time events: integration stops exactly there) ----------------
/** Set parameter slot `index` to `value`. */
export const EVENT_SET_PARAM = 0;
/** Add a bolus of `value` litres of feed medium (model-specific mixing). */
export const EVENT_BOLUS = 1;
/** Set state slot `index` to `value`. */
export const EVENT_SET_STATE = 2;
/** Remove `value` litres of culture at its current composition (a sample). */
export const EVENT_SAMPLE = 3;
/** Feed-on-demand check: if glucose is below its threshold, add medium `index` to reach the target. */
export const EVENT_FEED_ON_DEMAND = 4;

// ---- solver statistics (slots of statsPtr()) -------------------------------
export const STAT_STEPS = 0;
export const STAT_REJECTED = 1;
export const STAT_RHS_EVALS = 2;
export const STAT_JAC_EVALS = 3;
export const STAT_LU_DECOMPS = 4;
export const STAT_LAST_STEP = 5;
export const STAT_FAIL_TIME = 6;
export const STAT_OUTPUT_DROPPED = 7;
/** Crossings of the model's switching functions located inside steps (docs/model.md §1.1). */
export const STAT_SWITCHES = 8;
export const STAT_COUNT = 9;
/** Event times a run keeps checkpoints for, at most (docs/model.md §1.1, "Shared prefixes"). */
export const CHECKPOINT_SLOTS = 64;

// ---- microbial model: state slots (docs/model.md §2) ------------------------
/** Viable biomass, g/L. */
export const MX_X = 0;
/** Dead biomass, g/L. */
export const MX_XD = 1;
/** Substrate, g/L. */
export const MX_S = 2;
/** Product, g/L. */
export const MX_P = 3;
/** Dissolved oxygen, mmol/L. */
export const MX_O2 = 4;
/** Liquid volume, L. */
export const MX_V = 5;
/** Cumulative substrate fed (continuous feed and boluses), g. */
export const MX_S_FED = 6;
/** Cumulative substrate consumed by cells, g. */
export const MX_S_USED = 7;
/** Cumulative substrate removed with the outflow, g. */
export const MX_S_OUT = 8;
export const MX_STATES = 9;

// ---- microbial model: derived outputs (after the states in each output row) --
/** Specific growth rate, 1/h. */
export const MXD_MU = 0;
/** Specific substrate uptake rate, g/g/h. */
export const MXD_QS = 1;
/** Oxygen uptake rate, mmol/L/h. */
export const MXD_OUR = 2;
/** Oxygen transfer rate, mmol/L/h. */
export const MXD_OTR = 3;
/** Dissolved oxygen, % of air saturation. */
export const MXD_DO = 4;
/** Feed (inflow) rate, L/h. */
export const MXD_FEED = 5;
/** Viability, % of total biomass. */
export const MXD_VIABILITY = 6;
export const MX_DERIVED = 7;

// ---- microbial model: parameter slots ---------------------------------------
export const MP_MU_MAX = 0; // 1/h
export const MP_KS = 1; // g/L
export const MP_YXS = 2; // g biomass / g substrate
export const MP_MS = 3; // g substrate / g biomass / h
export const MP_KD = 4; // 1/h
export const MP_ALPHA = 5; // g product / g biomass
export const MP_BETA = 6; // g product / g biomass / h
export const MP_YXO = 7; // g biomass / mmol O2
export const MP_MO = 8; // mmol O2 / g biomass / h
export const MP_KO = 9; // mmol/L
export const MP_XMAX = 10; // g/L, 0 = no logistic crowding
export const MP_KLA = 11; // 1/h
export const MP_O2_SAT = 12; // mmol/L, saturation against air
export const MP_FEED_S = 13; // g/L substrate in the feed medium
export const MP_FEED_RATE = 14; // L/h inflow at MP_FEED_T0
export const MP_FEED_EXP = 15; // 1/h, exponential growth of the feed rate
export const MP_FEED_T0 = 16; // h, reference time of the exponential feed
export const MP_OUTFLOW = 17; // 0 = no outflow (batch, fed-batch), 1 = outflow equals inflow (chemostat)
export const MP_ON_SUBSTRATE_LIMIT = 18; // switch 0/1: Monod factor S/(Ks+S)
export const MP_ON_MAINTENANCE = 19; // switch 0/1
export const MP_ON_DEATH = 20; // switch 0/1
export const MP_ON_PRODUCT = 21; // switch 0/1
export const MP_ON_OXYGEN = 22; // switch 0/1: oxygen balance and O2 limitation
export const MX_PARAMS = 23;

// ---- CHO model: state slots (docs/model.md §4–§8) --------------------------------
// Dynamic states first (they enter the Newton matrix), then quadratures (cumulative
// amounts for the balance report; nothing depends on them).
export const CX_XV = 0; // viable cells, 1e6 cells/mL
export const CX_XD = 1; // dead cells, 1e6 cells/mL
export const CX_GLC = 2; // glucose, mM
export const CX_GLN = 3; // glutamine, mM
export const CX_LAC = 4; // lactate, mM
export const CX_AMM = 5; // ammonium, mM
export const CX_MAB = 6; // antibody, mg/L
export const CX_DO = 7; // dissolved O2, mM
export const CX_TIC = 8; // total inorganic carbon (CO2aq + HCO3-), mM
export const CX_NA = 9; // sodium and potassium, mM
export const CX_CL = 10; // chloride and other fixed anions, mM
export const CX_OTHER = 11; // other solutes, mOsm/kg
export const CX_V = 12; // volume, L
export const CX_T = 13; // temperature, °C
export const CX_I_T = 14; // temperature PI integral, K·h
export const CX_I_DO = 15; // DO PI integral, %·h
export const CX_I_PH = 16; // pH PI integral, pH·h
export const CX_DYNAMIC = 17;
export const CX_GLC_IN = 17; // glucose fed, mmol
export const CX_GLC_USED = 18; // glucose consumed, mmol
export const CX_GLC_OUT = 19; // glucose removed, mmol
export const CX_GLN_IN = 20; // glutamine fed, mmol
export const CX_GLN_USED = 21; // glutamine consumed or decayed, mmol
export const CX_GLN_OUT = 22; // glutamine removed, mmol
export const CX_CELLS_GROWN = 23; // viable cells formed, 1e9 cells (1e6 cells/mL × L)
export const CX_CELLS_DIED = 24; // viable cells that died, 1e9 cells
export const CX_CELLS_OUT = 25; // viable cells removed, 1e9 cells
export const CX_VOL_IN = 26; // volume added, L
export const CX_VOL_OUT = 27; // volume removed, L
export const CX_NA_IN = 28; // sodium added, mmol
export const CX_NA_OUT = 29; // sodium removed, mmol
export const CX_LAC_NET = 30; // lactate produced minus consumed, mmol
export const CX_LAC_OUT = 31; // lactate removed, mmol
export const CX_MAB_MADE = 32; // antibody produced, mg
export const CX_MAB_OUT = 33; // antibody removed, mg
export const CX_BASE = 34; // base solution added, L
export const CX_STATES = 35;

// ---- CHO model: derived outputs ---------------------------------------------------
export const CXD_VIABILITY = 0; // %
export const CXD_TITER = 1; // g/L
export const CXD_DO_PERCENT = 2; // % air saturation
export const CXD_PH = 3; // pH units
export const CXD_PCO2 = 4; // mmHg
export const CXD_OSMOLALITY = 5; // mOsm/kg
export const CXD_CONDUCTIVITY = 6; // mS/cm
export const CXD_MU = 7; // 1/h
export const CXD_DEATH = 8; // 1/h
export const CXD_QP = 9; // pg/cell/day
export const CXD_OUR = 10; // mmol/L/h
export const CXD_CER = 11; // mmol/L/h
export const CXD_KLA = 12; // 1/h (O2)
export const CXD_AGITATION = 13; // rpm
export const CXD_GAS_FLOW = 14; // L/min
export const CXD_O2_FRACTION = 15; // % of sparge gas
export const CXD_CO2_FRACTION = 16; // % of sparge gas
export const CXD_BASE_RATE = 17; // mL/h
export const CXD_HEATER = 18; // W
export const CXD_FEED_RATE = 19; // L/h (continuous feed profile)
export const CXD_PERFUSION = 20; // L/h (fresh medium of perfusion or chemostat)
export const CXD_TEMP_SETPOINT = 21; // °C
export const CXD_DO_SETPOINT = 22; // %
export const CXD_PH_SETPOINT = 23; // pH units
export const CX_DERIVED = 24;

// ---- CHO model: parameter slots ---------------------------------------------------
// Kinetics (units in docs/model.md §4)
export const CP_MU_MAX = 0;
export const CP_K_GLC = 1;
export const CP_K_GLN = 2;
export const CP_KI_LAC = 3;
export const CP_KI_AMM = 4;
export const CP_MUD_MAX = 5;
export const CP_KD_LAC = 6;
export const CP_KD_AMM = 7;
export const CP_Y_X_GLC = 8;
export const CP_Y_X_GLN = 9;
export const CP_Y_LAC_GLC = 10;
export const CP_Y_AMM_GLN = 11;
export const CP_M_GLC = 12;
export const CP_A1 = 13;
export const CP_A2 = 14;
export const CP_D_GLN = 15;
export const CP_R_AMM = 16;
export const CP_K_STARVE = 17;
export const CP_KS_STARVE = 18;
export const CP_K_LYSIS = 19;
export const CP_Q_LAC_MAX = 20;
export const CP_K_LAC_UPTAKE = 21;
export const CP_QP0 = 22;
export const CP_QP_BOOST = 23;
export const CP_T_REF = 24;
export const CP_MU_PER_K = 25;
export const CP_QP_PER_K = 26;
export const CP_QO2 = 27;
export const CP_RQ = 28;
export const CP_KO = 29;
export const CP_OSM_ONSET = 30;
export const CP_OSM_STOP = 31;
// Term switches (0/1)
export const CP_ON_MAINTENANCE = 32;
export const CP_ON_INHIBITION = 33;
export const CP_ON_BYPRODUCT_DEATH = 34;
export const CP_ON_STARVATION = 35;
export const CP_ON_LYSIS = 36;
export const CP_ON_LACTATE_SWITCH = 37;
export const CP_ON_GLN_DECAY = 38;
export const CP_ON_AMM_UPTAKE = 39;
export const CP_ON_TEMPERATURE = 40;
export const CP_ON_OSMOLALITY = 41;
export const CP_ON_O2_LIMIT = 42;
// Reactor
export const CP_KLA_REF = 43;
export const CP_N_REF = 44;
export const CP_Q_REF = 45;
export const CP_KLA_N_EXP = 46;
export const CP_KLA_Q_EXP = 47;
export const CP_KLA_SURFACE = 48;
export const CP_CO2_KLA_RATIO = 49;
export const CP_O2_SAT_AIR = 50;
export const CP_CO2_ALPHA = 51;
export const CP_PRESSURE = 52;
export const CP_BUFFER = 53;
export const CP_BUFFER_PKA = 54;
export const CP_UA = 55;
export const CP_T_ROOM = 56;
// Control: temperature
export const CP_T_ON = 57;
export const CP_T_SP = 58;
export const CP_T_KP = 59;
export const CP_T_TI = 60;
export const CP_T_HEAT_MAX = 61;
export const CP_T_COOL_MAX = 62;
export const CP_T_FIXED = 63;
// Control: DO cascade
export const CP_DO_ON = 64;
export const CP_DO_SP = 65;
export const CP_DO_KP = 66;
export const CP_DO_TI = 67;
export const CP_N_MIN = 68;
export const CP_N_MAX = 69;
export const CP_Q_MIN = 70;
export const CP_Q_MAX = 71;
export const CP_XO2_MAX = 72;
export const CP_N_FIXED = 73;
export const CP_Q_FIXED = 74;
export const CP_XO2_FIXED = 75;
// Control: pH
export const CP_PH_ON = 76;
export const CP_PH_SP = 77;
export const CP_PH_DEADBAND = 78;
export const CP_PH_KP = 79;
export const CP_PH_TI = 80;
export const CP_BASE_MAX = 81;
export const CP_BASE_NA = 82;
export const CP_BASE_TIC = 83;
export const CP_XCO2_MAX = 84;
export const CP_XCO2_FIXED = 85;
// Flows
export const CP_FEED_RATE = 86; // L/h, continuous feed profile at CP_FEED_T0
export const CP_FEED_EXP = 87; // 1/h
export const CP_FEED_T0 = 88; // h
export const CP_FEED_MEDIUM = 89; // medium index of the continuous feed
export const CP_PERF_RATE = 90; // L/h of fresh medium (perfusion or chemostat inflow)
export const CP_PERF_MEDIUM = 91; // medium index
export const CP_RETENTION = 92; // 0..1, cells kept by the retention device (0 for a chemostat)
export const CP_BLEED = 93; // L/h of culture removed at bulk composition
export const CP_LEVEL_CONTROL = 94; // 1: harvest outflow holds the volume (continuous, perfusion)
export const CP_DEMAND_BELOW = 95; // mM: feed-on-demand threshold of glucose
export const CP_DEMAND_TARGET = 96; // mM: feed-on-demand target of glucose
export const CP_HARVEST_VIABILITY = 97; // %: stop when viability falls below it (0 = never)
// Initial acid-base and osmotic state, read by the model's prepare step
export const CP_INIT_PH = 98;
export const CP_INIT_PCO2 = 99;
export const CP_INIT_OSM = 100;
/** Media table: medium m occupies CP_MEDIA + m*CM_FIELDS + CM_*. */
export const CP_MEDIA = 101;
export const CM_GLC = 0; // mM
export const CM_GLN = 1; // mM
export const CM_NA = 2; // mM
export const CM_CL = 3; // mM
export const CM_TIC = 4; // mM (bicarbonate)
export const CM_OSM = 5; // mOsm/kg, osmolality of the medium (0 = only the listed solutes)
export const CM_FIELDS = 6;
export const MAX_MEDIA = 8;
// kLa from the vessel (docs/model.md §10.3): 0 the reference power law (CP_KLA_REF ...),
// 1 van't Riet coalescing, 2 van't Riet non-coalescing, from power and gas velocity.
export const CP_KLA_MODEL = CP_MEDIA + MAX_MEDIA * CM_FIELDS; // 149
export const CP_VES_T = 150; // m, vessel inner diameter
export const CP_IMP_D = 151; // m, impeller diameter
export const CP_IMP_NP = 152; // sum of the power numbers of the impellers below the surface
export const CP_RHO = 153; // kg/m³, broth density
export const CP_MU = 154; // Pa·s, broth viscosity
export const KLA_MODEL_REFERENCE = 0;
export const KLA_MODEL_VANT_RIET_COALESCING = 1;
export const KLA_MODEL_VANT_RIET_NON_COALESCING = 2;
export const CHO_PARAMS = 155;

// ---- CHO zone model (docs/model.md §11) ------------------------------------------
// States: zone z (0 = top) holds CZ_LOCAL liquid states at z*CZ_LOCAL + CX_XV..CX_OTHER
// (the well-mixed slots); then CZ_GLOBALS global states from CZ_LOCAL*N; then the
// CX_STATES - CX_DYNAMIC quadratures in the order of CX_GLC_IN..CX_BASE (sums over zones).
/** Largest number of zones. */
export const MAX_ZONES = 64;
/** Liquid states per zone: Xv, Xd, glucose, glutamine, lactate, ammonium, antibody, DO, TIC, Na, Cl, other. */
export const CZ_LOCAL = 12;
export const CZG_V = 0; // L, total liquid volume
export const CZG_T = 1; // °C
export const CZG_I_T = 2; // K·h
export const CZG_I_DO = 3; // %·h
export const CZG_I_PH = 4; // pH·h
export const CZG_GAS_O2 = 5; // mole fraction of O2 in the gas phase in the liquid
export const CZG_GAS_CO2 = 6; // mole fraction of CO2 in the gas phase in the liquid
export const CZ_GLOBALS = 7;
export const CZ_QUADRATURES = 18; // CX_STATES - CX_DYNAMIC
// Parameters of the zone model (after the CHO model's, which it shares).
export const CP_ZONE_COUNT = 155; // number of zones N (also set by setModelSize)
export const CP_ZONE_PROBE = 156; // zone of the DO and pH probes (0 = top)
export const CP_ZONE_GAS_RESIDENCE = 157; // h, residence time of the sparged gas in the liquid
/** Zone table: zone z occupies CP_ZONE_TABLE + z*CZF_FIELDS + CZF_*. */
export const CP_ZONE_TABLE = 160;
export const CZF_FRACTION = 0; // volume fraction of the zone, –
export const CZF_PRESSURE = 1; // atm, pressure at which the zone's gas saturation is taken
export const CZF_KLA_SHARE = 2; // share of the vessel's sparged kLa·V transferred in the zone, –
export const CZF_EXCHANGE = 3; // L/h per rpm: exchange flow between zone z and z + 1
export const CZF_FIELDS = 4;
// Derived outputs: the CZ_LOCAL liquid states as volume-weighted means, the CX_DERIVED
// outputs of the well-mixed model (means over zones, §11), then CZD_FIELDS per zone.
export const CZD_DO_PERCENT = 0; // % air saturation
export const CZD_PH = 1; // pH units
export const CZD_PCO2 = 2; // mmHg
export const CZD_KLA = 3; // 1/h, the zone's O2 kLa
export const CZD_FIELDS = 4;

/** Room for parameters of any model. */
export const MAX_PARAMS = CP_ZONE_TABLE + MAX_ZONES * CZF_FIELDS; // 416

// ---- Cell lifelines (docs/model.md §12) --------------------------------------------
// Agents that travel between the zones of MODEL_CHO_ZONES, driven by the output rows of
// a finished zone run (assembly/lifelines.ts). Parameters through setLifelineParam(LP_*).
export const LP_SEED = 0; // seed of the generator (simulation.seed), 0 .. 2^32 - 1
export const LP_STEP_H = 1; // h, agent step; the output interval is a whole number of steps
export const LP_STEPS_PER_ROW = 2; // agent steps per output interval
export const LP_HISTOGRAM_EVERY = 3; // output rows between histograms (and the last row)
export const LP_GROWTH_CV = 4; // –, coefficient of variation of the growth multiplier
export const LP_PRODUCTIVITY_CV = 5; // –, coefficient of variation of the productivity multiplier
export const LP_RESPONSE_H = 6; // h, time constant of the internal state
export const LP_DO_BELOW = 7; // % air saturation: "low DO" below it
export const LP_GLUCOSE_ABOVE = 8; // mM: "high glucose" above it
export const LP_PCO2_ABOVE = 9; // mmHg: "high pCO2" above it
export const LP_PRODUCTIVITY_LOSS = 10; // –, qP × (1 − loss × state)
export const LP_UPPER = 11; // upper edge of the histogram of quantity q at LP_UPPER + q (lower edge 0)
/** Quantities with a histogram (and a mean and standard deviation). */
export const LQ_EXPOSURE_DO = 0; // h of low DO within the histogram interval
export const LQ_EXPOSURE_GLUCOSE = 1; // h of high glucose within the histogram interval
export const LQ_EXPOSURE_PCO2 = 2; // h of high pCO2 within the histogram interval
export const LQ_QP = 3; // pg/cell/day, the agent's specific productivity
export const LQ_MU = 4; // 1/h, the agent's specific growth rate
export const LQ_STATE = 5; // –, the internal state (0 .. 1)
export const LQ_COUNT = 6;
export const LP_COUNT = LP_UPPER + LQ_COUNT;
/** Statistics per histogram time: mean and standard deviation of LQ_* at 2q and 2q + 1, then: */
export const LS_SEEN_DO = 2 * LQ_COUNT; // % air sat., mean over agents of their zone's DO (sd next)
export const LS_SEEN_GLUCOSE = LS_SEEN_DO + 2; // mM (sd next)
export const LS_SEEN_PCO2 = LS_SEEN_DO + 4; // mmHg (sd next)
export const LS_ZONE_DO = LS_SEEN_DO + 6; // % air sat., volume-weighted mean over the zones
export const LS_ZONE_GLUCOSE = LS_ZONE_DO + 1; // mM
export const LS_ZONE_PCO2 = LS_ZONE_DO + 2; // mmHg
export const LS_ZONE_QP = LS_ZONE_DO + 3; // pg/cell/day, volume-weighted zone qP
export const LS_ZONE_MU = LS_ZONE_DO + 4; // 1/h, volume-weighted zone μ
export const LS_COUNT = LS_ZONE_DO + 5;
/** Agent arrays for lifelinesAgentPtr. */
export const LA_ZONE = 0; // u8
export const LA_STATE = 1; // f32
export const LA_EXPOSURE = 2; // u64: three 21-bit step counters (DO, glucose, pCO2)
export const LA_GROWTH = 3; // f32 multiplier
export const LA_PRODUCTIVITY = 4; // f32 multiplier
