/* test_derivations.c — the formulas handouts 11, 12 and 13 derive, each
 * evaluated here in the handout's own form, written apart from src/: index
 * sums with a Kronecker delta (handout 11), the matrix products the trace
 * trick gives (handout 12), negative sampling through a selection matrix and
 * the corpus objective (handout 13). Each is compared with the src/ module's
 * gradient and with central differences of the module's loss, and a
 * deliberately wrong variant of each (a transposed product, a sum moved
 * inside exp, a delta read as "one case or the other", repeats counted once)
 * must disagree, so these tests fail if a handout's formula were wrong.
 *
 * Shapes are the handouts': word2vec U (V x d, row w is u_w), v_c (d),
 * scores theta = U v_c (V); the 2-layer net row-wise, X (n x Dx), W1 (Dx x H),
 * W2 (H x Dy). */
#include <math.h>
#include <string.h>

#include "gradlab.h"
#include "tests.h"

enum { V = 7, D = 4, O = 3 };           /* word2vec sizes: V != d, so a transpose shows */
enum { N = 6, DX = 4, HID = 3, DY = 5 };  /* the 2-layer net: every size different */

static const double AGREE = 1e-12, AGREE_FD = 1e-7;

static double kdelta(size_t a, size_t b) { return a == b ? 1.0 : 0.0; }

static void fill_normal(rng_t *r, double *x, size_t n, double scale)
{
    for (size_t i = 0; i < n; i++)
        x[i] = scale * rng_normal(r);
}

/* The largest |a - b| over n entries, relative to max(1, max |b|). */
static double max_err(const double *a, const double *b, size_t n)
{
    double worst = 0.0, size = 1.0;
    for (size_t i = 0; i < n; i++) {
        worst = fmax(worst, fabs(a[i] - b[i]));
        size = fmax(size, fabs(b[i]));
    }
    return worst / size;
}

/* A wrong form's error, err: it must disagree, and by the figure the
 * handouts quote for it (within 5%, so that the text cannot drift). */
static void disagrees_by(double err, double quoted)
{
    ck_assert_double_ge(err, 1e-3);
    ck_assert_double_le(fabs(err - quoted), 0.05 * quoted);
}

/* C (n x m) = op(A) op(B), op(A) n x k and op(B) k x m; tA: A is stored
 * k x n and read transposed; tB likewise for B (stored m x k). */
static void matmul(const double *A, int tA, const double *B, int tB, size_t n, size_t k,
                   size_t m, double *C)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < m; j++) {
            double s = 0.0;
            for (size_t l = 0; l < k; l++)
                s += (tA ? A[l * n + i] : A[i * k + l]) * (tB ? B[j * k + l] : B[l * m + j]);
            C[i * m + j] = s;
        }
}

/* softmax of x (n) into p, shifted by the max. */
static void softmax_of(const double *x, size_t n, double *p)
{
    double mx = x[0], z = 0.0;
    for (size_t i = 1; i < n; i++)
        mx = fmax(mx, x[i]);
    for (size_t i = 0; i < n; i++)
        z += p[i] = exp(x[i] - mx);
    for (size_t i = 0; i < n; i++)
        p[i] /= z;
}

static double sigma(double z) { return 1.0 / (1.0 + exp(-z)); }

/* Central differences of f at x (n), x perturbed in place and restored. */
typedef double (*scalar_fn)(const double *x, const void *ctx);
static void central_diff(scalar_fn f, const void *ctx, double *x, size_t n, double *g)
{
    const double h = 1e-5;
    for (size_t i = 0; i < n; i++) {
        double xi = x[i];
        x[i] = xi + h;
        double fp = f(x, ctx);
        x[i] = xi - h;
        double fm = f(x, ctx);
        x[i] = xi;
        g[i] = (fp - fm) / (2 * h);
    }
}

/* ---- word2vec, naive softmax: x = v_c (d) | U (V x d) ---- */

static double naive_loss(const double *x, const void *ctx)
{
    (void)ctx;
    return naive_softmax_loss_and_grad(x, O, x + D, V, D, NULL, NULL);
}

/* Handout 11: theta_w = U_wi v_i, yhat = softmax(theta);
 * dJ/dv_k = (yhat_w - delta_wo) U_wk (summed over w), dJ/dU_ak = (yhat_a - delta_ao) v_k. */
