/* ncs: the host command for ncScript (lib/ncs).
 *   ncs run [OPTION]... FILE [OPTION]...   options: --max-steps N, --max-alloc BYTES,
 *                       --deadline-ms N, --max-depth N, --allow CAP[=SCOPE] (repeatable);
 *                       before the file (as Deno and Lua users type them) or after it
 *   ncs check FILE      parse, resolve modules and compile only
 *   ncs                 REPL (read-eval-print loop on stdin)
 * Exit status: 0 ok, 1 compile error, 2 runtime error, 3 limit hit, 4 capability
 * denied, 64 usage error. Script output goes to stdout, then "=> VALUE" when main
 * returns a non-unit value; errors go to stderr. Modules: `use a::b;` loads
 * DIR/a.ncs (DIR: the main script's directory, for the REPL the current one;
 * a::b::c loads DIR/a/b.ncs).
 * --allow fs.read=/dir (also fs.write, fs.list) installs a real file handler for
 * that scope; other capabilities have no host handler here. */
#define _POSIX_C_SOURCE 200809L
#include "repl.h"
#include <nc/ncs.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

enum { EXIT_USAGE = 64, MAX_ALLOWS = 32, MAX_SOURCES = 256 };

static void *host_alloc(void *ud, void *p, size_t old, size_t n)
{
	(void)ud;
	(void)old;
	if (n == 0) {
		free(p);
		return NULL;
	}
	return realloc(p, n);
}

static uint64_t host_clock(void *ud)
{
	struct timespec ts;
	(void)ud;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (n < cap)
			break;
		char *nb = realloc(buf, cap *= 2);
		if (!nb) {
			free(buf);
			buf = NULL;
		}
		buf = nb;
	}
	fclose(f);
	if (buf) {
		buf[n < cap ? n : cap - 1] = 0;
		*len = n;
	}
	return buf;
}

/* ---------- module loader: DIR/a/b.ncs for a::b ---------- */

typedef struct {
	char dir[1024];
	char *srcs[MAX_SOURCES];
	char *names[MAX_SOURCES];
	size_t lens[MAX_SOURCES];
	int n;
} loader_t;

static bool load_module(void *ud, const char *module, const char **src, size_t *src_len, const char **file)
{
	loader_t *l = ud;
	char path[2048];
	size_t o = (size_t)snprintf(path, sizeof path, "%s/", l->dir);
	for (const char *p = module; *p && o + 8 < sizeof path; p++) {
		if (p[0] == ':' && p[1] == ':') {
			path[o++] = '/';
			p++;
		} else {
			path[o++] = *p;
		}
	}
	snprintf(path + o, sizeof path - o, ".ncs");
	for (int i = 0; i < l->n; i++) /* loaded before (the REPL reloads on every input) */
		if (l->names[i] && !strcmp(l->names[i], path)) {
			*src = l->srcs[i];
			*src_len = l->lens[i];
			*file = l->names[i];
			return true;
		}
	if (l->n == MAX_SOURCES)
		return false;
	char *text = read_file(path, src_len);
	if (!text)
		return false;
	l->srcs[l->n] = text;
	l->lens[l->n] = *src_len;
	l->names[l->n] = strdup(path);
	*src = text;
	*file = l->names[l->n++];
	return true;
}

static void loader_free(loader_t *l)
{
	for (int i = 0; i < l->n; i++) {
		free(l->srcs[i]);
		free(l->names[i]);
	}
	l->n = 0;
}

/* ---------- real fs handlers ---------- */

