/* run.c — runs one of gradlab's programs for the tests, by the environment
 * variable that names its binary (make check sets them). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests.h"

int run_program(const char *env, const char *args, const char *out_path, char *err,
                size_t errsize)
{
    const char *bin = getenv(env);
    ck_assert_msg(bin != NULL, "set %s to the program (make check does)", env);
    char cmd[2048], ef[64];
    snprintf(ef, sizeof ef, "/tmp/gl_run_err.%d", (int)getpid());
    snprintf(cmd, sizeof cmd, "%s %s >%s 2>%s", bin, args, out_path ? out_path : "/dev/null", ef);
    int st = system(cmd);
    FILE *f = fopen(ef, "r");
    size_t n = f ? fread(err, 1, errsize - 1, f) : 0;
    err[n] = 0;
    if (f)
        fclose(f);
    remove(ef);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

void temp_dir(const char *tag, char *dir, size_t size)
{
    snprintf(dir, size, "/tmp/gl_%s.%d", tag, (int)getpid());
    ck_assert_msg(mkdir(dir, 0777) == 0 || access(dir, W_OK) == 0, "cannot make %s", dir);
}

void remove_dir(const char *dir)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}
