/* test_labs.c — the labs are data: the registry holds each folder's table in
 * lab order, every check is in its folder's lab, check and slip names are
 * unique, every slip changes a check of its own lab, every lab's grading
 * table loads (and grades only its own lab's checks), and the golden losses
 * compiled from each lab's golden.h are the reference's (a changed one is
 * caught). */
#include <stdio.h>
#include <string.h>

#include "goldens.h"
#include "registry.h"
#include "slips.h"
#include "table.h"
#include "tests.h"

/* Table t of the registry: lab lab_number(t)'s checks. */
static const gc_check *table_of(size_t t) { return gc_program_checks.tables[t]; }

START_TEST(every_check_is_in_its_folders_lab)
{
    ck_assert_uint_eq(gc_program_checks.ntables, lab_count());
    ck_assert_uint_gt(lab_count(), 0);
    size_t seen = 0;
    for (size_t t = 0; t < lab_count(); t++) {
        if (t > 0)
            ck_assert_int_gt(lab_number(t), lab_number(t - 1));
        ck_assert_msg(table_of(t)[0].name, "lab %d has no checks", lab_number(t));
        for (const gc_check *c = table_of(t); c->name; c++, seen++)
            ck_assert_msg(c->group == lab_number(t), "%s, in labs/lab%d/checks.c, claims lab %d",
                          c->name, lab_number(t), c->group);
    }
    ck_assert_uint_eq(seen, lab_check_count());
    ck_assert_int_eq(lab_number(lab_count()), 0);
}
END_TEST

START_TEST(check_and_slip_names_are_unique)
{
    for (size_t i = 0; i < lab_check_count(); i++)
        ck_assert_msg(lab_find(lab_check_at(i)->name) == lab_check_at(i), "two checks named %s",
                      lab_check_at(i)->name);
    ck_assert_uint_gt(slip_count(), 0);
    for (size_t i = 0; i < slip_count(); i++)
        ck_assert_msg(slip_find(slip_at(i, NULL)->name) == slip_at(i, NULL), "two slips named %s",
                      slip_at(i, NULL)->name);
}
END_TEST

START_TEST(every_slip_changes_a_check_of_its_own_lab)
{
    for (size_t i = 0; i < slip_count(); i++) {
        int lab = 0;
        const slip_entry *s = slip_at(i, &lab);
        const gc_check *c = lab_find(s->check);
        ck_assert_msg(c != NULL, "slip %s changes no check (%s)", s->name, s->check);
        ck_assert_msg(c->group == lab, "slip %s, in labs/lab%d/teach/slips.c, changes %s of lab %d",
                      s->name, lab, s->check, c->group);
    }
    ck_assert_ptr_null(slip_at(slip_count(), NULL));
}
END_TEST

/* Each lab's table, labs/labN/teach/table.txt, when it has one (run from the
 * top of the tree, as make check does). */
START_TEST(every_lab_table_loads)
{
    size_t tables = 0;
    for (size_t t = 0; t < lab_count(); t++) {
        char path[64], err[512];
        snprintf(path, sizeof path, "labs/lab%d/teach/table.txt", lab_number(t));
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        fclose(f);
        test_list list = { 0 };
        ck_assert_msg(table_load(path, &list, err, sizeof err) == 0, "%s", err);
        for (size_t i = 0; i < list.count; i++)
            ck_assert_int_eq(list.tests[i].check->group, lab_number(t));
        table_free(&list);
        tables++;
    }
    ck_assert_uint_gt(tables, 0);
}
END_TEST

START_TEST(golden_losses_are_the_references)
{
    size_t checked = 0;
    char why[400];
    for (size_t i = 0; i < lab_check_count(); i++) {
        const gc_check *c = lab_check_at(i);
        ck_assert_msg(golden_verify(c, why, sizeof why) == 0, "%s", why);
        checked += c->ngolden > 0;
    }
    ck_assert_uint_gt(checked, 0);
    /* a golden loss off in its 10th digit is caught, and named */
    const gc_check *c = lab_find("cross_entropy");
    ck_assert_ptr_nonnull(c);
    ck_assert_uint_eq(c->ngolden, 3);
    double off[3] = { c->golden[0], c->golden[1] * (1 + 1e-10), c->golden[2] };
    gc_check changed = *c;
    changed.golden = off;
    ck_assert_int_eq(golden_verify(&changed, why, sizeof why), -1);
    ck_assert_msg(strstr(why, "cross_entropy: golden input 2: golden.h has"), "%s", why);
    /* a map check has no loss, so it cannot have golden losses */
    gc_check map = *lab_find("flow_jacobian");
    map.golden = off, map.ngolden = 3;
    ck_assert_int_eq(golden_verify(&map, why, sizeof why), -1);
    ck_assert_msg(strstr(why, "NO_GOLDEN"), "%s", why);
}
END_TEST

Suite *suite_labs(void)
{
    Suite *s = suite_create("labs");
    TCase *t = tcase_create("data");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, every_check_is_in_its_folders_lab);
    tcase_add_test(t, check_and_slip_names_are_unique);
    tcase_add_test(t, every_slip_changes_a_check_of_its_own_lab);
    tcase_add_test(t, every_lab_table_loads);
    tcase_add_test(t, golden_losses_are_the_references);
    suite_add_tcase(s, t);
    return s;
}