static nc_ncs_err_t fs_handler(void *ud, nc_ncs_effect_t fx, const nc_ncs_str_t *args, size_t n_args,
			       nc_ncs_reply_t *reply, const char **message)
{
	static char msg[256];
	char path[4200];
	(void)ud;
	(void)n_args;
	snprintf(path, sizeof path, "%.*s", (int)args[0].len_bytes, args[0].ptr);
	if (fx == NC_NCS_FX_FS_READ) {
		size_t len;
		char *text = read_file(path, &len);
		if (!text) {
			snprintf(msg, sizeof msg, "%.200s: %s", path, strerror(errno));
			*message = msg;
			return NC_NCS_ERR_EFFECT;
		}
		nc_ncs_err_t e = nc_ncs_reply_text(reply, text, len);
		free(text);
		return e;
	}
	if (fx == NC_NCS_FX_FS_WRITE || fx == NC_NCS_FX_FS_APPEND) {
		FILE *f = fopen(path, fx == NC_NCS_FX_FS_WRITE ? "wb" : "ab");
		if (!f || fwrite(args[1].ptr, 1, args[1].len_bytes, f) != args[1].len_bytes || fclose(f) != 0) {
			snprintf(msg, sizeof msg, "%.200s: %s", path, strerror(errno));
			*message = msg;
			return NC_NCS_ERR_EFFECT;
		}
		return NC_NCS_OK;
	}
	if (fx == NC_NCS_FX_FS_REMOVE || fx == NC_NCS_FX_FS_MKDIR) {
		if ((fx == NC_NCS_FX_FS_REMOVE ? remove(path) : mkdir(path, 0755)) != 0) {
			snprintf(msg, sizeof msg, "%.200s: %s", path, strerror(errno));
			*message = msg;
			return NC_NCS_ERR_EFFECT;
		}
		return NC_NCS_OK;
	}
	DIR *d = opendir(path);
	if (!d) {
		snprintf(msg, sizeof msg, "%.200s: %s", path, strerror(errno));
		*message = msg;
		return NC_NCS_ERR_EFFECT;
	}
	/* sorted for deterministic output */
	char **names = NULL;
	size_t count = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char **nn = realloc(names, (count + 1) * sizeof *nn);
		if (!nn)
			break;
		names = nn;
		names[count++] = strdup(e->d_name);
	}
	closedir(d);
	for (size_t i = 1; i < count; i++)
		for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char *t = names[j];
			names[j] = names[j - 1];
			names[j - 1] = t;
		}
	nc_ncs_err_t err = NC_NCS_OK;
	for (size_t i = 0; i < count; i++) {
		if (!err && names[i])
			err = nc_ncs_reply_text(reply, names[i], strlen(names[i]));
		free(names[i]);
	}
	free(names);
	return err;
}

/* ---------- options ---------- */

typedef struct {
	nc_ncs_config_t cfg;
	nc_ncs_handler_t handlers[MAX_ALLOWS];
	loader_t loader;
} host_t;

static int usage(void)
{
	fprintf(stderr, "usage: ncs run [OPTION]... FILE [OPTION]...\n"
			"         options: --max-steps N, --max-alloc BYTES, --deadline-ms N, --max-depth N,\n"
			"                  --allow CAP[=SCOPE] (repeatable)\n"
			"       ncs check FILE\n"
			"       ncs            (REPL)\n");
	return EXIT_USAGE;
}

static bool parse_u64(const char *s, uint64_t *out)
{
	char *end;
	if (!*s || *s == '-')
		return false;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (*end || errno)
		return false;
	*out = v;
	return true;
}

static bool add_allow(host_t *h, const char *spec)
{
	const char *eq = strchr(spec, '=');
	size_t nlen = eq ? (size_t)(eq - spec) : strlen(spec);
	static const nc_ncs_effect_t fs_fx[] = { NC_NCS_FX_FS_READ, NC_NCS_FX_FS_WRITE, NC_NCS_FX_FS_LIST };
	for (size_t i = 0; i < 3; i++) {
		const char *name = nc_ncs_effect_name(fs_fx[i]);
		if (strlen(name) == nlen && !strncmp(name, spec, nlen)) {
			if (!eq || eq[1] != '/') {
				fprintf(stderr, "ncs: --allow %s needs =/absolute/dir\n", name);
				return false;
			}
			if (h->cfg.n_handlers + 4 > MAX_ALLOWS) {
				fprintf(stderr, "ncs: too many --allow\n");
				return false;
			}
			/* fs.write also serves fs::append, fs::remove and fs::mkdir */
			for (unsigned fx = 0; fx < NC_NCS_FX_COUNT; fx++) {
				bool behind_write = fx >= NC_NCS_FX_FS_APPEND && fx <= NC_NCS_FX_FS_MKDIR;
				if (fx != fs_fx[i] && (fs_fx[i] != NC_NCS_FX_FS_WRITE || !behind_write))
					continue;
				nc_ncs_handler_t *hd = &h->handlers[h->cfg.n_handlers++];
				*hd = (nc_ncs_handler_t){ (nc_ncs_effect_t)fx, eq + 1, fs_handler, NULL };
			}
			return true;
		}
	}
	fprintf(stderr, "ncs: no host handler for capability `%.*s` (supported: fs.read, fs.write, fs.list)\n",
		(int)nlen, spec);
	return false;
}

