/* labs/lab1/checks.c — lab 1's checks: sigma itself, sigma', log sigma,
 * log-sum-exp, softmax's Jacobian, relu's kink and the cross-entropy gradient. Each check builds a scalar loss
 * from the student's functions so that its gradient is the derivation. */
#include <math.h>
#include <string.h>

#include "checks.h"
#include "lab.h"
#include "gradlab.h"

static int setup_vec(gc_problem *p, size_t n, const char *name)
{
    if (gc_problem_alloc(p, n, sizeof(vec_ctx)) != 0)
        return -1;
    ((vec_ctx *)p->ctx)->n = n;
    p->blocks[0] = (gc_block){ name, n, 0 };
    p->nblocks = 1;
    return 0;
}

static void fill_uniform(rng_t *r, double *v, size_t n, double lo, double hi)
{
    for (size_t i = 0; i < n; i++)
        v[i] = rng_range(r, lo, hi);
}

int lab1_setup_weighted(gc_problem *p, uint64_t seed, size_t n, gc_loss_fn f, double xlo,
                        double xhi, double wlo, double whi)
{
    rng_t r;
    rng_seed(&r, seed);
    if (setup_vec(p, n, "x") != 0)
        return -1;
    p->f = f;
    fill_uniform(&r, p->x, n, xlo, xhi);
    fill_uniform(&r, ((vec_ctx *)p->ctx)->w, n, wlo, whi);
    return 0;
}

/* f(x) = sum_i w_i sigma(x_i) with s = sigma(x_i) the student's sigmoid;
 * adds w_i ds(s) into grad[i], ds the derivative written through s. */
static double weighted_sigmoids(const vec_ctx *c, const double *x, double *grad,
                                double (*ds)(double))
{
    double f = 0;
    for (size_t i = 0; i < c->n; i++) {
        double s = sigmoid(x[i]);
        f += c->w[i] * s;
        if (grad)
            grad[i] += c->w[i] * ds(s);
    }
    return f;
}

/* f(x) = sum_i w_i sigma(x_i);  df/dx_i = w_i sigma'(x_i) = w_i s (1 - s) */
static double f_sigmoid(void *ctx, const double *x, double *grad)
{
    return weighted_sigmoids(ctx, x, grad, sigmoid_grad);
}

int lab1_every_entry(const gc_problem *p, const double *a, const double *num,
                     double (*g)(double))
{
    const vec_ctx *c = p->ctx;
    for (size_t i = 0; i < c->n; i++) {
        double want = c->w[i] * g(p->x[i]);
        if (!isnan(num[i]) && !(fabs(a[i] - want) <= 1e-6 * fmax(fabs(want), 1e-12)))
            return 0;
    }
    return 1;
}

static void say_sigmoid_mirrored(char *buf, size_t size)
{
    snprintf(buf, size, "sigmoid itself is wrong: it returns sigma(-x) = 1/(1 + exp(x)), the "
             "minus sign of exp(-x) lost; the functions that use it are judged through it");
}

/* sigmoid itself against the logit: sigma(x) = 1/(1 + exp(-x)) is the one s
 * with log(s / (1 - s)) = x, so the student's sigmoid is read through that
 * inverse at the check's points with |x| <= 6 (away from saturation). */
int lab1_sigmoid_wrong(const gc_problem *p, char *buf, size_t size)
{
    size_t flipped = 0, tried = 0, bad = p->n;
    for (size_t i = 0; i < p->n; i++) {
        double x = p->x[i], s = sigmoid(x);
        if (!(fabs(x) <= 6))
            continue;
        double logit = log(s) - log1p(-s);
        tried++;
        flipped += fabs(logit + x) <= 1e-9 * fmax(1.0, fabs(x)) && fabs(x) > 1e-3;
        if (bad == p->n && !(fabs(logit - x) <= 1e-9 * fmax(1.0, fabs(x))))
            bad = i;
    }
    if (bad == p->n)
        return 0;
    if (flipped == tried)
        say_sigmoid_mirrored(buf, size);
    else
        snprintf(buf, size, "sigmoid itself is wrong: sigmoid(%g) = %.6g, but sigma(x) = 1/(1 + "
                 "exp(-x)) has log(s / (1 - s)) = x; the functions that use it are judged "
                 "through it", p->x[bad], sigmoid(p->x[bad]));
    return 1;
}

/* sigma applied once more to the argument of sigmoid_grad, which is s = sigma(x) already. */
static double sigma_of_s(double x)
{
    double s = sigmoid(sigmoid(x));
    return s * (1 - s);
}

static double x_one_minus_x(double x) { return x * (1 - x); }

