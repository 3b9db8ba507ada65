/* One main() per cmocka test file.
 *
 *   TEST_MAIN(test_a, test_b, test_c)
 *   TEST_MAIN_FX(setup, teardown, test_a, test_b)   -- each test gets the fixture
 *
 * list each test once: the names cmocka prints come from the stringized
 * argument list, split at its commas by tm_run(). A file whose tests need
 * different fixtures or initial states writes its CMUnitTest array by hand. */
#ifndef SMMUV3_TEST_MAIN_H
#define SMMUV3_TEST_MAIN_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

typedef void (*tm_test_fn)(void **state);

/* Runs fns[0..n) as one cmocka group named after `file`; `names` is the
 * comma-separated list of their names. Returns cmocka's count of failures. */
int tm_run(const char *file, const char *names, tm_test_fn const *fns, size_t n,
           CMFixtureFunction setup, CMFixtureFunction teardown);

#define TEST_MAIN_FX(setup, teardown, ...)                                                     \
    int main(void)                                                                             \
    {                                                                                          \
        static tm_test_fn const tm_fns[] = { __VA_ARGS__ };                                    \
        return tm_run(__FILE__, #__VA_ARGS__, tm_fns, sizeof(tm_fns) / sizeof(tm_fns[0]),      \
                      setup, teardown);                                                        \
    }

#define TEST_MAIN(...) TEST_MAIN_FX(NULL, NULL, __VA_ARGS__)

#endif
