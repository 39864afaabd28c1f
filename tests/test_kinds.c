/* test_kinds.c — the checker's kinds beyond a gradient: maps of any shape, a
 * user's jvp and vjp (and their contract and identity), second order (hvp,
 * Hessian; central differences and the Taylor test of order 3), float
 * functions; and what every check shares: atol and rtol, a user step, the
 * non-determinism tolerance, and reports that count coordinates and
 * directions as what they are (the noise allowance said when relied on: the
 * gradcheck suite's sum of cubes). Each kind is shown a wrong derivative and
 * must fail it. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gradcheck.h"
#include "tests.h"

static gc_options opts(void)
{
    return gc_default_options();
}

static char *text_of(const gc_report *r)
{
    static char buf[8192];
    FILE *f = fmemopen(buf, sizeof buf, "w");
    gc_check c = { "t", 0, "", NULL, NULL, 0 };
    gc_print_report(f, GC_TEXT, 1, 1, NULL, &c, r);
    fclose(f);
    return buf;
}

/* ---- a map R^3 -> R^2 and its products ---- */

typedef enum { M_RIGHT, M_ENTRY, M_JVP_ADDS, M_JVP_SKIPS, M_JVP_NONLINEAR, M_JVP_SCRIBBLES,
               M_VJP_OVERWRITES, M_VJP_NOT_TRANSPOSE, M_ZERO } map_slip;

typedef struct { map_slip slip; } map_ctx;

static void f3(void *ctx, const double *x, double *y)
{
    map_ctx *c = ctx;
    double k = c->slip == M_ZERO ? 0 : 1;
    y[0] = k * (x[0] * x[1] + sin(x[2]));
    y[1] = k * (exp(x[0]) - x[1] * x[2]);
}

static void jac3(const map_ctx *c, const double *x, double J[2][3])
{
    double k = c->slip == M_ZERO ? 0 : 1;
    J[0][0] = k * x[1], J[0][1] = k * x[0], J[0][2] = k * cos(x[2]);
    J[1][0] = k * exp(x[0]), J[1][1] = -k * x[2], J[1][2] = -k * x[1];
    if (c->slip == M_ENTRY)
        J[1][2] = -J[1][2];
}

static int jacobian3(void *ctx, const double *x, double *J)
{
    jac3(ctx, x, (double (*)[3])J);
    return 0;
}

static int jvp3(void *ctx, const double *x, const double *v, double *Jv)
{
    map_ctx *c = ctx;
    double J[2][3];
    jac3(c, x, J);
    double scale = c->slip == M_JVP_NONLINEAR ? 1 / (fabs(v[0]) + fabs(v[1]) + fabs(v[2]) + 1) : 1;
    for (int i = 0; i < 2; i++) {
        double s = scale * (J[i][0] * v[0] + J[i][1] * v[1] + J[i][2] * v[2]);
        if (c->slip == M_JVP_ADDS)
            Jv[i] += s;
        else if (!(c->slip == M_JVP_SKIPS && i == 1))
            Jv[i] = s;
    }
    if (c->slip == M_JVP_SCRIBBLES)
        ((double *)v)[0] = 0;
    return 0;
}

static int vjp3(void *ctx, const double *x, const double *u, double *uJ)
{
    map_ctx *c = ctx;
    double J[2][3];
    jac3(c, x, J);
    for (int j = 0; j < 3; j++) {
        double s = J[0][j] * u[0] + J[1][j] * u[1];
        if (c->slip == M_VJP_NOT_TRANSPOSE && j == 2)
            s = J[0][j] * u[1] + J[1][j] * u[0];
        if (c->slip == M_VJP_OVERWRITES)
            uJ[j] = s;
        else
            uJ[j] += s;
    }
    return 0;
}

static const double X3[3] = { 0.4, -1.3, 0.9 };

