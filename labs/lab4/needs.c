/* labs/lab4/needs.c — see needs.h. */
#include "needs.h"

#include "gradlab.h"

void need_hs_tree_build(void)
{
    hs_tree t;
    if (hs_tree_build(&t, (uint64_t[]){ 3, 2, 1 }, 3) == 0)
        hs_tree_free(&t);
}

/* A path of two nodes over a 2 x 2 Theta, d = 2. */
void need_hsoftmax(void)
{
    const double v_c[2] = { 0.2, -0.1 }, Theta[4] = { 0.1, -0.2, 0.3, 0.1 };
    double gv[2] = { 0 }, gT[4] = { 0 };
    hs_path path = { (size_t[]){ 1, 0 }, (uint8_t[]){ 0, 1 }, 2 };
    hsoftmax_loss_and_grad(v_c, path, Theta, 2, gv, gT);
}

/* A window of two pairs whose paths share their root, over a 2 x 2 Theta. */
void need_hs_window(void)
{
    const double v_c[2] = { 0.2, -0.1 }, Theta[4] = { 0.1, -0.2, 0.3, 0.1 };
    double gv[2] = { 0 }, gT[4] = { 0 };
    hs_path paths[2] = { { (size_t[]){ 1, 0 }, (uint8_t[]){ 0, 1 }, 2 },
                         { (size_t[]){ 1 }, (uint8_t[]){ 1 }, 1 } };
    hsoftmax_window_loss_and_grad(v_c, paths, 2, Theta, 2, gv, gT);
}
