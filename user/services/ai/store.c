/* The model store (aisvc.h): the models are the NAME.gguf files of the store
 * directories (/models in the initrd, /disk/models on the disk once fsd
 * serves it), NAME their id; the first directory holding an id wins. A
 * directory is listed again when its modification time changed since its last
 * listing, when that time was too recent to trust (a change in the same clock
 * tick would not show), or when one of its NAME.gguf files was not a model (a
 * copy still being written changes no directory time); so a model copied into /disk/models is found by
 * the next call that names it or lists the models. Models are only added: a
 * file removed later fails to load. A model's file is read and opened by the first
 * job that needs it and stays loaded while any job holds it; loaded models
 * share AISVC_WEIGHTS_BUDGET (file image plus the engine's F32 copies), and
 * to load another the least recently used unheld ones are unloaded. One lock
 * guards the table; loading happens outside it (a model being loaded is
 * marked, and others wait for it by yielding). */
#include "aisvc.h"

#include <nc/ai_asr.h>
#include <nc/fmt.h>
#include <nc/mem.h>

enum { ID_BYTES = 64, PATH_BYTES = 128 };

/* A directory modified less than this before its listing is listed again at the
 * next refresh (file times may be whole seconds: ext3 keeps no fractions). */
#define RACY_NS (2ull * 1000 * 1000 * 1000)

/* What the engine allocated for one model (the allocator's context). */
typedef struct {
	uint64_t bytes;
} counter_t;

struct aisvc_model {
	char id[ID_BYTES];
	char path[PATH_BYTES];
	uint64_t file_bytes;
	uint64_t kind;                 /* NC_SYS_AI_KIND_* (from the header at scan) */
	char arch[32];
	uint64_t n_params;
	/* while loaded (under lock) */
	uint8_t *image;
	nc_ai_model_t *text;
	nc_ai_asr_t *speech;
	uint64_t charged;              /* bytes charged to the budget */
	counter_t engine;              /* what the engine allocated for it (its allocator's context) */
	uint32_t holders;
	bool loading;
	uint64_t last_use;
};

/* A store directory and what its last listing saw (the receiver's only). */
typedef struct {
	char path[PATH_BYTES];
	uint64_t mtime_ns;  /* its modification time at the last listing */
	bool settled;       /* listed whole, every NAME.gguf a model, and that time old enough to trust */
} store_dir_t;

static aisvc_model_t models[AISVC_MODELS_MAX];
static size_t n_models;            /* written under lock by the receiver; entries below it never change */
static store_dir_t dirs[AISVC_STORE_DIRS_MAX];
static size_t n_dirs;
static nc_lock_t lock;
static uint64_t weights_used, use_clock;

/* ---- a model's allocator: nc_ai_user_alloc, counting its bytes ---- */

static void *count_alloc(void *ctx, size_t size, size_t align)
{
	void *p = nc_ai_user_alloc.alloc(NULL, size, align);
	if (p)
		((counter_t *)ctx)->bytes += size;
	return p;
}

static void count_free(void *ctx, void *ptr, size_t size)
{
	((counter_t *)ctx)->bytes -= size;
	nc_ai_user_alloc.free(NULL, ptr, size);
}

/* ---- files ---- */

/* Read the whole file at path (size bytes) into a new nc_malloc block. */
static nc_sys_err_t read_file(const char *path, uint64_t size, uint8_t **out)
{
	size_t got;
	uint8_t *buf = size ? nc_malloc(size) : NULL;
	nc_sys_err_t err = buf ? nc_file_read(path, nc_str_len(path), buf, size, &got) : NC_SYS_ERR_NO_MEMORY;
	if (!err && got != size)
		err = NC_SYS_ERR_IO_ERROR;
	if (err) {
		nc_free(buf);
		return err;
	}
	*out = buf;
	return NC_SYS_OK;
}

