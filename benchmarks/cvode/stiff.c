/*
 * Native CVODE baseline for the biotwin stiff-solver benchmarks.
 *
 * Solves ROBER and HIRES (Test Set for IVP Solvers, Mazzia & Magherini) with
 * CVODE: BDF, Newton iteration, dense SUNMatrix + dense SUNLinearSolver,
 * analytic Jacobian, scalar tolerances atol = 1e-4 * rtol.
 *
 * For each (problem, rtol) it warms up, then times N whole solves (context,
 * vector, integrator, matrix and linear solver are created, initialised,
 * run to t_end and freed each time) with CLOCK_MONOTONIC, choosing N so the
 * measurement takes at least MIN_SECONDS, and prints one JSON object a line.
 *
 * Written for SUNDIALS 6.x (Debian bookworm ships 6.4.1); the few API
 * differences of 5.x and 7.x are guarded on SUNDIALS_VERSION_MAJOR.
 */
#define _POSIX_C_SOURCE 199309L

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_config.h>
#include <sundials/sundials_types.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>

#if SUNDIALS_VERSION_MAJOR < 6
#define SUNREAL realtype
#else
#define SUNREAL sunrealtype
#endif

#define MIN_SECONDS 0.2
#define WARMUP_SOLVES 3
#define MAX_STEPS 1000000L

/* ------------------------------------------------------------------ ROBER */

static int rober_rhs(SUNREAL t, N_Vector y, N_Vector yd, void *ud) {
  (void)t; (void)ud;
  const SUNREAL *v = N_VGetArrayPointer(y);
  SUNREAL *d = N_VGetArrayPointer(yd);
  const SUNREAL y1 = v[0], y2 = v[1], y3 = v[2];
  d[0] = -0.04 * y1 + 1.0e4 * y2 * y3;
  d[2] = 3.0e7 * y2 * y2;
  d[1] = -d[0] - d[2];
  return 0;
}

static int rober_jac(SUNREAL t, N_Vector y, N_Vector fy, SUNMatrix J, void *ud,
                     N_Vector t1, N_Vector t2, N_Vector t3) {
  (void)t; (void)fy; (void)ud; (void)t1; (void)t2; (void)t3;
  const SUNREAL *v = N_VGetArrayPointer(y);
  const SUNREAL y2 = v[1], y3 = v[2];
  /* CVODE zeroes J before calling us. SM_ELEMENT_D(J, row, col). */
  SM_ELEMENT_D(J, 0, 0) = -0.04;
  SM_ELEMENT_D(J, 0, 1) = 1.0e4 * y3;
  SM_ELEMENT_D(J, 0, 2) = 1.0e4 * y2;
  SM_ELEMENT_D(J, 1, 0) = 0.04;
  SM_ELEMENT_D(J, 1, 1) = -1.0e4 * y3 - 6.0e7 * y2;
  SM_ELEMENT_D(J, 1, 2) = -1.0e4 * y2;
  SM_ELEMENT_D(J, 2, 1) = 6.0e7 * y2;
  return 0;
}

static const double rober_y0[3] = {1.0, 0.0, 0.0};
static const double rober_ref[3] = {2.083340149701255e-08, 8.333360770334713e-14,
                                    0.999999979166505};

/* ------------------------------------------------------------------ HIRES */

static int hires_rhs(SUNREAL t, N_Vector y, N_Vector yd, void *ud) {
  (void)t; (void)ud;
  const SUNREAL *v = N_VGetArrayPointer(y);
  SUNREAL *d = N_VGetArrayPointer(yd);
  const SUNREAL r = 280.0 * v[5] * v[7];
  d[0] = -1.71 * v[0] + 0.43 * v[1] + 8.32 * v[2] + 0.0007;
  d[1] = 1.71 * v[0] - 8.75 * v[1];
  d[2] = -10.03 * v[2] + 0.43 * v[3] + 0.035 * v[4];
  d[3] = 8.32 * v[1] + 1.71 * v[2] - 1.12 * v[3];
  d[4] = -1.745 * v[4] + 0.43 * v[5] + 0.43 * v[6];
  d[5] = -r + 0.69 * v[3] + 1.71 * v[4] - 0.43 * v[5] + 0.69 * v[6];
  d[6] = r - 1.81 * v[6];
  d[7] = -r + 1.81 * v[6];
  return 0;
}