static void naive_index_form(const double *v, const double *U, double *gv, double *gU)
{
    double theta[V], yhat[V];
    for (size_t w = 0; w < V; w++) {
        theta[w] = 0.0;
        for (size_t i = 0; i < D; i++)
            theta[w] += U[w * D + i] * v[i];
    }
    softmax_of(theta, V, yhat);
    for (size_t k = 0; k < D; k++) {
        gv[k] = 0.0;
        for (size_t w = 0; w < V; w++)
            gv[k] += (yhat[w] - kdelta(w, O)) * U[w * D + k];
    }
    for (size_t a = 0; a < V; a++)
        for (size_t k = 0; k < D; k++)
            gU[a * D + k] = (yhat[a] - kdelta(a, O)) * v[k];
}

/* Handout 12: G_theta = yhat - y; dJ/dv_c = U^T G_theta (d x V)(V x 1),
 * dJ/dU = G_theta v_c^T (V x 1)(1 x d); `transposed` writes v_c G_theta^T
 * (d x V) into the V x d buffer instead, the slip. */
static void naive_matrix_form(const double *v, const double *U, double *gv, double *gU,
                              int transposed)
{
    double theta[V], e[V];
    matmul(U, 0, v, 0, V, D, 1, theta);
    softmax_of(theta, V, e);
    e[O] -= 1.0;
    matmul(U, 1, e, 0, D, V, 1, gv);
    if (transposed)
        matmul(v, 0, e, 1, D, 1, V, gU);
    else
        matmul(e, 0, v, 1, V, 1, D, gU);
}

static void naive_setup(double *x)
{
    rng_t r;
    rng_seed(&r, 11);
    fill_normal(&r, x, D + V * D, 0.7);
}

START_TEST(naive_softmax_index_and_matrix_forms_agree_with_the_code)
{
    double x[D + V * D], gv_i[D], gU_i[V * D], gv_m[D], gU_m[V * D], num[D + V * D];
    double gv_c[D] = { 0 }, gU_c[V * D] = { 0 };
    naive_setup(x);
    naive_index_form(x, x + D, gv_i, gU_i);
    naive_matrix_form(x, x + D, gv_m, gU_m, 0);
    naive_softmax_loss_and_grad(x, O, x + D, V, D, gv_c, gU_c);
    central_diff(naive_loss, NULL, x, D + V * D, num);
    ck_assert_double_le(max_err(gv_i, gv_m, D), AGREE);
    ck_assert_double_le(max_err(gU_i, gU_m, V * D), AGREE);
    ck_assert_double_le(max_err(gv_i, gv_c, D), AGREE);
    ck_assert_double_le(max_err(gU_i, gU_c, V * D), AGREE);
    ck_assert_double_le(max_err(gv_i, num, D), AGREE_FD);
    ck_assert_double_le(max_err(gU_i, num + D, V * D), AGREE_FD);
}
END_TEST

/* The slips the handouts name, each evaluated and found to disagree. */
START_TEST(naive_softmax_wrong_forms_disagree)
{
    double x[D + V * D], gv[D], gU[V * D], gv_c[D] = { 0 }, gU_c[V * D] = { 0 };
    naive_setup(x);
    naive_softmax_loss_and_grad(x, O, x + D, V, D, gv_c, gU_c);
    naive_matrix_form(x, x + D, gv, gU, 1);                 /* v_c (yhat - y)^T */
    ck_assert_double_le(max_err(gv, gv_c, D), AGREE);
    disagrees_by(max_err(gU, gU_c, V * D), 1.5);        /* handout 12 */
    /* The sum over w read inside exp: log exp(sum_w theta_w) gives
     * dJ/dv_k = -U_ok + sum_w U_wk, where (yhat_w - delta_wo) U_wk belongs. */
    const double *U = x + D;
    for (size_t k = 0; k < D; k++) {
        gv[k] = -U[O * D + k];
        for (size_t w = 0; w < V; w++)
            gv[k] += U[w * D + k];
    }
    disagrees_by(max_err(gv, gv_c, D), 1.6);             /* handout 11 */
}
END_TEST