/* What sigmoid_grad most likely does wrong, tried in order. */
static void explain_sigmoid(const gc_problem *p, const double *a, const double *num, char *buf,
                            size_t size)
{
    if (lab1_sigmoid_wrong(p, buf, size))
        ;
    else if (lab1_every_entry(p, a, num, sigma_of_s))
        snprintf(buf, size, "sigmoid_grad applies sigma to its argument again: it is given s = "
                 "sigma(x), not x, so sigma'(x) is s (1 - s) of the argument itself");
    else if (lab1_every_entry(p, a, num, x_one_minus_x))
        snprintf(buf, size, "the derivative is x (1 - x) of the input x: sigma'(x) = s (1 - s) "
                 "needs s = sigma(x), which is what sigmoid_grad is given");
    else if (lab1_every_entry(p, a, num, sigmoid))
        snprintf(buf, size, "sigmoid_grad returns sigma itself, not its derivative s (1 - s)");
}

/* A loss sum w_i sigma(-x_i) where sum w_i sigma(x_i) belongs: sigmoid
 * returns sigma(-x). (In the grader, where sigmoid is the reference's.) */
static void explain_sigmoid_loss(const gc_problem *p, double J, char *buf, size_t size)
{
    const vec_ctx *c = p->ctx;
    double mirrored = 0;
    for (size_t i = 0; i < c->n; i++)
        mirrored += c->w[i] * sigmoid(-p->x[i]);
    if (fabs(J - mirrored) <= 1e-9 * fmax(1.0, fabs(J)))
        say_sigmoid_mirrored(buf, size);
}

/* f(x) = sum_i w_i sigma(x_i);  df/dx_i = w_i s (1 - s) with s the student's
 * sigma(x_i): the logistic equation sigma' = sigma (1 - sigma), worked out
 * here and not by sigmoid_grad, so this check is sigmoid's own. */
static double f_sigmoid_itself(void *ctx, const double *x, double *grad)
{
    return weighted_sigmoids(ctx, x, grad, x_one_minus_x);
}

static void explain_sigmoid_itself(const gc_problem *p, const double *a, const double *num,
                                   char *buf, size_t size)
{
    (void)a, (void)num;
    lab1_sigmoid_wrong(p, buf, size);
}

static int setup_sigmoid_itself(gc_problem *p, uint64_t seed)
{
    static const double far[4] = { -800, -40, 40, 800 };  /* exp(800) overflows */
    if (lab1_setup_weighted(p, seed, LAB1_N, f_sigmoid_itself, -6, 6, -1, 1) != 0)
        return -1;
    memcpy(p->x, far, sizeof far);
    p->explain = explain_sigmoid_itself;
    p->explain_loss = explain_sigmoid_loss;
    return 0;
}

static int setup_sigmoid(gc_problem *p, uint64_t seed)
{
    if (lab1_setup_weighted(p, seed, LAB1_N, f_sigmoid, -6, 6, -1, 1) != 0)
        return -1;
    p->explain = explain_sigmoid;
    p->explain_loss = explain_sigmoid_loss;
    return 0;
}

/* f(x) = sum_i w_i log sigma(x_i);  df/dx_i = w_i (1 - sigma(x_i)) = w_i sigma(-x_i) */
static double f_log_sigmoid(void *ctx, const double *x, double *grad)
{
    const vec_ctx *c = ctx;
    double f = 0;
    for (size_t i = 0; i < c->n; i++) {
        f += c->w[i] * log_sigmoid(x[i]);
        if (grad)
            grad[i] += c->w[i] * sigmoid(-x[i]);
    }
    return f;
}

/* Its gradient is sigma(-x): a wrong sigmoid shows here first. */
static void explain_log_sigmoid(const gc_problem *p, const double *a, const double *num,
                                char *buf, size_t size)
{
    const vec_ctx *c = p->ctx;
    if (lab1_sigmoid_wrong(p, buf, size))
        return;
    for (size_t i = 0; i < c->n; i++)       /* w sigma(x) where w sigma(-x) belongs */
        if (isnan(num[i]) || !(fabs(a[i] + num[i] - c->w[i]) <= 1e-9 * fabs(c->w[i])))
            return;
    say_sigmoid_mirrored(buf, size);
}

static int setup_log_sigmoid(gc_problem *p, uint64_t seed)
{
    static const double far[4] = { -800, -40, 40, 800 };  /* exp(800) overflows */
    if (lab1_setup_weighted(p, seed, LAB1_N, f_log_sigmoid, -6, 6, 0.5, 1.5) != 0)
        return -1;
    memcpy(p->x, far, sizeof far);
    p->explain = explain_log_sigmoid;
    return 0;
}

