/* checkmap.c — what each graded check is about (checkmap.h). The calls are
 * the student functions each check's loss reaches in the reference
 * (labs/labN/checks.c and src/): net2's loss calls backward_row, which
 * calls the activation's derivative, and softmax_cross_entropy, which
 * calls logsumexp; a probe's set-up builds a Huffman tree with the
 * student's hs_tree_build. A function reached only on a rare path
 * (hsoftmax's log_sigmoid, for a score far out) is not listed. */
#include "checkmap.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#define CE "softmax_cross_entropy logsumexp"
#define NEG "neg_sampling_loss_and_grad sigmoid log_sigmoid"
#define HS "hsoftmax_loss_and_grad hs_tree_build sigmoid"
#define FLOW_MAP "flow_forward flow_inverse flow_log_abs_det flow_check"
#define FLOW_BLOCKS "x=flow_forward v=flow_forward log|det J|=flow_log_abs_det"
#define RNVP_MAP "realnvp_forward realnvp_inverse realnvp_log_abs_det realnvp_check"
#define RNVP_BLOCKS "x=realnvp_forward v=realnvp_forward log|det J|=realnvp_log_abs_det"
#define RNVP_SECTION "A scale that depends on the data"

const checkmap_entry checkmap[] = {
    { "sigmoid", "sigmoid", "", NULL, "02", "Computing sigma without overflow" },
    { "sigmoid_grad", "sigmoid_grad", "sigmoid", NULL, "02", "Common slips" },
    { "log_sigmoid", "log_sigmoid", "sigmoid", NULL, "02", "log sigma" },
    { "logsumexp", "logsumexp", "softmax", NULL, "01", "log-sum-exp" },
    { "softmax", "softmax", "", NULL, "01", "The softmax Jacobian" },
    { "softmax_1e3", "softmax", "", NULL, "01", "Why it matters: overflow" },
    { "relu", "relu_grad", "relu", NULL, "02", "ReLU and its kink" },
    { "cross_entropy", "softmax_cross_entropy", "logsumexp", NULL, "03", "Common slips" },
    { "cross_entropy_soft", "softmax_cross_entropy", "logsumexp", NULL, "03", "Common slips" },
    { "cross_entropy_1e4", "softmax_cross_entropy", "logsumexp", NULL, "03", "Common slips" },
    { "tanh_grad", "tanh_grad", "", NULL, "09", "Three activations" },
    { "net2", "backward_row", "sigmoid sigmoid_grad " CE, NULL, "04", "Common slips" },
    { "net2_large", "backward_row", "sigmoid sigmoid_grad " CE, NULL, "04", "Common slips" },
    { "net2_tiny", "backward_row", "sigmoid sigmoid_grad " CE, NULL, "04", "Common slips" },
    { "net2_tanh", "backward_row", "tanh_grad " CE, NULL, "04", "Common slips" },
    { "net2_relu", "backward_row", "relu relu_grad " CE, NULL, "04", "Common slips" },
    { "naive_softmax", "naive_softmax_loss_and_grad", "softmax logsumexp", NULL, "05",
      "Common slips" },
    { "neg_sampling", "neg_sampling_loss_and_grad", "sigmoid log_sigmoid", NULL, "06",
      "Common slips" },
    { "neg_sampling_dup", "neg_sampling_loss_and_grad", "sigmoid log_sigmoid", NULL, "06",
      "Common slips" },
    { "neg_sampling_seed1", "neg_sampling_loss_and_grad", "sigmoid log_sigmoid", NULL, "06",
      "Common slips" },
    { "neg_sampling_seed2", "neg_sampling_loss_and_grad", "sigmoid log_sigmoid", NULL, "06",
      "Common slips" },
    { "skipgram_softmax", "skipgram_loss_and_grad", "naive_softmax_loss_and_grad softmax logsumexp",
      NULL, "05", "A window, and CBOW" },
    { "skipgram_neg", "skipgram_loss_and_grad", NEG, NULL, "05", "A window, and CBOW" },
    { "cbow_softmax", "cbow_loss_and_grad", "naive_softmax_loss_and_grad softmax logsumexp",
      NULL, "05", "A window, and CBOW" },
    { "cbow_neg", "cbow_loss_and_grad", NEG, NULL, "05", "A window, and CBOW" },
    { "hs_pair", "hsoftmax_loss_and_grad", "hs_tree_build sigmoid", NULL, "07", "Common slips" },
    { "hs_pair_short", "hsoftmax_loss_and_grad", "hs_tree_build sigmoid", NULL, "07",
      "Common slips" },
    { "hs_probabilities", "hs_tree_build", "hsoftmax_loss_and_grad sigmoid", NULL, "07",
      "The tree" },
    { "skipgram_hs", "skipgram_loss_and_grad", HS, NULL, "05", "A window, and CBOW" },
    { "cbow_hs", "cbow_loss_and_grad", HS, NULL, "05", "A window, and CBOW" },
    { "hs_window", "hsoftmax_window_loss_and_grad", "hs_tree_build sigmoid", NULL, "07",
      "Next: a window shares the top of the tree" },
    { "flow_jacobian", "flow_jacobian", FLOW_MAP, FLOW_BLOCKS, "08",
      "Why the Jacobian is block triangular" },
    { "flow_jacobian_wide", "flow_jacobian", FLOW_MAP, FLOW_BLOCKS, "08",
      "Why the Jacobian is block triangular" },
    { "flow_layer", "flow_backward", "flow_forward flow_check", NULL, "08",
      "The likelihood and its gradients" },
    { "flow_nll", "flow_backward", "flow_forward flow_log_abs_det flow_check", NULL, "08",
      "The likelihood and its gradients" },
    { "realnvp_jacobian", "realnvp_jacobian", RNVP_MAP, RNVP_BLOCKS, "08", RNVP_SECTION },
    { "realnvp_layer", "realnvp_backward", "realnvp_forward realnvp_log_abs_det realnvp_check", NULL,
      "08", RNVP_SECTION },
    { "realnvp_nll", "realnvp_backward", "realnvp_forward realnvp_log_abs_det realnvp_check", NULL,
      "08", RNVP_SECTION },
    { "layernorm", "layernorm_backward", "layernorm_forward", NULL, "10", "The backward pass" },
    { "layernorm_eps", "layernorm_backward", "layernorm_forward", NULL, "10", "The backward pass" },
    { "attention", "attention_backward", "attention_forward", NULL, "10",
      "Scaled dot-product attention" },
    { "attention_sharp", "attention_backward", "attention_forward", NULL, "10",
      "Scaled dot-product attention" },
    { "attention_layer", "attention_backward", "attention_forward", NULL, "10", "The projections" },
    { "attention_model", "attention_backward", "attention_forward layernorm_forward "
      "layernorm_backward " CE, NULL, "10", "What the trainer learns" },
    { 0 }
};