/* dyhat_i/dtheta_j = yhat_i (delta_ij - yhat_j): the -yhat_i yhat_j part is
 * there for every pair, i = j included. Read as two exclusive cases (yhat_i
 * on the diagonal, -yhat_i yhat_j off it), dJ/dtheta_o comes out -1 where
 * yhat_o - 1 belongs. Both chained with dJ/dyhat_i = -delta_io / yhat_o. */
START_TEST(softmax_jacobian_delta_is_not_either_or)
{
    double theta[V], yhat[V], right[V], wrong[V], want[V];
    rng_t r;
    rng_seed(&r, 4);
    fill_normal(&r, theta, V, 1.0);
    softmax_of(theta, V, yhat);
    for (size_t j = 0; j < V; j++) {
        right[j] = wrong[j] = 0.0;
        for (size_t i = 0; i < V; i++) {
            double dJ_dyhat = -kdelta(i, O) / yhat[O];
            right[j] += dJ_dyhat * yhat[i] * (kdelta(i, j) - yhat[j]);
            wrong[j] += dJ_dyhat * (i == j ? yhat[i] : -yhat[i] * yhat[j]);
        }
    }
    double y[V] = { 0 };
    y[O] = 1.0;
    ck_assert_double_lt(fabs(softmax_cross_entropy(theta, y, V, NULL) + log(yhat[O])), 1e-14);
    memset(want, 0, sizeof want);
    softmax_cross_entropy(theta, y, V, want);
    ck_assert_double_le(max_err(right, want, V), AGREE);
    disagrees_by(max_err(wrong, want, V), 0.10);         /* handout 11 */
}
END_TEST

/* ---- the 2-layer net (sigmoid units), params packed W1 | b1 | W2 | b2 ---- */

enum { NP = DX * HID + HID + HID * DY + DY };
static const size_t labels[N] = { 0, 4, 2, 3, 1, 4 };   /* every class present */

typedef struct { const double *X; net2_dims dims; } net_ctx;

static double net_loss(const double *params, const void *ctx)
{
    const net_ctx *c = ctx;
    return net2_loss_and_grad(c->dims, params, c->X, labels, N, NULL, NULL);
}

/* The forward pass: Z1 = X W1 + b1 (n x H), Hd = sigma(Z1), E = Yhat - Y
 * (n x Dy) with Yhat = softmax of each row of Hd W2 + b2. */
static void net_forward(const double *p, const double *X, double *Hd, double *E)
{
    const double *W1 = p, *b1 = p + DX * HID, *W2 = b1 + HID, *b2 = W2 + HID * DY;
    for (size_t r = 0; r < N; r++) {
        double z2[DY];
        for (size_t b = 0; b < HID; b++) {
            double z = b1[b];
            for (size_t a = 0; a < DX; a++)
                z += X[r * DX + a] * W1[a * HID + b];
            Hd[r * HID + b] = sigma(z);
        }
        for (size_t k = 0; k < DY; k++) {
            z2[k] = b2[k];
            for (size_t b = 0; b < HID; b++)
                z2[k] += Hd[r * HID + b] * W2[b * DY + k];
        }
        softmax_of(z2, DY, E + r * DY);
        E[r * DY + labels[r]] -= 1.0;
    }
}

/* Handout 11: dJ/dW1_pq = E_rk W2_qk sigma'(Z1_rq) X_rp, summed over r and k. */
static void net_index_form(const double *p, const double *X, double *gW1)
{
    double Hd[N * HID], E[N * DY];
    const double *W2 = p + DX * HID + HID;
    net_forward(p, X, Hd, E);
    for (size_t q = 0; q < HID; q++)
        for (size_t pp = 0; pp < DX; pp++) {
            double s = 0.0;
            for (size_t r = 0; r < N; r++)
                for (size_t k = 0; k < DY; k++)
                    s += E[r * DY + k] * W2[q * DY + k] * Hd[r * HID + q] *
                         (1 - Hd[r * HID + q]) * X[r * DX + pp];
            gW1[pp * HID + q] = s;
        }
}

/* Handout 12: Delta1 = (E W2^T) .* Hd .* (1 - Hd) (n x H), dJ/dW1 = X^T Delta1
 * (Dx x n)(n x H); `transposed` writes Delta1^T X (H x Dx) instead, the slip. */