static int hires_jac(SUNREAL t, N_Vector y, N_Vector fy, SUNMatrix J, void *ud,
                     N_Vector t1, N_Vector t2, N_Vector t3) {
  (void)t; (void)fy; (void)ud; (void)t1; (void)t2; (void)t3;
  const SUNREAL *v = N_VGetArrayPointer(y);
  const SUNREAL a = 280.0 * v[7]; /* d(280 y6 y8)/d y6 */
  const SUNREAL b = 280.0 * v[5]; /* d(280 y6 y8)/d y8 */
  SM_ELEMENT_D(J, 0, 0) = -1.71;
  SM_ELEMENT_D(J, 0, 1) = 0.43;
  SM_ELEMENT_D(J, 0, 2) = 8.32;
  SM_ELEMENT_D(J, 1, 0) = 1.71;
  SM_ELEMENT_D(J, 1, 1) = -8.75;
  SM_ELEMENT_D(J, 2, 2) = -10.03;
  SM_ELEMENT_D(J, 2, 3) = 0.43;
  SM_ELEMENT_D(J, 2, 4) = 0.035;
  SM_ELEMENT_D(J, 3, 1) = 8.32;
  SM_ELEMENT_D(J, 3, 2) = 1.71;
  SM_ELEMENT_D(J, 3, 3) = -1.12;
  SM_ELEMENT_D(J, 4, 4) = -1.745;
  SM_ELEMENT_D(J, 4, 5) = 0.43;
  SM_ELEMENT_D(J, 4, 6) = 0.43;
  SM_ELEMENT_D(J, 5, 3) = 0.69;
  SM_ELEMENT_D(J, 5, 4) = 1.71;
  SM_ELEMENT_D(J, 5, 5) = -0.43 - a;
  SM_ELEMENT_D(J, 5, 6) = 0.69;
  SM_ELEMENT_D(J, 5, 7) = -b;
  SM_ELEMENT_D(J, 6, 5) = a;
  SM_ELEMENT_D(J, 6, 6) = -1.81;
  SM_ELEMENT_D(J, 6, 7) = b;
  SM_ELEMENT_D(J, 7, 5) = -a;
  SM_ELEMENT_D(J, 7, 6) = 1.81;
  SM_ELEMENT_D(J, 7, 7) = -b;
  return 0;
}

static const double hires_y0[8] = {1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0057};
static const double hires_ref[8] = {
    0.0007371312573325668, 0.0001442485726316185, 5.888729740967575e-05,
    0.001175651343283149,  0.002386356198831331,  0.006238968252742796,
    0.002849998395185769,  0.002850001604814231};

/* --------------------------------------------------------------- harness */

typedef struct {
  const char *name;
  int n;
  double tend;
  const double *y0;
  const double *ref;
  CVRhsFn rhs;
  CVLsJacFn jac;
} Problem;

typedef struct {
  long steps, rhs, jac, linSetups, newtonIters, errTestFails, convFails;
  double y[8];
} Result;

static void die(const char *what, int flag, const Problem *p, double rtol) {
  fprintf(stderr, "stiff: %s failed (flag %d) on %s, rtol=%g\n", what, flag,
          p->name, rtol);
  exit(1);
}

#define CHECK_PTR(ptr, what)                                                   \
  do {                                                                         \
    if ((ptr) == NULL) die(what, 0, p, rtol);                                  \
  } while (0)
#define CHECK_FLAG(expr, what)                                                 \
  do {                                                                         \
    int f_ = (expr);                                                           \
    if (f_ < 0) die(what, f_, p, rtol);                                        \
  } while (0)