/* The functions that are a block of a check's values rather than a check's
 * own, and the section that treats each. */
static const struct {
    const char *function, *handout, *section;
} block_sections[] = {
    { "flow_log_abs_det", "08", "Why the abs and the log" },
    { "flow_forward", "08", "The layer, with shapes" },
    { "realnvp_log_abs_det", "08", RNVP_SECTION },
    { "realnvp_forward", "08", RNVP_SECTION },
};

const checkmap_entry *checkmap_find(const char *check)
{
    for (const checkmap_entry *e = checkmap; check && e->check; e++)
        if (strcmp(e->check, check) == 0)
            return e;
    return NULL;
}

static size_t ident_len(const char *s)
{
    size_t n = 0;
    while (s[n] && (isalnum((unsigned char)s[n]) || s[n] == '_'))
        n++;
    return n;
}

/* 1 when the space-separated `list` holds the word w[0 .. len). */
static int listed(const char *list, const char *w, size_t len)
{
    for (const char *p = list; p && *p; ) {
        size_t n = strcspn(p, " ");
        if (n == len && strncmp(p, w, len) == 0)
            return 1;
        p += n + (p[n] == ' ');
    }
    return 0;
}

/* The function by_block gives `block` ("log|det J|=flow_log_abs_det"), or NULL. */
static const char *block_function(const checkmap_entry *e, const char *block, size_t *len)
{
    size_t blen = block ? strlen(block) : 0;
    for (const char *p = e->by_block; p && *p && blen; ) {
        const char *eq = strchr(p, '=');
        if (!eq)
            return NULL;
        const char *fn = eq + 1;
        size_t n = strcspn(fn, " ");
        if ((size_t)(eq - p) == blen && strncmp(p, block, blen) == 0)
            return *len = n, fn;
        p = fn + n + (fn[n] == ' ');
    }
    return NULL;
}