static void net_matrix_form(const double *p, const double *X, double *gW1, int transposed)
{
    double Hd[N * HID], E[N * DY], Delta1[N * HID];
    const double *W2 = p + DX * HID + HID;
    net_forward(p, X, Hd, E);
    matmul(E, 0, W2, 1, N, DY, HID, Delta1);
    for (size_t i = 0; i < N * HID; i++)
        Delta1[i] *= Hd[i] * (1 - Hd[i]);
    if (transposed)
        matmul(Delta1, 1, X, 0, HID, N, DX, gW1);
    else
        matmul(X, 1, Delta1, 0, DX, N, HID, gW1);
}

static void net_setup(double *params, double *X)
{
    rng_t r;
    rng_seed(&r, 23);
    fill_normal(&r, params, NP, 0.8);
    fill_normal(&r, X, N * DX, 1.0);
}

START_TEST(net2_dW1_index_and_matrix_forms_agree_with_the_code)
{
    double p[NP], X[N * DX], g_i[DX * HID], g_m[DX * HID], g_bad[DX * HID], num[NP];
    double g_c[NP] = { 0 };
    net_setup(p, X);
    net_ctx ctx = { X, { DX, HID, DY, ACT_SIGMOID } };
    net_index_form(p, X, g_i);
    net_matrix_form(p, X, g_m, 0);
    net_matrix_form(p, X, g_bad, 1);
    net2_loss_and_grad(ctx.dims, p, X, labels, N, g_c, NULL);   /* W1 is the first block */
    central_diff(net_loss, &ctx, p, NP, num);
    ck_assert_double_le(max_err(g_i, g_m, DX * HID), AGREE);
    ck_assert_double_le(max_err(g_i, g_c, DX * HID), AGREE);
    ck_assert_double_le(max_err(g_i, num, DX * HID), AGREE_FD);
    disagrees_by(max_err(g_bad, g_c, DX * HID), 0.50);   /* handouts 11, 12 */
}
END_TEST

/* Handout 13: W1 = 0, W2 = 0 and b2 = log of the class frequencies make every
 * gradient zero (every row sees the same yhat, the frequencies, so the rows'
 * yhat - y add up to 0), at any b1. It is a saddle, not a minimum: with
 * sigma(b1) B = 0 the first change of J along (eps A, eps B) is
 * eps^2 sum_r E_r . ((sigma'(b1) .* x_r A) B), which flips sign with B. */
START_TEST(net2_stationary_point_is_a_saddle)
{
    double p[NP] = { 0 }, X[N * DX], g[NP] = { 0 }, gX[N * DX] = { 0 }, scratch[NP];
    net_setup(scratch, X);
    double *b1 = p + DX * HID, *W2 = b1 + HID, *b2 = W2 + HID * DY;
    for (size_t b = 0; b < HID; b++)
        b1[b] = 0.3 * (double)b - 0.4;
    for (size_t k = 0; k < DY; k++) {
        double count = 0;
        for (size_t r = 0; r < N; r++)
            count += labels[r] == k;
        b2[k] = log(count / N);
    }
    net2_dims dims = { DX, HID, DY, ACT_SIGMOID };
    double J0 = net2_loss_and_grad(dims, p, X, labels, N, g, gX);
    for (size_t i = 0; i < NP; i++)
        ck_assert_double_lt(fabs(g[i]), 1e-12);
    for (size_t i = 0; i < N * DX; i++)
        ck_assert_double_eq(gX[i], 0.0);
    /* A and B: W1 = eps A random; W2 = eps B with sigma(b1) B = 0 (B's
     * columns orthogonal to sigma(b1): the first two hidden units cancel). */
    double best = INFINITY;
    for (int sign = -1; sign <= 1; sign += 2) {
        double q[NP];
        memcpy(q, p, sizeof q);
        const double eps = 1e-2;
        for (size_t i = 0; i < DX * HID; i++)
            q[i] = eps * scratch[i];
        for (size_t k = 0; k < DY; k++) {
            double w = sign * eps * scratch[DX * HID + k];
            q[DX * HID + HID + 0 * DY + k] = w * sigma(b1[1]);
            q[DX * HID + HID + 1 * DY + k] = -w * sigma(b1[0]);
        }
        best = fmin(best, net2_loss_and_grad(dims, q, X, labels, N, NULL, NULL));
    }
    ck_assert_double_lt(best, J0 - 1e-9);
}
END_TEST

