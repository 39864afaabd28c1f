/* labs/lab1/teach/slips.c — lab 1's slips: softmax and log-sum-exp without the shift, log sigma,
 * sigma', relu's kink and the cross-entropy gradient. Each slip is a right check made wrong the
 * way students make it wrong (labs/teach/slips.h); instructors only, never shipped. */
#include "slips.h"

#include <math.h>

#include "gradlab.h"
#include "lab1/checks.h"
#include "variants.h"

/* log-sum-exp as written on the board: log sum exp(x_i), no shift. */
static double lse_unshifted(const gc_problem *p, const double *x, double J, const double *g,
                            double *grad)
{
    (void)J, (void)g;
    double z = 0;
    for (size_t i = 0; i < p->n; i++)
        z += exp(x[i]);
    for (size_t i = 0; grad && i < p->n; i++)
        grad[i] += exp(x[i]) / z;
    return log(z);
}

/* softmax as written on the board, in the check f = w . softmax(x): at
 * x near 1000 every exp overflows and inf / inf is NaN. */
static double softmax_unshifted(const gc_problem *p, const double *x, double J, const double *g,
                                double *grad)
{
    (void)J;
    const vec_ctx *c = p->ctx;
    double z = 0, f = 0;
    for (size_t i = 0; i < c->n; i++)
        z += exp(x[i]);
    for (size_t i = 0; i < c->n; i++)
        f += c->w[i] * exp(x[i]) / z;
    slip_add(grad, g, p->n, 1.0);
    return f;
}

/* log sigma(x) computed as log(sigmoid(x)): -inf once sigmoid underflows. */
static double log_of_sigmoid(const gc_problem *p, const double *x, double J, const double *g,
                             double *grad)
{
    (void)J;
    const vec_ctx *c = p->ctx;
    double f = 0;
    for (size_t i = 0; i < c->n; i++)
        f += c->w[i] * log(sigmoid(x[i]));
    slip_add(grad, g, p->n, 1.0);
    return f;
}

/* sigma' written sigma (1 + sigma): the right w s (1 - s) times (1 + s) / (1 - s). */
static double sigma_one_plus(const gc_problem *p, const double *x, double J, const double *g,
                             double *grad)
{
    for (size_t i = 0; grad && i < p->n; i++) {
        double s = sigmoid(x[i]);
        grad[i] += g[i] * (1.0 + s) / (1.0 - s);
    }
    return J;
}

/* sigmoid_grad(s) computing sigma(s)(1 - sigma(s)): sigma applied again to
 * an argument that is s = sigma(x) already. */
static double sigma_twice(const gc_problem *p, const double *x, double J, const double *g,
                          double *grad)
{
    for (size_t i = 0; grad && i < p->n; i++) {
        double s = sigmoid(x[i]), t = sigmoid(s);
        grad[i] += g[i] * (t * (1 - t)) / (s * (1 - s));
    }
    return J;
}

/* relu'(0) taken as 2: outside the one-sided derivatives 0 and w. */
static double relu_kink_two(const gc_problem *p, const double *x, double J, const double *g,
                            double *grad)
{
    const vec_ctx *c = p->ctx;
    slip_add(grad, g, p->n, 1.0);
    for (size_t i = 0; grad && i < p->n; i++)
        if (x[i] == 0.0)
            grad[i] += 2.0 * c->w[i];
    return J;
}

static double ce_sign(const gc_problem *p, const double *x, double J, const double *g, double *grad)
{
    (void)x;
    slip_add(grad, g, p->n, -1.0);
    return J;
}

/* yhat - y with the y dropped: yhat itself. */
static double ce_no_y(const gc_problem *p, const double *x, double J, const double *g, double *grad)
{
    (void)g;
    double yhat[LAB1_N];
    softmax(x, p->n, yhat);
    slip_add(grad, yhat, p->n, 1.0);
    return J;
}

/* The gradient computed into a local array and never added. */
static double ce_nothing(const gc_problem *p, const double *x, double J, const double *g,
                         double *grad)
{
    (void)p, (void)x, (void)g, (void)grad;
    return J;
}

/* softmax_cross_entropy writing grad_theta[i] = yhat_i - y_i (= for +=). */
static double ce_overwrites(const gc_problem *p, const double *x, double J, const double *g,
                            double *grad)
{
    (void)x;
    for (size_t i = 0; grad && i < p->n; i++)
        grad[i] = g[i];
    return J;
}

/* yhat - y with the y dropped, y a distribution: every entry off by its own y_i. */
static double ce_no_y_soft(const gc_problem *p, const double *x, double J, const double *g,
                           double *grad)
{
    (void)x;
    const vec_ctx *c = p->ctx;
    slip_add(grad, g, p->n, 1.0);
    slip_add(grad, c->y, p->n, 1.0);
    return J;
}

