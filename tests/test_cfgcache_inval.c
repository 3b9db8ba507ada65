/* Unit tests: the configuration cache's invalidation is exact (src/model/config/cfgcache.c).
 * Every CFGI form (IHI 0070 4.3: CFGI_STE, CFGI_STE_RANGE, CFGI_CD, CFGI_CD_ALL) removes
 * exactly the entries of its scope in the Security state it is issued for (3.10.2: SSEC
 * streams are a separate StreamID namespace), and keeps every other entry, its contents and
 * the replacement order: checked against a reference model (a list in LRU order) over random
 * programs of inserts, lookups and commands, with capacities that force evictions. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include "model/smmu.h"
#include "smmu_new.h"
#include "cfgfx.h"
#include "test_main.h"

typedef struct rkey {
    bool secure, ssv;
    uint32_t sid, ssid;
    int id;                      /* the verdict stored with it: tells entries apart */
} rkey;

/* The reference: present keys, least recently used first. */
typedef struct ref {
    rkey k[512];
    unsigned n, cap;
} ref;

static bool same(const rkey *a, const rkey *b)
{
    return a->secure == b->secure && a->ssv == b->ssv && a->sid == b->sid && a->ssid == b->ssid;
}

static int ref_find(const ref *r, const rkey *k)
{
    for (unsigned i = 0; i < r->n; i++)
        if (same(&r->k[i], k))
            return (int)i;
    return -1;
}

static void ref_remove(ref *r, unsigned i)
{
    memmove(&r->k[i], &r->k[i + 1], (r->n - i - 1) * sizeof(r->k[0]));
    r->n--;
}

/* A use: to the most recent end. */
static void ref_use(ref *r, unsigned i)
{
    rkey k = r->k[i];
    ref_remove(r, i);
    r->k[r->n++] = k;
}

static void ref_put(ref *r, const rkey *k)
{
    int i = ref_find(r, k);
    if (i >= 0) {
        r->k[i].id = k->id;
        ref_use(r, (unsigned)i);
        return;
    }
    if (r->n == r->cap)
        ref_remove(r, 0);
    r->k[r->n++] = *k;
}

/* What a command removes, written from 4.3 independently of the cache. */
static bool in_scope(const uint64_t cmd[2], bool secure, const rkey *k)
{
    if (k->secure != secure)
        return false;
    switch (fget(cmd, F_CMD_CFGI_STE_opcode)) {
    case SMMUV3_CMD_CFGI_STE:
        return k->sid == fget(cmd, F_CMD_CFGI_STE_sid);
    case SMMUV3_CMD_CFGI_STE_RANGE: {
        unsigned range = (unsigned)fget(cmd, F_CMD_CFGI_STE_RANGE_range);
        if (range == 31)
            return true;
        uint64_t span = 1ull << (range + 1);
        return k->sid / span == fget(cmd, F_CMD_CFGI_STE_RANGE_sid) / span;
    }
    case SMMUV3_CMD_CFGI_CD: {
        uint32_t ssid = (uint32_t)fget(cmd, F_CMD_CFGI_CD_ssid);
        if (k->sid != fget(cmd, F_CMD_CFGI_CD_sid))
            return false;
        return k->ssv ? k->ssid == ssid : ssid == 0;   /* SSID 0 also names the no-SSV entry */
    }
    case SMMUV3_CMD_CFGI_CD_ALL:
        return k->sid == fget(cmd, F_CMD_CFGI_CD_ALL_sid);
    default:
        return false;
    }
}