static gc_map map3(map_ctx *c)
{
    gc_map m;
    memset(&m, 0, sizeof m);
    m.map = f3, m.jacobian = jacobian3, m.jvp = jvp3, m.vjp = vjp3;
    m.ctx = c, m.m = 3, m.m_out = 2, m.x = X3;
    m.in[0] = (gc_block){ "x", 3, 0 }, m.nin = 1;
    m.out[0] = (gc_block){ "y", 2, 0 }, m.nout = 1;
    return m;
}

START_TEST(a_map_of_any_shape_is_checked_entry_by_entry)
{
    map_ctx c = { M_RIGHT };
    gc_map m = map3(&c);
    gc_options o = opts();
    gc_report r;
    ck_assert_int_eq(gc_check_map(&m, &o, &r), GC_PASS);
    ck_assert_uint_eq(r.nblocks, 1);
    ck_assert_uint_eq(r.blocks[0].total, 6);
    ck_assert_uint_eq(r.blocks[0].checked, 6);
    ck_assert_int_eq(r.blocks[0].entries, 1);
    ck_assert_ptr_nonnull(strstr(text_of(&r), "6/6 entries"));
    ck_assert_ptr_null(strstr(text_of(&r), "coords"));
    c.slip = M_ENTRY;
    ck_assert_int_eq(gc_check_map(&m, &o, &r), GC_FAIL);
    ck_assert_str_eq(r.where, "dy/dx[1][2]");
    ck_assert_ptr_nonnull(strstr(r.note, "1 Jacobian entry disagrees"));
    c.slip = M_ZERO;
    ck_assert_int_eq(gc_check_map(&m, &o, &r), GC_VACUOUS);
    m.jacobian = NULL, m.jvp = NULL, m.vjp = NULL;   /* no derivative at all */
    ck_assert_int_eq(gc_check_map(&m, &o, &r), GC_ERROR);
    ck_assert_int_eq(r.error, EINVAL);
    ck_assert_ptr_nonnull(strstr(r.note, "gives no derivative"));
}
END_TEST

START_TEST(jvp_and_vjp_are_checked_against_differences_and_each_other)
{
    map_ctx c = { M_RIGHT };
    gc_map m = map3(&c);
    gc_options o = opts();
    gc_report r;
    ck_assert_int_eq(gc_check_jvp(&m, &o, &r), GC_PASS);
    ck_assert_int_eq(r.kind, GC_JVP);
    ck_assert_ptr_nonnull(strstr(r.extra, "<u, J v> = <J^T u, v>"));
    ck_assert_int_eq(gc_check_vjp(&m, &o, &r), GC_PASS);
    c.slip = M_ENTRY;                        /* both products follow the wrong J */
    ck_assert_int_eq(gc_check_jvp(&m, &o, &r), GC_FAIL);
    ck_assert_str_eq(r.where, "dy/dx[1][2]");
    ck_assert_ptr_nonnull(strstr(r.note, "value of J v (jvp)"));
    ck_assert_int_eq(gc_check_vjp(&m, &o, &r), GC_FAIL);
    ck_assert_ptr_nonnull(strstr(r.note, "value of u^T J (vjp)"));
    c.slip = M_VJP_NOT_TRANSPOSE;            /* jvp right, vjp not its transpose */
    m.vjp = vjp3;
    ck_assert_int_eq(gc_check_vjp(&m, &o, &r), GC_FAIL);
    gc_map only_jvp = m;
    only_jvp.jacobian = NULL;
    ck_assert_int_eq(gc_check_jvp(&only_jvp, &o, &r), GC_FAIL);   /* the identity catches it */
    ck_assert_ptr_nonnull(strstr(r.note, "not transposes of each other"));
    m.jvp = NULL;
    ck_assert_int_eq(gc_check_jvp(&m, &o, &r), GC_ERROR);
    ck_assert_ptr_nonnull(strstr(r.note, "needs the map's jvp"));
}
END_TEST

