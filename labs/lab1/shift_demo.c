/* shift_demo.c — lab 1: softmax(x + c) = softmax(x), and why the code shifts.
 *
 * Prints the textbook softmax exp(x_i) / sum_j exp(x_j) next to the stable one
 * (src/softmax.c) for x = (1, 2, 3) + c: the textbook formula overflows to
 * Inf/NaN or underflows to 0/0 once |c| passes about 709, the stable one
 * gives the same three numbers for every c. Then it measures the largest
 * change of the stable softmax over many shifts. */
#include <math.h>
#include <stdio.h>

#include "args.h"
#include "gradlab.h"

/* The formula as written on the board: no shift, so exp can overflow. */
static void naive_softmax(const double *x, size_t n, double *out)
{
    double z = 0;
    for (size_t i = 0; i < n; i++)
        z += exp(x[i]);
    for (size_t i = 0; i < n; i++)
        out[i] = exp(x[i]) / z;
}

static void show(double c)
{
    double x[3] = { 1 + c, 2 + c, 3 + c }, a[3], b[3];
    naive_softmax(x, 3, a);
    softmax(x, 3, b);
    printf("  %8g | %10.6g %10.6g %10.6g | %.6f %.6f %.6f\n", c, a[0], a[1], a[2], b[0], b[1], b[2]);
}

/* Largest |softmax(x + c) - softmax(x)| over c = +-10^k, k = -3 .. 5, and a
 * seeded spread of random shifts. */
static double worst_shift_change(void)
{
    double x[5] = { -1.5, 0.25, 2.0, 3.5, 0.0 }, ref[5], y[5], s[5], worst = 0;
    rng_t r;
    rng_seed(&r, 42);
    softmax(x, 5, ref);
    for (int k = 0; k < 200; k++) {
        double c = k < 18 ? (k % 2 ? -1 : 1) * pow(10.0, k / 2 - 3) : rng_range(&r, -1e4, 1e4);
        for (int i = 0; i < 5; i++)
            y[i] = x[i] + c;
        softmax(y, 5, s);
        for (int i = 0; i < 5; i++)
            worst = fmax(worst, fabs(s[i] - ref[i]));
    }
    return worst;
}

int main(int argc, char **argv)
{
    arg_none("lab1_shift", argc, argv, "usage: lab1_shift\n"
             "Prints softmax(x + c) by the textbook formula and by src/softmax.c for several c.\n");
    printf("lab 1: softmax(x + c) = softmax(x), x = (1, 2, 3)\n\n");
    printf("  %8s | %-32s | %s\n", "c", "textbook exp(x)/sum exp(x)", "stable softmax (src/softmax.c)");
    const double shifts[] = { 0, 100, 700, 710, 1000, -750, 1e4, -1e4 };
    for (size_t i = 0; i < sizeof shifts / sizeof shifts[0]; i++)
        show(shifts[i]);
    printf("\n  largest change of the stable softmax over 200 shifts |c| <= 1e4: %.2e\n",
           worst_shift_change());
    printf("  (a shift moves x by c, and rounding x + c alone costs up to |c| * 1.1e-16)\n\n");
    return GL_EXIT_DONE;
}