/* Apply `OPT ARG` of ncs run; false (after a message) when it is not one. */
static bool set_option(host_t *h, const char *opt, const char *arg)
{
	uint64_t v;
	if (!strcmp(opt, "--allow"))
		return add_allow(h, arg);
	if (strcmp(opt, "--max-steps") && strcmp(opt, "--max-alloc") && strcmp(opt, "--deadline-ms") &&
	    strcmp(opt, "--max-depth")) {
		usage();
		return false;
	}
	if (!parse_u64(arg, &v) || (!strcmp(opt, "--max-depth") && v > UINT32_MAX)) {
		fprintf(stderr, "ncs: %s needs a non-negative number\n", opt);
		return false;
	}
	if (!strcmp(opt, "--max-steps"))
		h->cfg.limits.max_steps = v;
	else if (!strcmp(opt, "--max-alloc"))
		h->cfg.limits.max_alloc_bytes = v;
	else if (!strcmp(opt, "--deadline-ms"))
		h->cfg.limits.deadline_micros = v * 1000;
	else
		h->cfg.limits.max_call_depth = (uint32_t)v;
	return true;
}

static int run_file(host_t *h, const char *file, bool check_only)
{
	size_t len;
	char *src = read_file(file, &len);
	if (!src) {
		fprintf(stderr, "ncs: cannot read %s: %s\n", file, strerror(errno));
		return EXIT_USAGE;
	}
	const char *slash = strrchr(file, '/');
	if (slash)
		snprintf(h->loader.dir, sizeof h->loader.dir, "%.*s", (int)(slash - file), file);
	else
		snprintf(h->loader.dir, sizeof h->loader.dir, ".");
	nc_ncs_result_t r;
	nc_ncs_err_t err = check_only ? nc_ncs_check(&h->cfg, file, src, len, &r) : nc_ncs_run(&h->cfg, file, src, len, &r);
	if (r.output)
		fwrite(r.output, 1, r.output_len, stdout);
	if (!err && !check_only && r.value && r.kind != NC_NCS_VAL_UNIT)
		printf("=> %s\n", r.value);
	fflush(stdout);
	if (err)
		fputs(r.message ? r.message : nc_ncs_err_name(err), stderr);
	nc_ncs_result_fini(&h->cfg, &r);
	loader_free(&h->loader);
	free(src);
	return nc_ncs_exit_status(err);
}

int main(int argc, char **argv)
{
	static host_t h;
	h.cfg.alloc = host_alloc;
	h.cfg.clock = host_clock;
	h.cfg.load = load_module;
	h.cfg.load_ud = &h.loader;
	h.cfg.handlers = h.handlers;
	if (argc == 1) { /* modules come from the current directory */
		snprintf(h.loader.dir, sizeof h.loader.dir, ".");
		int rc = ncs_repl(&h.cfg);
		loader_free(&h.loader);
		return rc;
	}
	bool check = !strcmp(argv[1], "check");
	if (!check && strcmp(argv[1], "run"))
		return usage();
	const char *file = NULL;
	for (int i = 2; i < argc; i++) {
		if (strncmp(argv[i], "--", 2) != 0) { /* the one FILE, anywhere among the options */
			if (file)
				return usage();
			file = argv[i];
			continue;
		}
		if (i + 1 >= argc)
			return usage();
		if (!set_option(&h, argv[i], argv[i + 1]))
			return EXIT_USAGE;
		i++;
	}
	return file ? run_file(&h, file, check) : usage();
}