static void expect_contract(map_slip slip, int vjp, const char *words)
{
    map_ctx c = { slip };
    gc_map m = map3(&c);
    gc_options o = opts();
    gc_report r;
    ck_assert_int_eq(vjp ? gc_check_vjp(&m, &o, &r) : gc_check_jvp(&m, &o, &r), GC_FAIL);
    ck_assert_msg(strstr(r.diagnosis, words) || strstr(r.note, words), "slip %d: '%s' not in "
                  "'%s' / '%s'", slip, words, r.note, r.diagnosis);
}

START_TEST(the_products_contract_is_checked_first)
{
    expect_contract(M_JVP_ADDS, 0, "it added into it (+=)");
    expect_contract(M_JVP_SKIPS, 0, "does not write every entry");
    expect_contract(M_JVP_NONLINEAR, 0, "is not linear");
    expect_contract(M_JVP_SCRIBBLES, 0, "changed its vector");
    expect_contract(M_VJP_OVERWRITES, 1, "it overwrites instead of adding");
}
END_TEST

/* A map of 3000 inputs (more than full_limit): sampled columns and random
 * directions, counted apart; a wrong column the sample missed shows in the
 * directions, and the report says so instead of inventing a factor. */
enum { WIDE = 3000 };
typedef struct { size_t wrong; } wide_ctx;

static void wide(void *ctx, const double *x, double *y)
{
    (void)ctx;
    y[0] = y[1] = 0;
    for (size_t j = 0; j < WIDE; j++)
        y[0] += sin(x[j]), y[1] += x[j] * x[j] * (j % 3);
}

static int wide_vjp(void *ctx, const double *x, const double *u, double *uJ)
{
    const wide_ctx *c = ctx;
    for (size_t j = 0; j < WIDE; j++)
        uJ[j] += u[0] * cos(x[j]) * (j == c->wrong ? 1.5 : 1) + u[1] * 2 * x[j] * (j % 3);
    return 0;
}

START_TEST(large_maps_are_sampled_and_directions_are_named_as_directions)
{
    static double x[WIDE];
    for (size_t j = 0; j < WIDE; j++)
        x[j] = sin(0.37 * j + 1);
    wide_ctx c = { WIDE };
    gc_map m;
    memset(&m, 0, sizeof m);
    m.map = wide, m.vjp = wide_vjp, m.ctx = &c, m.m = WIDE, m.m_out = 2, m.x = x;
    gc_options o = opts();
    gc_report r;
    ck_assert_int_eq(gc_check_vjp(&m, &o, &r), GC_PASS);
    ck_assert_uint_eq(r.blocks[0].checked, 2 * 64);
    ck_assert_uint_eq(r.blocks[0].directions, 2 * 8);
    ck_assert_ptr_nonnull(strstr(text_of(&r), "128 of 6000 entries + 16 values along random "
                                              "directions"));
    c.wrong = 1234;                                  /* not among the sampled columns */
    ck_assert_int_eq(gc_check_vjp(&m, &o, &r), GC_FAIL);
    ck_assert_uint_eq(r.blocks[0].wrong, r.blocks[0].wrong_directions);
    ck_assert_ptr_nonnull(strstr(r.note, "values along random directions disagree"));
    ck_assert_ptr_nonnull(strstr(r.diagnosis, "are among the 5872 not sampled"));
    ck_assert_ptr_null(strstr(r.diagnosis, "factor"));
}
END_TEST

/* ---- second order: f = sum_i c_i exp(a x_i) + (sum x)^2 / 2 + lambda |x|^2 / 2 ---- */

typedef enum { H_RIGHT, H_NO_LAMBDA, H_ONE_ENTRY, H_GRAD_WRONG } hess_slip;

typedef struct {
    hess_slip slip;
    double c[4];
} hess_ctx;

enum { HN = 4 };
static const double LAMBDA = 0.3, A = 0.7;

