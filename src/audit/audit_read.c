/* audit_read.c — one audit record per request that returned full personal data (issue 10 item 7,
 * PIPL art 51/56, 等保 L3-CES1-12 "reads of sensitive data").
 *
 * Routes that return full ID numbers (credit entries and decisions, work lists, the partner change
 * feed and export) carry ZX_R_PII_READ. After such a handler answered 2xx, the http layer calls
 * zx_audit_read_reply(): it reads the JSON reply once and writes ONE record "pii.read" naming the
 * route, its path parameters and query, how many items were returned and their ids (the first 200,
 * plus the first and last id of the page) — never one record per ID, so a 20,000-row export page
 * costs one audit write. The record is written in its own transaction after the handler; if it
 * cannot be written the reply is replaced by 503 (fail closed: no unaudited read). */
#include "audit/audit.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define READ_IDS_MAX 200

static json_t *id_of(json_t *item)
{
    if (!json_is_object(item)) return NULL;
    json_t *id = json_object_get(item, "id");
    if (!id) id = json_object_get(item, "entry_id");
    if (!id) id = json_object_get(item, "seq");
    return json_is_string(id) || json_is_integer(id) ? id : NULL;
}

/* The first array directly under the reply object (items, entries, changes …), or NULL. */
static json_t *first_array(json_t *root, const char **name)
{
    const char *k;
    json_t *v;
    json_object_foreach(root, k, v)
    {
        if (json_is_array(v)) {
            *name = k;
            return v;
        }
    }
    return NULL;
}

int zx_audit_read_reply(zx_req *r, const char *object_type, const char *body, size_t len)
{
    json_t *root = body && len ? json_loadb(body, len, JSON_DECODE_ANY, NULL) : NULL;
    json_t *d = json_object();
    json_object_set_new(d, "route", json_sprintf("%s %s", r->method, r->route ? r->route->pattern : r->path));
    if (r->nparams) {
        json_t *p = json_object();
        for (int i = 0; i < r->nparams; i++) json_object_set_new(p, r->param_name[i], json_string(r->param_val[i]));
        json_object_set_new(d, "params", p);
    }
    if (r->query && *r->query) json_object_set_new(d, "query", json_stringn(r->query, strnlen(r->query, 512)));
    int64_t returned = 0;
    if (json_is_object(root)) {
        const char *name = NULL;
        json_t *arr = first_array(root, &name), *ids = json_array();
        if (arr) {
            returned = (int64_t)json_array_size(arr);
            json_object_set_new(d, "list", json_string(name));
            size_t i;
            json_t *it;
            json_array_foreach(arr, i, it)
            {
                json_t *id = id_of(it);
                if (id && i < READ_IDS_MAX) json_array_append(ids, id);
            }
            if (returned > 0) {
                json_t *f = id_of(json_array_get(arr, 0)), *l = id_of(json_array_get(arr, (size_t)returned - 1));
                if (f) json_object_set(d, "first_id", f);
                if (l) json_object_set(d, "last_id", l);
            }
            if (returned > READ_IDS_MAX) json_object_set_new(d, "ids_truncated", json_true());
        } else if (id_of(root)) {
            returned = 1;
            json_array_append(ids, id_of(root));
        }
        json_object_set_new(d, "ids", ids);
    }
    json_object_set_new(d, "returned", json_integer(returned));
    char *txt = json_dumps(d, JSON_COMPACT);
    json_decref(d);
    json_decref(root);
    int rc = txt ? zx_audit_req_tx(r, "pii.read", object_type, 0, "ok", txt) : -1;
    free(txt);
    return rc;
}