/* One set-up per wrapped slip: check CHECK with its loss through APPLY. */
SLIP_WRAPPED(lse_unshifted, "logsumexp")
SLIP_WRAPPED(softmax_unshifted, "softmax_1e3")
SLIP_WRAPPED(log_of_sigmoid, "log_sigmoid")
SLIP_WRAPPED(sigma_one_plus, "sigmoid_grad")
SLIP_WRAPPED(relu_kink_two, "relu")
SLIP_WRAPPED(sigma_twice, "sigmoid_grad")
SLIP_WRAPPED(ce_sign, "cross_entropy")
SLIP_WRAPPED(ce_no_y, "cross_entropy")
SLIP_WRAPPED(ce_nothing, "cross_entropy")
SLIP_WRAPPED(ce_overwrites, "cross_entropy_soft")
SLIP_WRAPPED(ce_no_y_soft, "cross_entropy_soft")

/* One set-up per variant slip: the check compiled with a wrong helper (variants.h). */
SLIP_VARIANT(sigmoid_flipped_grad, lab1_checks_sigmoid_flipped, "sigmoid_grad")
SLIP_VARIANT(sigmoid_flipped_log, lab1_checks_sigmoid_flipped, "log_sigmoid")
SLIP_VARIANT(lse_no_m, lab1_checks_lse_no_m, "logsumexp")
SLIP_VARIANT(relu_grad_one, lab1_checks_relu_grad_one, "relu")

const slip_entry lab1_slips[] = {
    { "softmax_no_shift", "softmax / log-sum-exp without subtracting the max", "logsumexp",
      "the loss at the check point is inf", setup_lse_unshifted },
    { "softmax_unshifted", "softmax as exp(x_i) / sum exp(x_j), no max subtracted", "softmax_1e3",
      "the loss at the check point is NaN", setup_softmax_unshifted },
    { "log_of_sigmoid", "log sigma computed as log(sigmoid(x))", "log_sigmoid",
      "the loss at the check point is -inf", setup_log_of_sigmoid },
    { "sigma_one_plus", "sigma' written as sigma(1 + sigma)", "sigmoid_grad",
      "no simple pattern", setup_sigma_one_plus },
    { "sigma_grad_of_x", "sigmoid_grad(s) returning sigma(s)(1 - sigma(s)): sigma' taken at its "
      "argument, which is s = sigma(x) already", "sigmoid_grad", "applies sigma to its argument "
      "again", setup_sigma_twice },
    { "relu_kink_two", "relu'(0) taken as 2, outside the one-sided derivatives [0, 1]", "relu",
      "relu_grad(0) returns 2; gradlab's convention is 0", setup_relu_kink_two },
    { "ce_y_minus_yhat", "CE gradient written y - yhat", "cross_entropy",
      "the sign is flipped", setup_ce_sign },
    { "ce_dropped_y", "CE gradient written yhat (the - y term dropped)", "cross_entropy",
      "only 1 of 10 entries is wrong", setup_ce_no_y },
    { "ce_nothing_added", "CE gradient computed into a local array, never added", "cross_entropy",
      "zero everywhere", setup_ce_nothing },
    { "ce_overwrites", "CE gradient stored with = instead of += into the caller's buffer",
      "cross_entropy_soft", "it overwrites instead of adding", setup_ce_overwrites },
    { "sigmoid_flipped", "sigmoid(x) written 1 / (1 + exp(x)), sigma(-x), under a right "
      "sigmoid_grad", "sigmoid_grad", "sigmoid itself is wrong", setup_sigmoid_flipped_grad },
    { "sigmoid_flipped_log", "sigmoid(x) written 1 / (1 + exp(x)), seen by log sigma's check "
      "(its gradient is sigma(-x))", "log_sigmoid", "sigmoid itself is wrong",
      setup_sigmoid_flipped_log },
    { "lse_no_plus_m", "logsumexp returning log sum exp(x - m): the + m left out", "logsumexp",
      "leaves out the + m", setup_lse_no_m },
    { "relu_grad_zero_one", "relu_grad(0) returning 1 (relu_grad(x) = [x >= 0])", "relu",
      "relu_grad(0) returns 1; gradlab's convention is 0", setup_relu_grad_one },
    { "ce_dropped_y_soft", "CE gradient written yhat (the - y term dropped), y a distribution",
      "cross_entropy_soft", "the - y term is missing", setup_ce_no_y_soft },
    { 0 }
};