static double hf(void *ctx, const double *x, double *g)
{
    const hess_ctx *c = ctx;
    double s = 0, f = 0;
    for (int i = 0; i < HN; i++)
        s += x[i];
    for (int i = 0; i < HN; i++) {
        f += c->c[i] * exp(A * x[i]) + 0.5 * LAMBDA * x[i] * x[i];
        if (g)
            g[i] += A * c->c[i] * exp(A * x[i]) + s + LAMBDA * x[i] * (c->slip == H_GRAD_WRONG ? 2 : 1);
    }
    return f + 0.5 * s * s;
}

static void hessian_of(const hess_ctx *c, const double *x, double H[HN][HN])
{
    for (int i = 0; i < HN; i++)
        for (int j = 0; j < HN; j++)
            H[i][j] = 1 + (i == j ? A * A * c->c[i] * exp(A * x[i]) +
                                    (c->slip == H_NO_LAMBDA ? 0 : LAMBDA) : 0);
    if (c->slip == H_ONE_ENTRY)
        H[0][1] += 0.25;
}

static int hhess(void *ctx, const double *x, double *H)
{
    hessian_of(ctx, x, (double (*)[HN])H);
    return 0;
}

static int hhvp(void *ctx, const double *x, const double *v, double *Hv)
{
    double H[HN][HN];
    hessian_of(ctx, x, H);
    for (int i = 0; i < HN; i++)
        for (int j = 0; j < HN; j++)
            Hv[i] += H[i][j] * v[j];
    return 0;
}

static void make_hess(gc_problem *p, hess_slip slip)
{
    ck_assert_int_eq(gc_problem_alloc(p, HN, sizeof(hess_ctx)), 0);
    hess_ctx *c = p->ctx;
    c->slip = slip;
    for (int i = 0; i < HN; i++)
        c->c[i] = 0.5 + 0.25 * i, p->x[i] = 0.3 * i - 0.5;
    p->f = hf;
    p->blocks[0] = (gc_block){ "x", HN, 0 };
    p->nblocks = 1;
    p->kind = GC_SECOND;
}

static gc_status second(hess_slip slip, int use_hvp, int use_hessian, gc_method m, gc_report *r)
{
    gc_problem p;
    make_hess(&p, slip);
    p.hvp = use_hvp ? hhvp : NULL;
    p.hessian = use_hessian ? hhess : NULL;
    gc_options o = opts();
    o.method = m;
    gc_status s = gc_check_gradient(&p, &o, r);
    gc_problem_free(&p);
    return s;
}

START_TEST(second_order_by_central_differences_of_the_gradient)
{
    gc_report r;
    ck_assert_int_eq(second(H_RIGHT, 1, 0, GC_CENTRAL, &r), GC_PASS);
    ck_assert_int_eq(r.kind, GC_SECOND);
    ck_assert_str_eq(r.blocks[0].name, "d2J/dx dx");
    ck_assert_ptr_nonnull(strstr(r.extra, "<u, H v> = <H u, v>"));
    ck_assert_int_eq(second(H_RIGHT, 0, 1, GC_CENTRAL, &r), GC_PASS);
    ck_assert_int_eq(second(H_RIGHT, 1, 1, GC_CENTRAL, &r), GC_PASS);
    ck_assert_int_eq(second(H_NO_LAMBDA, 1, 0, GC_CENTRAL, &r), GC_FAIL);
    ck_assert_ptr_nonnull(strstr(r.diagnosis, "only the diagonal is wrong"));
    ck_assert_int_eq(second(H_ONE_ENTRY, 0, 1, GC_CENTRAL, &r), GC_FAIL);
    ck_assert_str_eq(r.where, "d2J/dx[0] dx[1]");
    ck_assert_ptr_nonnull(strstr(r.note, "1 Hessian entry disagrees"));
}
END_TEST

/* hvp right, the Hessian given beside it wrong in one entry: the finite
 * differences follow hvp, the identity <u, H v> = <H u, v> sees the other. */