/* ---- negative sampling in matrix form ---- */

enum { KN = 4 };
static const size_t negs[KN] = { 5, 1, 5, 0 };    /* word 5 drawn twice */

static double neg_loss(const double *x, const void *ctx)
{
    (void)ctx;
    return neg_sampling_loss_and_grad(x, O, x + D, D, negs, KN, NULL, NULL);
}

/* Handout 13: S ((K+1) x V) selects rows o, n_1 .. n_K of U (S_kw = delta_{w,i_k});
 * P = diag(1, -1, .., -1); Us = P S U ((K+1) x d); s = Us v_c (K+1);
 * J = -sum_k log sigma(s_k); dJ/dv_c = Us^T (sigma(s) - 1) (d);
 * dJ/dU = S^T P (sigma(s) - 1) v_c^T (V x d): S^T adds a repeated row once per
 * draw. `once` assigns each row instead (repeats counted once), the slip. */
static double neg_matrix_form(const double *v, const double *U, double *gv, double *gU,
                              int once)
{
    enum { R = KN + 1 };
    size_t ids[R] = { O };
    memcpy(ids + 1, negs, sizeof negs);
    double S[R * V] = { 0 }, PS[R * V], Us[R * D], s[R], g[R], G[R * D];
    for (size_t k = 0; k < R; k++)
        for (size_t w = 0; w < V; w++) {
            S[k * V + w] = kdelta(w, ids[k]);
            PS[k * V + w] = (k == 0 ? 1.0 : -1.0) * S[k * V + w];
        }
    matmul(PS, 0, U, 0, R, V, D, Us);
    matmul(Us, 0, v, 0, R, D, 1, s);
    double J = 0.0;
    for (size_t k = 0; k < R; k++) {
        J -= log(sigma(s[k]));
        g[k] = sigma(s[k]) - 1.0;
    }
    matmul(Us, 1, g, 0, D, R, 1, gv);
    matmul(g, 0, v, 1, R, 1, D, G);                          /* dJ/dUs */
    if (!once) {
        matmul(PS, 1, G, 0, V, R, D, gU);
        return J;
    }
    memset(gU, 0, V * D * sizeof *gU);
    for (size_t k = 0; k < R; k++)
        for (size_t i = 0; i < D; i++)
            gU[ids[k] * D + i] = (k == 0 ? 1.0 : -1.0) * G[k * D + i];
    return J;
}

START_TEST(neg_sampling_matrix_form_agrees_with_the_code)
{
    double x[D + V * D], gv[D], gU[V * D], gU_once[V * D], num[D + V * D];
    double gv_c[D] = { 0 }, gU_c[V * D] = { 0 };
    naive_setup(x);
    double J = neg_matrix_form(x, x + D, gv, gU, 0);
    neg_matrix_form(x, x + D, gv, gU_once, 1);
    double Jc = neg_sampling_loss_and_grad(x, O, x + D, D, negs, KN, gv_c, gU_c);
    central_diff(neg_loss, NULL, x, D + V * D, num);
    ck_assert_double_lt(fabs(J - Jc), 1e-12 * fmax(1.0, Jc));
    ck_assert_double_le(max_err(gv, gv_c, D), AGREE);
    ck_assert_double_le(max_err(gU, gU_c, V * D), AGREE);
    ck_assert_double_le(max_err(gv, num, D), AGREE_FD);
    ck_assert_double_le(max_err(gU, num + D, V * D), AGREE_FD);
    disagrees_by(max_err(gU_once, gU_c, V * D), 0.42);  /* handout 13 */
}
END_TEST

/* Handout 13: the naive-softmax loss has no stationary point. Along
 * U = t e_o v_c^T (only u_o grows, along v_c) J falls at every step, stays
 * above 0, and the gradient never vanishes: yhat = y needs infinite scores.
 * The score u_o . v_c = t |v_c|^2 is taken up to 20 (J about 6 e^-20): near
 * 37 the loss, log(1 + 6 e^-s), is below one rounding of s itself. */
