/* tm_run: the body of TEST_MAIN (test_main.h). */
#include "test_main.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The next name of a comma-separated list, spaces trimmed, copied into a new
 * string; *p moves past it. */
static char *next_name(const char **p)
{
    const char *s = *p;
    while (*s == ' ' || *s == '\t' || *s == '\n')
        s++;
    const char *e = strchr(s, ',');
    if (!e)
        e = s + strlen(s);
    *p = *e ? e + 1 : e;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n'))
        e--;
    size_t len = (size_t)(e - s);
    char *name = malloc(len + 1);
    if (!name)
        return NULL;
    memcpy(name, s, len);
    name[len] = '\0';
    return name;
}

int tm_run(const char *file, const char *names, tm_test_fn const *fns, size_t n,
           CMFixtureFunction setup, CMFixtureFunction teardown)
{
    struct CMUnitTest *tests = calloc(n, sizeof(*tests));
    const char *slash = strrchr(file, '/');
    const char *group = slash ? slash + 1 : file;
    if (!tests) {
        fprintf(stderr, "%s: out of memory\n", group);
        return 1;
    }
    const char *p = names;
    int rc = 1;
    size_t made = 0;
    for (; made < n; made++) {
        char *name = next_name(&p);
        if (!name || !*name) {
            free(name);
            fprintf(stderr, "%s: test %zu has no name in \"%s\"\n", group, made, names);
            goto out;
        }
        tests[made].name = name;
        tests[made].test_func = fns[made];
        tests[made].setup_func = setup;
        tests[made].teardown_func = teardown;
    }
    rc = _cmocka_run_group_tests(group, tests, n, NULL, NULL);
out:
    for (size_t i = 0; i < made; i++)
        free((char *)tests[i].name);
    free(tests);
    return rc;
}
