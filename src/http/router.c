/* router.c — route registry and matching.
 *
 * Route tables register from constructors (ZX_ROUTES) before main, in link order, so the registry is
 * a lazily grown list of (table, count) pairs and nothing is assumed about allocation order. On the
 * first match the list is compiled once (pthread_once): every pattern is split into segments,
 * grouped by segment count and sorted so that literal segments win over ":param" segments at the
 * first position where two patterns differ ("/cases/export" before "/cases/:id"). Matching a request
 * then splits its path in place (no allocation) and compares against the routes of the same length
 * only; only matched parameter values are copied (decoded) into the request pool. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "core/log.h"
#include "http/http_internal.h"

struct seg {
    const char *s;   /* literal text or parameter name (after ':'), not NUL-terminated */
    uint16_t len;
    bool param;
};

struct croute {
    const struct zx_route *rt;
    int index;                   /* registration order, = metrics slot */
    int nseg;
    unsigned key;                /* param positions, leftmost most significant: lower = more specific */
    size_t mlen;
    struct seg segs[ZX_MAX_SEGS];
};

/* Registration list (constructors). */
static struct { const struct zx_route *tbl; size_t n; } *g_reg;
static size_t g_nreg, g_capreg;
static bool g_compiled;

/* Compiled table. */
static struct croute *g_routes;     /* registration order */
static int g_nroutes;
static struct croute **g_bylen[ZX_MAX_SEGS + 1]; /* per segment count, sorted by specificity */
static int g_nbylen[ZX_MAX_SEGS + 1];
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

void zx_routes_add(const struct zx_route *routes, size_t n)
{
    if (g_compiled) zx_die("zx_routes_add after the router was compiled");
    if (g_nreg == g_capreg) {
        g_capreg = g_capreg ? g_capreg * 2 : 32;
        g_reg = realloc(g_reg, g_capreg * sizeof *g_reg);
        if (!g_reg) zx_die("out of memory (routes)");
    }
    g_reg[g_nreg].tbl = routes;
    g_reg[g_nreg].n = n;
    g_nreg++;
}

/* Split a pattern into segments; false if it is malformed (too many segments, empty segment). */
static bool split_pattern(struct croute *c, const char *p)
{
    c->nseg = 0;
    c->key = 0;
    if (p[0] != '/') return false;
    if (p[1] == 0) return true; /* "/" */
    const char *s = p + 1;
    for (;;) {
        const char *e = strchr(s, '/');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (len == 0 || c->nseg == ZX_MAX_SEGS) return false;
        struct seg *g = &c->segs[c->nseg];
        g->param = s[0] == ':';
        g->s = g->param ? s + 1 : s;
        g->len = (uint16_t)(g->param ? len - 1 : len);
        if (g->param) c->key |= 1u << (ZX_MAX_SEGS - 1 - c->nseg);
        c->nseg++;
        if (!e) break;
        s = e + 1;
    }
    return true;
}

static int cmp_specificity(const void *a, const void *b)
{
    const struct croute *x = *(const struct croute *const *)a, *y = *(const struct croute *const *)b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return x->index - y->index; /* stable */
}

static void compile(void)
{
    size_t total = 0;
    for (size_t i = 0; i < g_nreg; i++) total += g_reg[i].n;
    g_routes = calloc(total ? total : 1, sizeof *g_routes);
    if (!g_routes) zx_die("out of memory (routes)");
    for (size_t i = 0; i < g_nreg; i++) {
        for (size_t j = 0; j < g_reg[i].n; j++) {
            const struct zx_route *rt = &g_reg[i].tbl[j];
            struct croute *c = &g_routes[g_nroutes];
            if (!rt->method || !rt->pattern || !rt->fn || !split_pattern(c, rt->pattern))
                zx_die("bad route %s %s", rt->method ? rt->method : "?", rt->pattern ? rt->pattern : "?");
            for (int k = 0; k < g_nroutes; k++)
                if (!strcmp(g_routes[k].rt->pattern, rt->pattern) && !strcmp(g_routes[k].rt->method, rt->method))
                    zx_die("duplicate route %s %s", rt->method, rt->pattern);
            c->rt = rt;
            c->index = g_nroutes;
            c->mlen = strlen(rt->method);
            g_nbylen[c->nseg]++;
            g_nroutes++;
        }
    }
    for (int n = 0; n <= ZX_MAX_SEGS; n++) {
        if (!g_nbylen[n]) continue;
        g_bylen[n] = calloc((size_t)g_nbylen[n], sizeof(struct croute *));
        if (!g_bylen[n]) zx_die("out of memory (routes)");
        int k = 0;
        for (int i = 0; i < g_nroutes; i++)
            if (g_routes[i].nseg == n) g_bylen[n][k++] = &g_routes[i];
        qsort(g_bylen[n], (size_t)k, sizeof(struct croute *), cmp_specificity);
    }
    g_compiled = true;
}