/* f(x) = logsumexp(x);  df/dx = softmax(x) */
static double f_logsumexp(void *ctx, const double *x, double *grad)
{
    const vec_ctx *c = ctx;
    double s[LAB1_N];
    if (grad) {
        softmax(x, c->n, s);
        for (size_t i = 0; i < c->n; i++)
            grad[i] += s[i];
    }
    return logsumexp(x, c->n);
}

/* log-sum-exp moves with a shift of x: logsumexp(x + 1) = logsumexp(x) + 1.
 * One that does not move has subtracted the max and never added it back. */
static int lse_shift_lost(const gc_problem *p, char *buf, size_t size)
{
    double moved[LAB1_N];
    size_t n = ((const vec_ctx *)p->ctx)->n;
    for (size_t i = 0; i < n; i++)
        moved[i] = p->x[i] + 1;
    double gain = logsumexp(moved, n) - logsumexp(p->x, n);
    if (!(fabs(gain) <= 1e-6))
        return 0;
    snprintf(buf, size, "logsumexp leaves out the + m: logsumexp(x + 1) = logsumexp(x) here, "
             "where log sum exp(x + c) = c + log sum exp(x); m + log sum exp(x - m) needs its m");
    return 1;
}

static void explain_logsumexp(const gc_problem *p, const double *a, const double *num, char *buf,
                              size_t size)
{
    (void)a, (void)num;
    lse_shift_lost(p, buf, size);
}

static void explain_logsumexp_loss(const gc_problem *p, double J, char *buf, size_t size)
{
    (void)J;
    lse_shift_lost(p, buf, size);
}

static int setup_logsumexp(gc_problem *p, uint64_t seed)
{
    /* near 1000, where exp overflows unshifted; the weights go unused */
    if (lab1_setup_weighted(p, seed, 10, f_logsumexp, 1000 - 4, 1000 + 4, 0, 1) != 0)
        return -1;
    p->explain = explain_logsumexp;
    p->explain_loss = explain_logsumexp_loss;
    return 0;
}

/* f(x) = w . softmax(x);  J = diag(s) - s s^T, so df/dx = J^T w = s * (w - w.s) */
static double f_softmax(void *ctx, const double *x, double *grad)
{
    const vec_ctx *c = ctx;
    double s[LAB1_N], ws = 0;
    softmax(x, c->n, s);
    for (size_t i = 0; i < c->n; i++)
        ws += c->w[i] * s[i];
    for (size_t i = 0; grad && i < c->n; i++)
        grad[i] += s[i] * (c->w[i] - ws);
    return ws;
}

static int setup_softmax(gc_problem *p, uint64_t seed)
{
    return lab1_setup_weighted(p, seed, 10, f_softmax, -4, 4, -1, 1);
}

/* The same near 1000, where exp(x) overflows unless the max is subtracted. */
static int setup_softmax_large(gc_problem *p, uint64_t seed)
{
    return lab1_setup_weighted(p, seed, 10, f_softmax, 1000 - 4, 1000 + 4, -1, 1);
}

/* f(x) = sum_i w_i relu(x_i);  df/dx_i = w_i relu'(x_i). x_0 = 0 exactly: a
 * kink, where the checker reports the one-sided derivatives and asks for the
 * left one, 0: gradlab's convention relu_grad(0) = 0 (src/relu.h). */
static double f_relu(void *ctx, const double *x, double *grad)
{
    const vec_ctx *c = ctx;
    double f = 0;
    for (size_t i = 0; i < c->n; i++) {
        f += c->w[i] * relu(x[i]);
        if (grad)
            grad[i] += c->w[i] * relu_grad(x[i]);
    }
    return f;
}

void lab1_relu_convention(double at_zero, char *buf, size_t size)
{
    snprintf(buf, size, "relu_grad(0) returns %g; gradlab's convention is 0 (relu'(0) does not "
             "exist: any value in [0, 1] is a subgradient, and gradlab picks 0)", at_zero);
}

/* relu_grad(0) read off the analytic entry at x_0 = 0: a_0 = w_0 relu_grad(0). */
static void explain_relu(const gc_problem *p, const double *a, const double *num, char *buf,
                         size_t size)
{
    (void)num;
    const vec_ctx *c = p->ctx;
    for (size_t i = 0; i < c->n; i++)
        if (p->x[i] == 0.0 && a[i] != 0.0) {
            lab1_relu_convention(a[i] / c->w[i], buf, size);
            return;
        }
}

static int setup_relu(gc_problem *p, uint64_t seed)
{
    if (lab1_setup_weighted(p, seed, 8, f_relu, -2, 2, 0.5, 1.5) != 0)
        return -1;
    p->explain = explain_relu;
    p->kink_side = -1;                  /* relu_grad(0) = 0, the left derivative (w > 0) */
    p->x[0] = 0.0;
    p->x[1] = 0.25 + fabs(p->x[1]);     /* one point on each side, whatever the seed: */
    p->x[2] = -0.25 - fabs(p->x[2]);    /* with all 8 below 0 the check would prove nothing */
    return 0;
}