/* The architecture and parameter count from the file's GGUF header. */
static void describe(aisvc_model_t *m)
{
	uint8_t *img;
	if (read_file(m->path, m->file_bytes, &img))
		return;
	nc_gguf_file_t f;
	if (nc_gguf_open(img, m->file_bytes, &nc_ai_user_alloc, &f) == NC_GGUF_OK) {
		nc_gguf_str_t arch;
		if (!nc_gguf_get_str(&f, "general.architecture", &arch)) {
			size_t n = arch.len_bytes < sizeof m->arch - 1 ? arch.len_bytes : sizeof m->arch - 1;
			nc_mem_copy(m->arch, arch.ptr, n);
			m->kind = nc_gguf_str_eq(arch, "ncasr") ? NC_SYS_AI_KIND_SPEECH : NC_SYS_AI_KIND_TEXT;
		}
		for (uint64_t i = 0; i < f.n_tensors; i++)
			m->n_params += f.tensors[i].n_elements;
		nc_gguf_close(&f);
	}
	nc_free(img);
}

bool aisvc_store_add_dir(const char *path, size_t len)
{
	if (n_dirs == AISVC_STORE_DIRS_MAX || len == 0 || len + 1 + ID_BYTES + 5 > PATH_BYTES || path[0] != '/')
		return false;
	nc_mem_copy(dirs[n_dirs].path, path, len);
	dirs[n_dirs++].path[len] = 0;
	return true;
}

/* List the directory at path, adding each NAME.gguf whose id is new. False
 * when it could not be listed or a NAME.gguf is not (yet) a model: a file
 * still being copied, or one that is no model. */
static bool list_dir(const char *path)
{
	uint64_t dir;
	bool all = true;
	if (nc_sys_fs_open(path, nc_str_len(path), NC_SYS_OPEN_DIR, &dir))
		return false;
	nc_sys_dirent_t e;
	for (uint64_t i = 0; n_models < AISVC_MODELS_MAX && nc_sys_fs_list_dir(dir, i, &e) == NC_SYS_OK; i++) {
		size_t len = nc_str_len_max(e.name, sizeof e.name);
		if (e.type != NC_SYS_HANDLE_FILE || len <= 5 || len - 5 >= ID_BYTES ||
		    nc_mem_compare(e.name + len - 5, ".gguf", 5) || aisvc_store_find(e.name, len - 5))
			continue;
		aisvc_model_t *m = &models[n_models]; /* not yet visible to the workers */
		nc_mem_set(m, 0, sizeof *m);
		nc_mem_copy(m->id, e.name, len - 5);
		nc_fmt_format(m->path, sizeof m->path, "%s/%s", path, e.name);
		m->file_bytes = e.size_bytes;
		describe(m);
		all = all && m->kind;
		if (m->kind) {
			nc_lock_acquire(&lock);
			n_models++;
			nc_lock_release(&lock);
		}
	}
	nc_sys_handle_close(dir);
	return all;
}

size_t aisvc_store_refresh(void)
{
	for (size_t i = 0; i < n_dirs; i++) {
		store_dir_t *d = &dirs[i];
		nc_sys_stat_full_t st;
		uint64_t now = 0;
		if (nc_sys_fs_stat_full(d->path, nc_str_len(d->path), &st) || st.type != NC_SYS_HANDLE_DIR) {
			d->settled = false; /* absent (no fsd yet): look again next time */
			continue;
		}
		if (d->settled && st.mtime_ns == d->mtime_ns)
			continue;
		nc_sys_system_info(NC_SYS_INFO_WALL_CLOCK_NS, &now);
		bool all = list_dir(d->path);
		d->mtime_ns = st.mtime_ns;
		d->settled = all && st.mtime_ns + RACY_NS < now;
	}
	return n_models;
}

aisvc_model_t *aisvc_store_find(const char *id, size_t id_len)
{
	for (size_t i = 0; i < n_models; i++)
		if (nc_str_len(models[i].id) == id_len && !nc_mem_compare(models[i].id, id, id_len))
			return &models[i];
	return NULL;
}