static void ensure_compiled(void) { pthread_once(&g_once, compile); }

int zx_router_count(void)
{
    ensure_compiled();
    return g_nroutes;
}

const struct zx_route *zx_router_at(int i)
{
    ensure_compiled();
    return i >= 0 && i < g_nroutes ? g_routes[i].rt : NULL;
}

static bool allow_has(const char *allow, const char *m, size_t mlen)
{
    for (const char *p = allow; (p = strstr(p, m)) != NULL; p += mlen)
        if ((p == allow || p[-1] == ' ') && (p[mlen] == ',' || p[mlen] == 0)) return true;
    return false;
}

static void allow_add(char *allow, size_t cap, const char *m, size_t mlen)
{
    if (!cap || allow_has(allow, m, mlen)) return;
    size_t n = strlen(allow);
    if (n + mlen + 3 > cap) return;
    if (n) { allow[n++] = ','; allow[n++] = ' '; }
    memcpy(allow + n, m, mlen);
    allow[n + mlen] = 0;
}

enum zx_match zx_router_match(zx_req *r, const char *method, size_t mlen, const char *path,
                              size_t plen, int *route_index, char *allow, size_t allowlen)
{
    struct { const char *s; size_t len; } segs[ZX_MAX_SEGS];
    int nseg = 0;

    ensure_compiled();
    if (allowlen) allow[0] = 0;
    if (plen == 0 || path[0] != '/') return ZX_MATCH_BAD_PATH;
    /* "/a/b/" is "/a/b"; "/" has no segments. */
    size_t end = plen;
    if (end > 1 && path[end - 1] == '/') end--;
    for (size_t i = 1; i < end;) {
        size_t j = i;
        while (j < end && path[j] != '/') j++;
        if (j == i || nseg == ZX_MAX_SEGS) return ZX_MATCH_NOT_FOUND; /* "//" or too deep */
        segs[nseg].s = path + i;
        segs[nseg].len = j - i;
        nseg++;
        i = j + 1;
    }

    bool path_known = false;
    int n = g_nbylen[nseg];
    struct croute **cand = g_bylen[nseg];
    for (int k = 0; k < n; k++) {
        const struct croute *c = cand[k];
        int i;
        for (i = 0; i < nseg; i++) {
            const struct seg *g = &c->segs[i];
            if (g->param) continue;
            if (g->len != segs[i].len || memcmp(g->s, segs[i].s, g->len) != 0) break;
        }
        if (i < nseg) continue;
        if (c->mlen != mlen || memcmp(c->rt->method, method, mlen) != 0) {
            path_known = true;
            allow_add(allow, allowlen, c->rt->method, c->mlen);
            continue;
        }
        /* Match: copy decoded parameters into the request pool. */
        r->route = c->rt;
        r->nparams = 0;
        for (i = 0; i < nseg; i++) {
            const struct seg *g = &c->segs[i];
            if (!g->param) continue;
            if (r->nparams == (int)(sizeof r->param_name / sizeof r->param_name[0])) break;
            char *name = zx_alloc(r, (size_t)g->len + 1u + segs[i].len + 1u);
            memcpy(name, g->s, g->len);
            name[g->len] = 0;
            char *val = name + g->len + 1;
            if (zx_pct_decode(val, segs[i].s, segs[i].len, false) < 0) return ZX_MATCH_BAD_PATH;
            r->param_name[r->nparams] = name;
            r->param_val[r->nparams] = val;
            r->nparams++;
        }
        *route_index = c->index;
        return ZX_MATCH_OK;
    }
    return path_known ? ZX_MATCH_BAD_METHOD : ZX_MATCH_NOT_FOUND;
}