static uint64_t rng(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* A key from a small universe (collisions between commands and entries are the point). */
static rkey rand_key(uint64_t *x, bool with_secure)
{
    rkey k;
    memset(&k, 0, sizeof(k));
    k.secure = with_secure && (rng(x) & 1);
    k.sid = (uint32_t)(rng(x) % 24);
    if (rng(x) % 8 == 0)
        k.sid |= 0xFFFF0000u;          /* far StreamIDs: the top of the space */
    k.ssv = rng(x) & 1;
    k.ssid = k.ssv ? (uint32_t)(rng(x) % 5) : 0;
    return k;
}

static void rand_cmd(uint64_t *x, uint64_t cmd[2])
{
    static const unsigned ops[] = { SMMUV3_CMD_CFGI_STE, SMMUV3_CMD_CFGI_STE_RANGE, SMMUV3_CMD_CFGI_CD,
                                    SMMUV3_CMD_CFGI_CD_ALL };
    unsigned op = ops[rng(x) % 4];
    uint32_t sid = (uint32_t)(rng(x) % 24);
    if (rng(x) % 8 == 0)
        sid |= 0xFFFF0000u;
    cmd[0] = cmd[1] = 0;
    fset(cmd, F_CMD_CFGI_STE_opcode, op);
    switch (op) {
    case SMMUV3_CMD_CFGI_STE:
        fset(cmd, F_CMD_CFGI_STE_sid, sid);
        fset(cmd, F_CMD_CFGI_STE_leaf, rng(x) & 1);
        break;
    case SMMUV3_CMD_CFGI_STE_RANGE: {
        static const unsigned ranges[] = { 0, 1, 2, 3, 4, 15, 31 };
        fset(cmd, F_CMD_CFGI_STE_RANGE_sid, sid);
        fset(cmd, F_CMD_CFGI_STE_RANGE_range, ranges[rng(x) % 7]);
        break;
    }
    case SMMUV3_CMD_CFGI_CD:
        fset(cmd, F_CMD_CFGI_CD_sid, sid);
        fset(cmd, F_CMD_CFGI_CD_ssid, rng(x) % 5);
        fset(cmd, F_CMD_CFGI_CD_leaf, rng(x) & 1);
        break;
    default:
        fset(cmd, F_CMD_CFGI_CD_ALL_sid, sid);
        break;
    }
}

/* Every key of the universe: present in the cache exactly when in the reference, with its id.
 * Lookups are uses: the reference takes them too, in the same order. */
static void check_all(smmuv3 *s, ref *r, bool with_secure)
{
    static const uint32_t hi[] = { 0, 0xFFFF0000u };
    for (unsigned sec = 0; sec <= (with_secure ? 1u : 0u); sec++)
        for (unsigned h = 0; h < 2; h++)
            for (uint32_t sid = 0; sid < 24; sid++)
                for (int ssid = -1; ssid < 5; ssid++) {
                    rkey k = { .secure = sec, .ssv = ssid >= 0, .sid = sid | hi[h],
                               .ssid = ssid >= 0 ? (uint32_t)ssid : 0 };
                    smmu_txcfg cfg;
                    int verdict = -1;
                    bool got = smmu_cfgcache_get_sec(s, k.secure, k.sid, k.ssv, k.ssid, &cfg, &verdict);
                    int i = ref_find(r, &k);
                    if (i < 0) {
                        assert_false(got);
                        continue;
                    }
                    assert_true(got);
                    assert_int_equal(verdict, r->k[i].id);
                    assert_int_equal(cfg.ste.s2.vmid, r->k[i].id & 0xffff);
                    ref_use(r, (unsigned)i);
                }
}

/* An instance of the default profile with a configuration cache of `cap` entries. */
static smmuv3 *instance(unsigned cap, smmuv3_mem **mem)
{
    smmuv3_config c = CFGFX(CF(cfg_entries, cap));
    smmuv3_host host;
    return tst_smmu_on_mem(&c, mem, &host);
}

static void run(unsigned cap, bool with_secure, uint64_t seed, unsigned steps)
{
    smmuv3_mem *mem;
    smmuv3 *s = instance(cap, &mem);
    ref r = { .n = 0, .cap = cap };
    uint64_t x = seed;
    int next_id = 1;
    for (unsigned step = 0; step < steps; step++) {
        unsigned what = (unsigned)(rng(&x) % 16);
        if (what < 10) {
            rkey k = rand_key(&x, with_secure);
            k.id = next_id++;
            smmu_txcfg cfg;
            memset(&cfg, 0, sizeof(cfg));
            cfg.ste.s2.vmid = (uint16_t)(k.id & 0xffff);
            smmu_cfgcache_put_sec(s, k.secure, k.sid, k.ssv, k.ssid, &cfg, k.id);
            ref_put(&r, &k);
        } else if (what < 15) {
            uint64_t cmd[2];
            bool secure = with_secure && (rng(&x) & 1);
            rand_cmd(&x, cmd);
            smmuv3_stats before, after;
            smmuv3_get_stats(s, &before);
            unsigned removed = 0;
            for (unsigned i = r.n; i-- > 0;)
                if (in_scope(cmd, secure, &r.k[i])) {
                    ref_remove(&r, i);
                    removed++;
                }
            smmu_cfgcache_command_sec(s, (unsigned)fget(cmd, F_CMD_CFGI_STE_opcode), cmd, secure);
            smmuv3_get_stats(s, &after);
            assert_int_equal(after.cfg_invalidated - before.cfg_invalidated, removed);
        } else {
            check_all(s, &r, with_secure);
        }
    }
    check_all(s, &r, with_secure);
    /* and a flush empties it, whatever it held */
    smmu_cfgcache_flush(s);
    r.n = 0;
    check_all(s, &r, with_secure);
    smmuv3_free(s);
    smmuv3_mem_free(mem);
}

/* One of each form on a hand-made set, the removed entries named. */
static void test_each_form(void **state)
{
    (void)state;
    smmuv3_mem *mem;
    smmuv3 *s = instance(256, &mem);
    /* SIDs 4..7, each: no SSV, SSID 0, SSID 1; Secure and Non-secure */
    struct { uint64_t cmd_sid, cmd_ssid; unsigned op, range; bool secure; uint32_t gone[6]; } cases[] = {
        { 5, 0, SMMUV3_CMD_CFGI_STE, 0, false, { 0x500, 0x510, 0x511 } },
        { 5, 0, SMMUV3_CMD_CFGI_STE, 0, true, { 0x1500, 0x1510, 0x1511 } },
        { 5, 0, SMMUV3_CMD_CFGI_CD_ALL, 0, false, { 0x500, 0x510, 0x511 } },
        { 6, 1, SMMUV3_CMD_CFGI_CD, 0, false, { 0x611 } },
        { 6, 0, SMMUV3_CMD_CFGI_CD, 0, true, { 0x1600, 0x1610 } },
        { 5, 0, SMMUV3_CMD_CFGI_STE_RANGE, 0, false, { 0x400, 0x410, 0x411, 0x500, 0x510, 0x511 } },
    };
    for (unsigned t = 0; t < sizeof(cases) / sizeof(cases[0]); t++) {
        smmu_cfgcache_flush(s);
        smmu_txcfg cfg;
        memset(&cfg, 0, sizeof(cfg));
        for (unsigned sec = 0; sec < 2; sec++)
            for (uint32_t sid = 4; sid < 8; sid++)
                for (int k = 0; k < 3; k++)   /* no SSV, SSID 0, SSID 1 */
                    smmu_cfgcache_put_sec(s, sec, sid, k > 0, k > 0 ? (uint32_t)k - 1 : 0, &cfg, 0);
        uint64_t cmd[2] = { 0, 0 };
        fset(cmd, F_CMD_CFGI_STE_opcode, cases[t].op);
        if (cases[t].op == SMMUV3_CMD_CFGI_CD) {
            fset(cmd, F_CMD_CFGI_CD_sid, cases[t].cmd_sid);
            fset(cmd, F_CMD_CFGI_CD_ssid, cases[t].cmd_ssid);
        } else if (cases[t].op == SMMUV3_CMD_CFGI_STE_RANGE) {
            fset(cmd, F_CMD_CFGI_STE_RANGE_sid, cases[t].cmd_sid);
            fset(cmd, F_CMD_CFGI_STE_RANGE_range, cases[t].range);
        } else {
            fset(cmd, F_CMD_CFGI_STE_sid, cases[t].cmd_sid);
        }
        smmu_cfgcache_command_sec(s, cases[t].op, cmd, cases[t].secure);
        for (unsigned sec = 0; sec < 2; sec++)
            for (uint32_t sid = 4; sid < 8; sid++)
                for (uint32_t k = 0; k < 3; k++) {
                    uint32_t name = sec << 12 | sid << 8 | (k > 0) << 4 | (k > 0 ? k - 1 : 0);
                    bool gone = false;
                    for (unsigned g = 0; g < 6; g++)
                        gone = gone || (cases[t].gone[g] && cases[t].gone[g] == name);
                    smmu_txcfg out;
                    int v;
                    bool got = smmu_cfgcache_get_sec(s, sec, sid, k > 0, k > 0 ? k - 1 : 0, &out, &v);
                    if (got == gone)
                        fail_msg("case %u: entry 0x%x %s", t, name, gone ? "kept" : "removed");
                }
    }
    smmuv3_free(s);
    smmuv3_mem_free(mem);
}

static void test_random_ns(void **state)
{
    (void)state;
    run(512, false, 0x1234567ull, 4000);   /* never full */
    run(16, false, 0x7654321ull, 4000);    /* evictions */
}

static void test_random_secure(void **state)
{
    (void)state;
    run(512, true, 0xabcdefull, 4000);
    run(7, true, 0xfedcbaull, 4000);
    run(1, true, 0x31337ull, 2000);
}

TEST_MAIN(test_each_form, test_random_ns, test_random_secure)