void checkmap_function(const char *check, const char *block, char *buf, size_t size)
{
    const checkmap_entry *e = checkmap_find(check);
    size_t len = 0;
    const char *fn = e ? block_function(e, block, &len) : NULL;
    if (fn)
        snprintf(buf, size, "%.*s", (int)len, fn);
    else
        snprintf(buf, size, "%s", e ? e->function : check ? check : "");
}

int checkmap_reaches(const char *check, const char *function)
{
    const checkmap_entry *e = checkmap_find(check);
    size_t len = strlen(function);
    if (!e || strcmp(e->function, function) == 0)
        return 0;
    if (listed(e->calls, function, len))
        return 1;
    for (const char *p = e->by_block; p && (p = strchr(p, '=')) != NULL; p++)
        if (strncmp(p + 1, function, len) == 0 && (p[1 + len] == ' ' || p[1 + len] == '\0'))
            return 1;
    return 0;
}

int checkmap_is_function(const char *word)
{
    size_t len = ident_len(word);
    for (const checkmap_entry *e = checkmap; len && e->check; e++)
        if ((strlen(e->function) == len && strncmp(e->function, word, len) == 0) ||
            listed(e->calls, word, len))
            return 1;
    return 0;
}

const char *checkmap_primary(const char *function)
{
    for (const checkmap_entry *e = checkmap; function && e->check; e++)
        if (strcmp(e->function, function) == 0)
            return e->check;
    return NULL;
}

int checkmap_section_of(const char *function, const char **handout, const char **section)
{
    for (const checkmap_entry *e = checkmap; e->check; e++)
        if (strcmp(e->function, function) == 0)
            return *handout = e->handout, *section = e->section, 0;
    for (size_t i = 0; i < sizeof block_sections / sizeof block_sections[0]; i++)
        if (strcmp(block_sections[i].function, function) == 0)
            return *handout = block_sections[i].handout, *section = block_sections[i].section, 0;
    return -1;
}

/* pandoc's identifier of a heading: letters, digits, _ - . kept (lower
 * case), spaces made hyphens, the rest dropped, then everything before the
 * first letter. */
static void pandoc_id(const char *heading, char *buf, size_t size)
{
    size_t k = 0;
    for (const char *p = heading; *p && k + 1 < size; p++) {
        unsigned char ch = (unsigned char)*p;
        if (isalnum(ch) || ch == '_' || ch == '-' || ch == '.')
            buf[k++] = (char)tolower(ch);
        else if (ch == ' ')
            buf[k++] = '-';
    }
    buf[k] = '\0';
    size_t first = strcspn(buf, "abcdefghijklmnopqrstuvwxyz");
    memmove(buf, buf + first, k - first + 1);
}

/* The Markdown source of handout `number` in dir: its file name into name. */
static int find_handout(const char *dir, const char *number, char *name, size_t size)
{
    DIR *d = opendir(dir);
    struct dirent *ent;
    size_t len = strlen(number);
    int found = -1;
    while (d && found != 0 && (ent = readdir(d)) != NULL) {
        size_t n = strlen(ent->d_name);
        if (strncmp(ent->d_name, number, len) == 0 && ent->d_name[len] == '-' && n > 3 &&
            strcmp(ent->d_name + n - 3, ".md") == 0)
            found = snprintf(name, size, "%s", ent->d_name) < (int)size ? 0 : -1;
    }
    if (d)
        closedir(d);
    return found;
}

int checkmap_anchor(const char *handouts_dir, const char *handout, const char *section,
                    char *buf, size_t size)
{
    char name[256], path[4400], line[512], id[512] = "";
    if (find_handout(handouts_dir, handout, name, sizeof name) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/%s", handouts_dir, name);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t slen = strlen(section);
    while (!id[0] && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (strncmp(line, "## ", 3) == 0 && strncmp(line + 3, section, slen) == 0)
            pandoc_id(line + 3, id, sizeof id);
    }
    fclose(f);
    name[strlen(name) - 3] = '\0';
    snprintf(buf, size, "%s.html%s%s", name, id[0] ? "#" : "", id);
    return 0;
}