/* One whole solve: create, init, integrate to tend, collect, free. */
static void solve(const Problem *p, double rtol, double atol, Result *res) {
#if SUNDIALS_VERSION_MAJOR >= 7
  SUNContext ctx = NULL;
  CHECK_FLAG(SUNContext_Create(SUN_COMM_NULL, &ctx), "SUNContext_Create");
#define CTX_ , ctx
#elif SUNDIALS_VERSION_MAJOR == 6
  SUNContext ctx = NULL;
  CHECK_FLAG(SUNContext_Create(NULL, &ctx), "SUNContext_Create");
#define CTX_ , ctx
#else
#define CTX_
#endif

  N_Vector y = N_VNew_Serial(p->n CTX_);
  CHECK_PTR(y, "N_VNew_Serial");
  SUNREAL *yv = N_VGetArrayPointer(y);
  for (int i = 0; i < p->n; i++) yv[i] = p->y0[i];

  void *cv = CVodeCreate(CV_BDF CTX_);
  CHECK_PTR(cv, "CVodeCreate");
  CHECK_FLAG(CVodeInit(cv, p->rhs, 0.0, y), "CVodeInit");
  CHECK_FLAG(CVodeSStolerances(cv, rtol, atol), "CVodeSStolerances");

  SUNMatrix A = SUNDenseMatrix(p->n, p->n CTX_);
  CHECK_PTR(A, "SUNDenseMatrix");
  SUNLinearSolver LS = SUNLinSol_Dense(y, A CTX_);
  CHECK_PTR(LS, "SUNLinSol_Dense");
  CHECK_FLAG(CVodeSetLinearSolver(cv, LS, A), "CVodeSetLinearSolver");
  CHECK_FLAG(CVodeSetJacFn(cv, p->jac), "CVodeSetJacFn");
  CHECK_FLAG(CVodeSetMaxNumSteps(cv, MAX_STEPS), "CVodeSetMaxNumSteps");
  /* Do not step past t_end (as a fixed-endpoint one-step solver would not). */
  CHECK_FLAG(CVodeSetStopTime(cv, p->tend), "CVodeSetStopTime");

  SUNREAL t = 0.0;
  CHECK_FLAG(CVode(cv, p->tend, y, &t, CV_NORMAL), "CVode");

  long v;
  CVodeGetNumSteps(cv, &v);            res->steps = v;
  CVodeGetNumRhsEvals(cv, &v);         res->rhs = v;
  CVodeGetNumJacEvals(cv, &v);         res->jac = v;
  CVodeGetNumLinSolvSetups(cv, &v);    res->linSetups = v;
  CVodeGetNumNonlinSolvIters(cv, &v);  res->newtonIters = v;
  CVodeGetNumErrTestFails(cv, &v);     res->errTestFails = v;
  CVodeGetNumNonlinSolvConvFails(cv, &v); res->convFails = v;
  for (int i = 0; i < p->n; i++) res->y[i] = yv[i];

  SUNLinSolFree(LS);
  SUNMatDestroy(A);
  CVodeFree(&cv);
  N_VDestroy(y);
#if SUNDIALS_VERSION_MAJOR >= 6
  SUNContext_Free(&ctx);
#endif
#undef CTX_
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Significant correct digits: min over components with |ref| > 1e-10. */
static double scd(const Problem *p, const double *y) {
  double best = INFINITY;
  for (int i = 0; i < p->n; i++) {
    if (fabs(p->ref[i]) <= 1e-10) continue;
    double rel = fabs(y[i] - p->ref[i]) / fabs(p->ref[i]);
    if (rel < 1e-17) rel = 1e-17; /* exact match: cap instead of +inf */
    double d = -log10(rel);
    if (d < best) best = d;
  }
  return best;
}

static void run(const Problem *p, double rtol) {
  const double atol = 1e-4 * rtol;
  Result res;

  for (int i = 0; i < WARMUP_SOLVES; i++) solve(p, rtol, atol, &res);

  /* Calibrate N from one timed solve, then grow N until >= MIN_SECONDS. */
  double t0 = now_s();
  solve(p, rtol, atol, &res);
  double one = now_s() - t0;
  long n = (long)ceil(1.25 * MIN_SECONDS / (one > 1e-9 ? one : 1e-9));
  if (n < 5) n = 5;

  double elapsed;
  for (;;) {
    t0 = now_s();
    for (long i = 0; i < n; i++) solve(p, rtol, atol, &res);
    elapsed = now_s() - t0;
    if (elapsed >= MIN_SECONDS) break;
    n *= 2;
  }

  printf("{\"benchmark\":\"baseline/cvode/%s\",\"method\":\"cvode-bdf-dense\","
         "\"rtol\":%g,\"atol\":%g,\"usPerSolve\":%.3f,\"steps\":%ld,"
         "\"rhsEvals\":%ld,\"jacEvals\":%ld,\"yEnd\":[",
         p->name, rtol, atol, 1e6 * elapsed / (double)n, res.steps, res.rhs,
         res.jac);
  for (int i = 0; i < p->n; i++) printf("%s%.17g", i ? "," : "", res.y[i]);
  printf("],\"scd\":%.3f,\"linSetups\":%ld,\"newtonIters\":%ld,"
         "\"errTestFails\":%ld,\"convFails\":%ld,\"solves\":%ld,"
         "\"sundials\":\"%s\"}\n",
         scd(p, res.y), res.linSetups, res.newtonIters, res.errTestFails,
         res.convFails, n, SUNDIALS_VERSION);
  fflush(stdout);
}

int main(void) {
  const Problem problems[2] = {
      {"rober", 3, 1.0e11, rober_y0, rober_ref, rober_rhs, rober_jac},
      {"hires", 8, 321.8122, hires_y0, hires_ref, hires_rhs, hires_jac},
  };
  const double rtols[4] = {1e-4, 1e-6, 1e-8, 1e-10};
  for (int k = 0; k < 2; k++)
    for (int j = 0; j < 4; j++) run(&problems[k], rtols[j]);
  return 0;
}
