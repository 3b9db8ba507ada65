/* SPDX-License-Identifier: MIT */
/* Table-driven tests: one loop over a static array of cases, each with a
 * `what` string that is printed before the case runs, so that a failing
 * assertion's output says which case it was in.
 *
 *   static const my_case cases[] = { { "name", ... }, ... };
 *   FOR_EACH_CASE(my_case, k, cases) {
 *       ... k->what, k->field ...
 *   }
 */
#ifndef TESTS_CASES_H
#define TESTS_CASES_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#define CASES_N(table) (sizeof(table) / sizeof((table)[0]))

#define FOR_EACH_CASE(type, k, table)                                                              \
    for (const type *k = (table); k < (table) + CASES_N(table) && (print_message("case: %s\n", k->what), 1); k++)

#endif