size_t aisvc_store_list(nc_sys_ai_model_t *out, size_t max)
{
	size_t n = 0;
	nc_lock_acquire(&lock);
	for (size_t i = 0; i < n_models && n < max; i++, n++) {
		const aisvc_model_t *m = &models[i];
		nc_mem_set(&out[n], 0, sizeof out[n]);
		nc_mem_copy(out[n].id, m->id, nc_str_len(m->id));
		nc_mem_copy(out[n].arch, m->arch, nc_str_len(m->arch));
		out[n].n_params = m->n_params;
		out[n].file_bytes = m->file_bytes;
		out[n].loaded = m->text || m->speech;
		out[n].kind = m->kind;
	}
	nc_lock_release(&lock);
	return n;
}

uint64_t aisvc_model_kind(const aisvc_model_t *m)
{
	return m->kind;
}

nc_ai_model_t *aisvc_model_text(aisvc_model_t *m)
{
	return m->text;
}

nc_ai_asr_t *aisvc_model_speech(aisvc_model_t *m)
{
	return m->speech;
}

/* Unload m (lock held, no holders). */
static void unload(aisvc_model_t *m)
{
	nc_ai_model_close(m->text);
	nc_ai_asr_close(m->speech);
	nc_free(m->image);
	m->text = NULL;
	m->speech = NULL;
	m->image = NULL;
	weights_used -= m->charged;
	m->charged = 0;
}

/* Make room for need bytes by unloading unheld models, oldest use first
 * (lock held). False when even that is not enough. */
static bool make_room(uint64_t need)
{
	while (weights_used + need > AISVC_WEIGHTS_BUDGET) {
		aisvc_model_t *victim = NULL;
		for (size_t i = 0; i < n_models; i++) {
			aisvc_model_t *m = &models[i];
			if (m->image && !m->holders && !m->loading && (!victim || m->last_use < victim->last_use))
				victim = m;
		}
		if (!victim)
			return false;
		unload(victim);
	}
	return true;
}

/* Read and open m (no lock held; m->loading is set). The guess charged
 * before loading (twice the file) is corrected to what it really took. */
static nc_sys_err_t load(aisvc_model_t *m)
{
	uint8_t *img;
	nc_sys_err_t err = read_file(m->path, m->file_bytes, &img);
	if (err)
		return err == NC_SYS_ERR_NO_MEMORY ? err : NC_SYS_ERR_NOT_FOUND;
	m->engine.bytes = 0;
	nc_ai_alloc_t a = { &m->engine, count_alloc, count_free };
	nc_gguf_err_t ge;
	nc_ai_err_t e = m->kind == NC_SYS_AI_KIND_SPEECH ? nc_ai_asr_open(img, m->file_bytes, &a, &m->speech, &ge)
							 : nc_ai_model_open(img, m->file_bytes, &a, &m->text, &ge);
	if (e) {
		nc_free(img);
		return e == NC_AI_ERR_NOMEM ? NC_SYS_ERR_NO_MEMORY : NC_SYS_ERR_INVALID;
	}
	m->image = img;
	nc_lock_acquire(&lock);
	weights_used -= m->charged;
	m->charged = m->file_bytes + m->engine.bytes;
	weights_used += m->charged;
	nc_lock_release(&lock);
	return NC_SYS_OK;
}

nc_sys_err_t aisvc_store_acquire(aisvc_model_t *m)
{
	for (;;) {
		nc_lock_acquire(&lock);
		if (!m->loading)
			break;
		nc_lock_release(&lock);
		nc_sys_yield();
	}
	m->last_use = ++use_clock;
	if (m->image) {
		m->holders++;
		nc_lock_release(&lock);
		return NC_SYS_OK;
	}
	uint64_t guess = 2 * m->file_bytes;
	if (guess > AISVC_WEIGHTS_BUDGET || !make_room(guess)) {
		nc_lock_release(&lock);
		return NC_SYS_ERR_LIMIT;
	}
	m->charged = guess;
	weights_used += guess;
	m->loading = true;
	m->holders++;
	nc_lock_release(&lock);
	nc_sys_err_t err = load(m);
	nc_lock_acquire(&lock);
	m->loading = false;
	if (err) {
		m->holders--;
		weights_used -= m->charged;
		m->charged = 0;
	}
	nc_lock_release(&lock);
	return err;
}

void aisvc_store_release(aisvc_model_t *m)
{
	nc_lock_acquire(&lock);
	m->holders--;
	nc_lock_release(&lock);
}
