/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <cmocka.h>
#include "corpus.h"

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t corpus_each_file(const char *dir,
                        void (*fn)(uint8_t *b, size_t n, size_t index, const char *path, void *ctx),
                        void *ctx)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            names = realloc(names, cap * sizeof(*names));
            assert_non_null(names);
        }
        names[n] = strdup(e->d_name);
        assert_non_null(names[n]);
        n++;
    }
    closedir(d);
    assert_true(n > 0);
    qsort(names, n, sizeof(*names), cmp);
    static uint8_t buf[CORPUS_MAX_FILE];
    for (size_t i = 0; i < n; i++) {
        char path[512];
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        FILE *fp = fopen(path, "rb");
        assert_non_null(fp);
        size_t len = fread(buf, 1, sizeof(buf), fp);
        fclose(fp);
        fn(buf, len, i, path, ctx);
        free(names[i]);
    }
    free(names);
    return n;
}

static void check_one(uint8_t *b, size_t n, size_t index, const char *path, void *ctx)
{
    (void)index;
    corpus_run_fn *run = ctx;
    char msg[256];
    int bad = (*run)(b, n, msg, sizeof(msg));
    if (bad)
        fail_msg("%s: %d invariant violation(s), first: %s", path, bad, msg);
}

size_t corpus_check_each(const char *dir, corpus_run_fn run)
{
    return corpus_each_file(dir, check_one, &run);
}
