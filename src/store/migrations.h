/* migrations.h — the embedded migration table generated from src/store/migrations/NNN_name.sql. */
#ifndef ZX_MIGRATIONS_H
#define ZX_MIGRATIONS_H
struct migration {
    int version;
    const char *name;
    const char *sql;
};
extern const struct migration zx_migrations[]; /* terminated by version 0 */
#endif