START_TEST(hvp_and_hessian_must_agree_and_be_symmetric)
{
    gc_problem p;
    gc_report r;
    gc_options o = opts();
    make_hess(&p, H_RIGHT);
    p.hvp = hhvp;
    p.hessian = hhess;
    ck_assert_int_eq(gc_check_second(&p, &o, &r), GC_PASS);
    ((hess_ctx *)p.ctx)->slip = H_ONE_ENTRY;
    p.hvp = NULL;
    ck_assert_int_eq(gc_check_second(&p, &o, &r), GC_FAIL);
    gc_problem_free(&p);
}
END_TEST

START_TEST(second_order_taylor_test_has_order_three)
{
    gc_report r;
    ck_assert_int_eq(second(H_RIGHT, 1, 0, GC_TAYLOR, &r), GC_PASS);
    ck_assert_double_gt(r.order, 2.7);
    ck_assert_double_eq(r.order_want, 3);
    ck_assert_int_eq(second(H_RIGHT, 0, 1, GC_TAYLOR, &r), GC_PASS);
    ck_assert_int_eq(second(H_NO_LAMBDA, 1, 0, GC_TAYLOR, &r), GC_FAIL);
    ck_assert_double_gt(r.order, 1.8);
    ck_assert_double_lt(r.order, 2.2);
    ck_assert_int_eq(second(H_GRAD_WRONG, 1, 0, GC_TAYLOR, &r), GC_FAIL);
    ck_assert_double_lt(r.order, 1.2);
    ck_assert_int_eq(second(H_RIGHT, 0, 0, GC_CENTRAL, &r), GC_ERROR);
    ck_assert_ptr_nonnull(strstr(r.note, "needs hvp or hessian"));
}
END_TEST

/* ---- float ---- */

typedef struct { float w[8]; int slip; } float_ctx;

/* f = sum w_i log(1 + exp(x_i)) in float; df/dx_i = w_i sigma(x_i). */
static float f32(void *ctx, const float *x, float *g)
{
    const float_ctx *c = ctx;
    float f = 0;
    for (int i = 0; i < 8; i++) {
        f += c->w[i] * log1pf(expf(x[i]));
        if (g)
            g[i] += c->w[i] / (1 + expf(-x[i])) * (c->slip && i == 5 ? 1.01f : 1.0f);
    }
    return f;
}

static int hvp32(void *ctx, const float *x, const float *v, float *Hv)
{
    const float_ctx *c = ctx;
    for (int i = 0; i < 8; i++) {
        float s = 1 / (1 + expf(-x[i]));
        Hv[i] += c->w[i] * s * (1 - s) * v[i] * (c->slip == 2 && i == 3 ? 1.05f : 1.0f);
    }
    return 0;
}

static void make_float(gc_problem *p, int slip)
{
    ck_assert_int_eq(gc_problem_alloc(p, 8, sizeof(float_ctx)), 0);
    float_ctx *c = p->ctx;
    c->slip = slip;
    for (int i = 0; i < 8; i++)
        c->w[i] = 0.5f + 0.125f * (float)i, p->x[i] = 1.7 * sin(2.1 * i + 0.4);
    p->f32 = f32;
    p->blocks[0] = (gc_block){ "x", 8, 0 };
    p->nblocks = 1;
}

