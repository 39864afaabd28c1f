#!/bin/sh
# submissions.sh — writes the test class for the grader's end-to-end test:
#   sh tests/grade/submissions.sh STRIP OUT
# Each submission is the reference src/*.c with one thing broken, made by
# renaming the right function (a #define on top) and appending a wrong one
# that calls it. STRIP is the built stripper (for the all-stubs submission).
set -eu
strip=$1
out=$2
rm -rf "$out"
mkdir -p "$out"
editable=$(grep -l 'BEGIN SOLUTION' src/*.c)

full() {
    mkdir -p "$out/$1/src"
    for f in $editable; do cp "$f" "$out/$1/$f"; done
}

# break NAME FILE FUNCTION 'C text': FUNCTION becomes FUNCTION_right and
# the C text (which defines FUNCTION again) is appended.
break_one() {
    full "$1"
    f="$out/$1/src/$2"
    { echo "#define $3 $3_right"; cat "src/$2"; echo "#undef $3"; printf '%s\n' "$4"; } > "$f"
}

full correct

mkdir -p "$out/stub/src"
for f in $editable; do "$strip" "$f" "$f" "$out/stub/$f"; done

break_one wrong_sign cross_entropy.c softmax_cross_entropy '
#include <stdlib.h>
double softmax_cross_entropy(const double *theta, const double *y, size_t n, double *grad_theta)
{
    double *g = calloc(n, sizeof *g);
    double J = softmax_cross_entropy_right(theta, y, n, grad_theta ? g : NULL);
    for (size_t i = 0; grad_theta && i < n; i++)
        grad_theta[i] -= g[i];                  /* y - yhat: the sign slip */
    free(g);
    return J;
}'

break_one wrong_factor sigmoid.c sigmoid_grad '
double sigmoid_grad(double s) { return 2.0 * sigmoid_grad_right(s); }'

break_one self_consistent word2vec.c naive_softmax_loss_and_grad '
#include <stdlib.h>
double naive_softmax_loss_and_grad(const double *v_c, size_t o, const double *U, size_t V,
                                   size_t d, double *grad_v_c, double *grad_U)
{
    double *gv = calloc(d, sizeof *gv), *gU = calloc(V * d, sizeof *gU);
    double J = naive_softmax_loss_and_grad_right(v_c, o, U, V, d, gv, gU);
    for (size_t i = 0; grad_v_c && i < d; i++)
        grad_v_c[i] += 2.0 * gv[i];
    for (size_t i = 0; grad_U && i < V * d; i++)
        grad_U[i] += 2.0 * gU[i];
    free(gv), free(gU);
    return 2.0 * J;                             /* twice the loss, and its gradient */
}'

break_one crash softmax.c softmax '
void softmax(const double *x, size_t n, double *out)
{
    volatile double *nowhere = 0;
    *nowhere = x[0];
    softmax_right(x, n, out);
}'

break_one loop relu.c relu '
double relu(double x)
{
    for (volatile int i = 0; ; i++)
        ;
    return relu_right(x);
}'

full no_compile
echo 'this line is not C;' >> "$out/no_compile/src/net2.c"

break_one garbage sigmoid.c sigmoid '
#include <stdio.h>
static int calls;
double sigmoid(double x)
{
    if (calls++ < 200)
        printf("debug \"x\" = %g \\ \001\377\n", x);
    if (calls < 200)
        fprintf(stderr, "{\"score\": 100}\t\b\n");
    return sigmoid_right(x);
}'

break_one nan sigmoid.c log_sigmoid '
#include <math.h>
double log_sigmoid(double x) { return x == x ? NAN : log_sigmoid_right(x); }'

break_one exit0 hsoftmax.c hsoftmax_loss_and_grad '
#include <stdlib.h>
double hsoftmax_loss_and_grad(const double *v_c, hs_path path, const double *Theta, size_t d,
                              double *grad_v_c, double *grad_Theta)
{
    if (d > 0)
        exit(0);
    return hsoftmax_loss_and_grad_right(v_c, path, Theta, d, grad_v_c, grad_Theta);
}'

break_one abort word2vec.c cbow_loss_and_grad '
#include <stdlib.h>
double cbow_loss_and_grad(const w2v_loss *L, size_t c, const size_t *context, size_t m,
                          const double *Vc, const double *U, size_t V, size_t d,
                          double *grad_Vc, double *grad_U)
{
    if (m > 0)
        abort();
    return cbow_loss_and_grad_right(L, c, context, m, Vc, U, V, d, grad_Vc, grad_U);
}'

break_one huge_alloc flow.c flow_jacobian '
#include <stdlib.h>
#include <string.h>
int flow_jacobian(flow_dims d, const double *params, const double *z, const double *u, double *J)
{
    size_t huge = (size_t)1 << 36;              /* 64 GiB */
    volatile char *scratch = malloc(huge);
    scratch[0] = 1, scratch[huge - 1] = 1;      /* volatile: the allocation stays */
    int rc = flow_jacobian_right(d, params, z, u, J);
    free((char *)scratch);
    return rc;
}'

# A whole student tree, packed; a flat upload of two files; a broken archive.
full tarball
mkdir -p "$out/tarball.d/gradlab-student"
mv "$out/tarball/src" "$out/tarball.d/gradlab-student/src"
rmdir "$out/tarball"
tar czf "$out/tarball.tar.gz" -C "$out/tarball.d" gradlab-student
rm -rf "$out/tarball.d"

mkdir -p "$out/partial"
cp src/sigmoid.c src/softmax.c "$out/partial/"

printf 'not a gzip archive\n' > "$out/bad_archive.tar.gz"
