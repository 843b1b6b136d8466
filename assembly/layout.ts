// Index constants of the core's flat numeric ABI: model ids, solver ids, status
// codes, event kinds, state and parameter slots. Plain numbers only, so that both
// AssemblyScript (assembly/) and TypeScript (engine/) import this one file.

/** ABI version of the core; the engine refuses a core with another one. */
export const CORE_ABI_VERSION = 1;

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
export const MODEL_COUNT = 6;

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

// ---- events (time events: integration stops exactly there) ----------------
/** Set parameter slot `index` to `value`. */
export const EVENT_SET_PARAM = 0;
/** Add a bolus of `value` litres of feed medium (model-specific mixing). */
export const EVENT_BOLUS = 1;
/** Set state slot `index` to `value`. */
export const EVENT_SET_STATE = 2;

// ---- solver statistics (slots of statsPtr()) -------------------------------
export const STAT_STEPS = 0;
export const STAT_REJECTED = 1;
export const STAT_RHS_EVALS = 2;
export const STAT_JAC_EVALS = 3;
export const STAT_LU_DECOMPS = 4;
export const STAT_LAST_STEP = 5;
export const STAT_FAIL_TIME = 6;
export const STAT_OUTPUT_DROPPED = 7;
export const STAT_COUNT = 8;

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

/** Room for parameters of any model. */
export const MAX_PARAMS = 64;