START_TEST(float_functions_get_float_steps_and_tolerances)
{
    gc_problem p;
    gc_report r;
    gc_options o = opts();
    make_float(&p, 0);
    for (gc_method m = GC_CENTRAL; m <= GC_TAYLOR; m++) {
        o.method = m;
        ck_assert_msg(gc_check_gradient(&p, &o, &r) == GC_PASS, "method %d: %s", m, r.note);
        ck_assert_int_eq(r.precision, GC_FLOAT);
    }
    o.method = GC_CENTRAL;
    gc_check_gradient(&p, &o, &r);
    ck_assert_double_eq_tol(r.rtol, 8.127e-4, 1e-6);
    ck_assert_double_ge(r.blocks[0].step, 4.92e-3);     /* FLT_EPSILON^(1/3) max(1, |x|) */
    ck_assert_double_le(r.blocks[0].step, 4.93e-3 * 1.7);
    ck_assert_ptr_nonnull(strstr(text_of(&r), "in float (rtol 8.1e-04)"));
    ((float_ctx *)p.ctx)->slip = 1;
    ck_assert_int_eq(gc_check_gradient(&p, &o, &r), GC_FAIL);
    ck_assert_str_eq(r.where, "dJ/dx[5]");
    ((float_ctx *)p.ctx)->slip = 0;
    p.hvp32 = hvp32;
    p.kind = GC_SECOND;
    ck_assert_int_eq(gc_check_gradient(&p, &o, &r), GC_PASS);
    ((float_ctx *)p.ctx)->slip = 2;
    ck_assert_int_eq(gc_check_gradient(&p, &o, &r), GC_FAIL);
    ck_assert_str_eq(r.where, "d2J/dx[3] dx[3]");
    p.hvp = hhvp;                        /* a double hvp on a float loss */
    ck_assert_int_eq(gc_check_gradient(&p, &o, &r), GC_ERROR);
    gc_problem_free(&p);
}
END_TEST

/* The float map y = (x0 x1, x1 + x2^2) and its Jacobian, in float. */
static void fmap(void *ctx, const float *x, float *y)
{
    (void)ctx;
    y[0] = x[0] * x[1], y[1] = x[1] + x[2] * x[2];
}

static int fjac(void *ctx, const float *x, float *J)
{
    J[0] = x[1], J[1] = x[0], J[2] = 0;
    J[3] = 0, J[4] = 1, J[5] = 2 * x[2] * (*(const int *)ctx ? 1.02f : 1.0f);
    return 0;
}

START_TEST(float_maps_are_checked_in_float)
{
    int slip = 0;
    double x[3] = { 0.3, -1.25, 0.8 };
    gc_map m;
    memset(&m, 0, sizeof m);
    m.map32 = fmap, m.jacobian32 = fjac, m.ctx = &slip, m.m = 3, m.m_out = 2, m.x = x;
    gc_options o = opts();
    gc_report r;
    ck_assert_int_eq(gc_check_map(&m, &o, &r), GC_PASS);
    ck_assert_int_eq(r.precision, GC_FLOAT);
    slip = 1;
    ck_assert_int_eq(gc_check_map(&m, &o, &r), GC_FAIL);
    ck_assert_str_eq(r.where, "dout/din[1][2]");
    m.jacobian = jacobian3;              /* a double function on a float map */
    ck_assert_int_eq(gc_check_map(&m, &o, &r), GC_ERROR);
}
END_TEST

/* ---- tolerances, step, non-determinism ---- */

typedef struct { double delta; double jitter; uint64_t calls; } tol_ctx;

/* f = sum x_i^2 with df/dx_0 off by delta; jitter: a relative wobble of f
 * from call to call (a non-deterministic reduction's). */
static double ftol(void *ctx, const double *x, double *g)
{
    tol_ctx *c = ctx;
    double f = 0;
    for (int i = 0; i < 3; i++) {
        f += x[i] * x[i];
        if (g)
            g[i] += 2 * x[i] + (i == 0 ? c->delta : 0);
    }
    c->calls++;
    return f * (1 + c->jitter * ((c->calls * 2654435761u) % 7 - 3.0) / 3.0);
}

static gc_status run_tol(double delta, double jitter, gc_options o, gc_report *r)
{
    gc_problem p;
    ck_assert_int_eq(gc_problem_alloc(&p, 3, sizeof(tol_ctx)), 0);
    *(tol_ctx *)p.ctx = (tol_ctx){ delta, jitter, 0 };
    p.x[0] = 0.5, p.x[1] = -1.5, p.x[2] = 2.0;
    p.f = ftol;
    p.blocks[0] = (gc_block){ "x", 3, 0 };
    p.nblocks = 1;
    gc_status s = gc_check_gradient(&p, &o, r);
    gc_problem_free(&p);
    return s;
}