START_TEST(naive_softmax_gradient_never_vanishes)
{
    double x[D + V * D];
    naive_setup(x);
    double *v = x, *U = x + D, last = INFINITY, vv = 0.0;
    for (size_t i = 0; i < D; i++)
        vv += v[i] * v[i];
    for (int step = 0; step <= 40; step++) {
        double t = 0.5 * step / vv, gv[D] = { 0 }, gU[V * D] = { 0 }, norm = 0.0;
        memset(U, 0, V * D * sizeof *U);
        for (size_t i = 0; i < D; i++)
            U[O * D + i] = t * v[i];
        double J = naive_softmax_loss_and_grad(v, O, U, V, D, gv, gU);
        for (size_t i = 0; i < V * D; i++)
            norm += gU[i] * gU[i];
        ck_assert_double_gt(J, 0.0);
        ck_assert_double_lt(J, last);
        ck_assert_double_gt(norm, 0.0);
        last = J;
    }
}
END_TEST

/* ---- the corpus objective ---- */

enum { T = 9, M = 2 };
static const size_t corpus_ids[T] = { 1, 4, 0, 4, 6, 2, 1, 3, 4 };

/* Handout 13: J = -(1/T) sum_t sum_{1 <= |j| <= m, 0 <= t + j < T}
 * log P(w_{t+j} | w_t), P the naive softmax of x = Vc (V x d) | U (V x d),
 * written pair by pair apart from src/. */
static double corpus_objective(const double *x, const void *ctx)
{
    (void)ctx;
    const double *Vc = x, *U = x + V * D;
    double J = 0.0;
    for (size_t t = 0; t < T; t++)
        for (size_t j = (t >= M ? t - M : 0); j <= t + M && j < T; j++) {
            if (j == t)
                continue;
            double theta[V], p[V];
            matmul(U, 0, Vc + corpus_ids[t] * D, 0, V, D, 1, theta);
            softmax_of(theta, V, p);
            J -= log(p[corpus_ids[j]]);
        }
    return J / T;
}

/* The trainer's step on window t follows the gradient of the t-th term of
 * the sum: (1/T) times the windows' summed gradients is the objective's. */
START_TEST(corpus_objective_is_the_mean_of_the_windows)
{
    double x[2 * V * D], num[2 * V * D], g[2 * V * D] = { 0 };
    rng_t r;
    rng_seed(&r, 31);
    fill_normal(&r, x, 2 * V * D, 0.6);
    w2v_loss L = { .kind = W2V_SOFTMAX };
    double J = 0.0;
    for (size_t t = 0; t < T; t++) {
        size_t outside[2 * M], m = 0;
        for (size_t j = (t >= M ? t - M : 0); j <= t + M && j < T; j++)
            if (j != t)
                outside[m++] = corpus_ids[j];
        J += skipgram_loss_and_grad(&L, corpus_ids[t], outside, m, x, x + V * D, V, D, g,
                                    g + V * D);
    }
    for (size_t i = 0; i < 2 * V * D; i++)
        g[i] /= T;
    central_diff(corpus_objective, NULL, x, 2 * V * D, num);
    ck_assert_double_lt(fabs(J / T - corpus_objective(x, NULL)), 1e-12);
    ck_assert_double_le(max_err(g, num, 2 * V * D), AGREE_FD);
}
END_TEST

Suite *suite_derivations(void)
{
    Suite *s = suite_create("derivations");
    TCase *t = tcase_create("core");
    tcase_add_test(t, naive_softmax_index_and_matrix_forms_agree_with_the_code);
    tcase_add_test(t, naive_softmax_wrong_forms_disagree);
    tcase_add_test(t, softmax_jacobian_delta_is_not_either_or);
    tcase_add_test(t, net2_dW1_index_and_matrix_forms_agree_with_the_code);
    tcase_add_test(t, net2_stationary_point_is_a_saddle);
    tcase_add_test(t, neg_sampling_matrix_form_agrees_with_the_code);
    tcase_add_test(t, naive_softmax_gradient_never_vanishes);
    tcase_add_test(t, corpus_objective_is_the_mean_of_the_windows);
    suite_add_tcase(s, t);
    return s;
}