/* f(theta) = CE(y, softmax(theta));  df/dtheta = yhat - y */
static double f_cross_entropy(void *ctx, const double *theta, double *grad)
{
    const vec_ctx *c = ctx;
    return softmax_cross_entropy(theta, c->y, c->n, grad);
}

/* The - y of yhat - y left out: the analytic gradient is the numeric one plus
 * y, entry by entry (the one-hot's 1 at o, or every y_i of a distribution). */
static void explain_ce(const gc_problem *p, const double *a, const double *num, char *buf,
                       size_t size)
{
    const vec_ctx *c = p->ctx;
    size_t checked = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (isnan(num[i]))
            continue;
        if (!(fabs(a[i] - num[i] - c->y[i]) <= 1e-5 * fmax(1.0, fabs(a[i]))))
            return;
        checked++;
    }
    if (checked)
        snprintf(buf, size, "the - y term is missing: analytic - numeric is y itself, entry by "
                 "entry: yhat where yhat - y belongs");
}

static int setup_ce(gc_problem *p, uint64_t seed, double scale, int one_hot)
{
    rng_t r;
    rng_seed(&r, seed);
    if (setup_vec(p, 10, "theta") != 0)
        return -1;
    vec_ctx *c = p->ctx;
    p->f = f_cross_entropy;
    p->explain = explain_ce;
    fill_uniform(&r, p->x, 10, -scale, scale);
    if (one_hot) {
        c->y[rng_index(&r, 10)] = 1.0;
        return 0;
    }
    double z = 0;
    for (size_t i = 0; i < 10; i++)
        z += c->y[i] = rng_uniform(&r) + 1e-3;
    for (size_t i = 0; i < 10; i++)
        c->y[i] /= z;
    return 0;
}

static int setup_ce_one_hot(gc_problem *p, uint64_t seed) { return setup_ce(p, seed, 3, 1); }
static int setup_ce_soft(gc_problem *p, uint64_t seed) { return setup_ce(p, seed, 3, 0); }
static int setup_ce_huge(gc_problem *p, uint64_t seed) { return setup_ce(p, seed, 1e4, 0); }

#include "golden.h"

const gc_check lab1_checks[] = {
    { "sigmoid", LAB_NUMBER,
      "sigma itself: f = sum w_i sigma(x_i), its gradient w_i s(1 - s) worked out here, 12 "
      "points incl. -800, -40, 40, 800", setup_sigmoid_itself, GOLDEN(sigmoid) },
    { "sigmoid_grad", LAB_NUMBER,
      "sigma'(x) = s(1 - s): f = sum w_i sigma(x_i), 12 points in [-6, 6]",
      setup_sigmoid, GOLDEN(sigmoid_grad) },
    { "log_sigmoid", LAB_NUMBER,
      "d log sigma(x)/dx = sigma(-x), 12 points incl. -800, -40, 40, 800",
      setup_log_sigmoid, GOLDEN(log_sigmoid) },
    { "logsumexp", LAB_NUMBER, "d logsumexp(x)/dx = softmax(x), n = 10, x near 1000",
      setup_logsumexp, GOLDEN(logsumexp) },
    { "softmax", LAB_NUMBER, "softmax Jacobian diag(s) - s s^T: f = w . softmax(x), n = 10",
      setup_softmax, GOLDEN(softmax) },
    { "softmax_1e3", LAB_NUMBER, "softmax near x = 1000, where exp overflows unless the max is "
      "subtracted", setup_softmax_large, GOLDEN(softmax_1e3) },
    { "relu", LAB_NUMBER,
      "relu'(x) = [x > 0]: f = sum w_i relu(x_i), 8 points, x_0 = 0 (a kink: relu_grad(0) = 0), "
      "x_1 > 0 > x_2",
      setup_relu, GOLDEN(relu) },
    { "cross_entropy", LAB_NUMBER, "dCE(y, softmax(theta))/dtheta = yhat - y, n = 10, one-hot y",
      setup_ce_one_hot, GOLDEN(cross_entropy) },
    { "cross_entropy_soft", LAB_NUMBER, "dCE/dtheta = yhat - y, n = 10, y a random distribution",
      setup_ce_soft, GOLDEN(cross_entropy_soft) },
    { "cross_entropy_1e4", LAB_NUMBER, "dCE/dtheta = yhat - y, n = 10, logits up to +-1e4",
      setup_ce_huge, GOLDEN(cross_entropy_1e4) },
    { 0 }
};