START_TEST(atol_and_rtol_follow_their_formula)
{
    gc_report r;
    gc_options o = opts();            /* |a - n| = 1e-5 where a = 1: fails rtol 1e-6 */
    ck_assert_int_eq(run_tol(1e-5, 0, o, &r), GC_FAIL);
    ck_assert_double_eq(r.rtol, 1e-6);
    o.atol = 2e-5;                    /* |a - n| <= atol + rtol max(|a|, |n|, floor) */
    ck_assert_int_eq(run_tol(1e-5, 0, o, &r), GC_PASS);
    o.atol = 5e-6;
    ck_assert_int_eq(run_tol(1e-5, 0, o, &r), GC_FAIL);
    o = opts(), o.rtol = 2e-5;
    ck_assert_int_eq(run_tol(1e-5, 0, o, &r), GC_PASS);
    o.rtol = 5e-6;
    ck_assert_int_eq(run_tol(1e-5, 0, o, &r), GC_FAIL);
    o = opts(), o.step = 1e-3;
    ck_assert_int_eq(run_tol(0, 0, o, &r), GC_PASS);
    double h = r.blocks[0].step;                     /* 1e-3 max(1, |x_i|), x = 0.5, -1.5, 2 */
    ck_assert(h == 1e-3 || h == 1.5e-3 || h == 2e-3);
    o.atol = -1;
    ck_assert_int_eq(run_tol(0, 0, o, &r), GC_ERROR);
    ck_assert_ptr_nonnull(strstr(r.note, "atol must be"));
    o = opts(), o.step = 0.75;
    ck_assert_int_eq(run_tol(0, 0, o, &r), GC_ERROR);
}
END_TEST

START_TEST(non_determinism_is_refused_unless_a_tolerance_allows_it)
{
    gc_report r;
    gc_options o = opts();
    ck_assert_int_eq(run_tol(0, 1e-13, o, &r), GC_FAIL);
    ck_assert_ptr_nonnull(strstr(r.note, "non-deterministic"));
    o.nondet_tol = 1e-10;
    ck_assert_msg(run_tol(0, 1e-13, o, &r) == GC_PASS, "%s", r.note);
    ck_assert_int_eq(run_tol(0, 1e-8, o, &r), GC_FAIL);
    ck_assert_ptr_nonnull(strstr(r.note, "by more than nondet_tol 1.0e-10"));
    o.nondet_tol = 1e-10;
    ck_assert_int_eq(run_tol(1e-3, 1e-13, o, &r), GC_FAIL);   /* a wrong gradient still fails */
}
END_TEST

/* ---- reports count what they checked, and name factors with their digits ---- */

typedef struct { double k; size_t wrong; } big_ctx;

static double fdir(void *ctx, const double *x, double *g)
{
    const big_ctx *c = ctx;
    double f = 0;
    for (size_t i = 0; i < 10000; i++) {
        f += 0.5 * x[i] * x[i] + sin(x[i]);
        if (g)
            g[i] += c->k * (i == c->wrong ? 1.01 : 1.0) * (x[i] + cos(x[i]));
    }
    return f;
}

static gc_status run_dir(double k, size_t wrong, gc_report *r)
{
    gc_problem p;
    ck_assert_int_eq(gc_problem_alloc(&p, 10000, sizeof(big_ctx)), 0);
    *(big_ctx *)p.ctx = (big_ctx){ k, wrong };
    for (size_t i = 0; i < 10000; i++)
        p.x[i] = sin(0.37 * i + 1.0);
    p.f = fdir;
    p.blocks[0] = (gc_block){ "w", 100, 100 };
    p.nblocks = 1;
    gc_options o = opts();
    gc_status s = gc_check_gradient(&p, &o, r);
    gc_problem_free(&p);
    return s;
}

START_TEST(coordinates_and_directions_are_counted_as_what_they_are)
{
    gc_report r;
    ck_assert_int_eq(run_dir(1, 5000, &r), GC_FAIL);      /* one coordinate 1% off, not sampled */
    ck_assert_ptr_nonnull(strstr(r.note, "8 of 8 random directions disagree"));
    ck_assert_ptr_nonnull(strstr(r.note, "the 64 checked coordinates agree"));
    ck_assert_ptr_null(strstr(r.note, "checked coordinates disagree"));
    ck_assert_ptr_nonnull(strstr(r.diagnosis, "among the 9936 not sampled"));
    ck_assert_ptr_null(strstr(r.diagnosis, "1x"));
    ck_assert_int_eq(run_dir(1.0001, 10000, &r), GC_FAIL);
    ck_assert_ptr_nonnull(strstr(r.note, "64 of 64 checked coordinates and 8 of 8 random directions"));
    ck_assert_ptr_nonnull(strstr(r.diagnosis, "1.0001x the true one everywhere (a constant factor"));
}
END_TEST

/* ---- the one error convention ---- */

START_TEST(library_failures_follow_one_convention)
{
    char why[200];
    gc_problem p;
    memset(&p, 0, sizeof p);
    errno = 0;
    ck_assert_int_eq(gc_problem_valid(&p, why, sizeof why), -1);
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_ptr_nonnull(strstr(why, "no loss function"));
    ck_assert_int_eq(gc_problem_valid(NULL, NULL, 0), -1);
    errno = 0;
    ck_assert(isnan(gc_log_abs_det(NULL, 2, NULL)));
    ck_assert_int_eq(errno, EINVAL);
    int status;
    errno = 0;
    ck_assert_int_eq(gc_run_child(NULL, NULL, 0, NULL, 0, NULL, &status), -1);
    ck_assert_int_eq(errno, EINVAL);
    errno = 0;
    ck_assert_int_eq(gc_problem_alloc(NULL, 3, 1), -1);
    ck_assert_int_eq(errno, EINVAL);
    gc_report r;
    gc_options o = opts();
    ck_assert_int_eq(gc_check_gradient(&p, &o, &r), GC_ERROR);
    ck_assert_int_eq(r.error, EINVAL);
    errno = 0;
    ck_assert_int_eq(gc_print_report(stdout, GC_JUNIT, 1, 1, NULL, NULL, &r), -1);
    ck_assert_int_eq(errno, EINVAL);
    static double big[4];
    gc_map m;
    memset(&m, 0, sizeof m);
    m.map = f3, m.jacobian = jacobian3, m.x = big, m.m = 1 << 13, m.m_out = 1 << 12;
    ck_assert_int_eq(gc_check_map(&m, &o, &r), GC_ERROR);
    ck_assert_ptr_nonnull(strstr(r.note, "more than 2^24 entries"));
}
END_TEST

Suite *suite_kinds(void)
{
    Suite *s = suite_create("kinds");
    TCase *t = tcase_create("kinds");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, a_map_of_any_shape_is_checked_entry_by_entry);
    tcase_add_test(t, jvp_and_vjp_are_checked_against_differences_and_each_other);
    tcase_add_test(t, the_products_contract_is_checked_first);
    tcase_add_test(t, large_maps_are_sampled_and_directions_are_named_as_directions);
    tcase_add_test(t, second_order_by_central_differences_of_the_gradient);
    tcase_add_test(t, hvp_and_hessian_must_agree_and_be_symmetric);
    tcase_add_test(t, second_order_taylor_test_has_order_three);
    tcase_add_test(t, float_functions_get_float_steps_and_tolerances);
    tcase_add_test(t, float_maps_are_checked_in_float);
    tcase_add_test(t, atol_and_rtol_follow_their_formula);
    tcase_add_test(t, non_determinism_is_refused_unless_a_tolerance_allows_it);
    tcase_add_test(t, coordinates_and_directions_are_counted_as_what_they_are);
    tcase_add_test(t, library_failures_follow_one_convention);
    suite_add_tcase(s, t);
    return s;
}
