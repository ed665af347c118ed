/* Shell core: line editing, command lists (`;`, `&&`, `||`, `&`), dispatch,
 * completion (see shell.h). */
#include "shell.h"
#include <nc/args.h>
#include <nc/fmt.h>
#include <nc/mem.h>
#include <stdarg.h>

#define PROMPT "nexacore> "

static void sink(void *ctx, const char *s, size_t n)
{
	shell_t *sh = ctx;
	if (sh->redirected) {
		sh->write(sh->write_ctx, s, n);
		return;
	}
	size_t start = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\n') {
			sh->write(sh->write_ctx, s + start, i - start);
			sh->write(sh->write_ctx, "\r\n", 2);
			start = i + 1;
		}
	sh->write(sh->write_ctx, s + start, n - start);
}

void shell_printf(shell_t *sh, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	nc_fmt_vprint(sink, sh, fmt, ap);
	va_end(ap);
}

const shell_cmd_t *shell_find(const shell_t *sh, const char *name)
{
	for (size_t i = 0; i < sh->n_cmds; i++)
		if (nc_str_compare(sh->cmds[i].name, name) == 0)
			return &sh->cmds[i];
	return NULL;
}

/* Completion of the first word only: command names. */
static size_t complete(void *ctx, const char *word, size_t n, const char **out, size_t max)
{
	shell_t *sh = ctx;
	for (size_t i = 0; i < n; i++)
		if (word[i] == ' ')
			return 0;
	size_t k = 0;
	for (size_t i = 0; i < sh->n_cmds && k < max; i++)
		if (nc_str_len(sh->cmds[i].name) >= n && nc_mem_compare(sh->cmds[i].name, word, n) == 0)
			out[k++] = sh->cmds[i].name;
	return k;
}

void shell_init(shell_t *sh, const shell_cmd_t *cmds, size_t n_cmds, nc_le_write_fn write,
		void *write_ctx, void *user)
{
	nc_mem_set(sh, 0, sizeof *sh);
	sh->cmds = cmds;
	sh->n_cmds = n_cmds;
	sh->write = write;
	sh->write_ctx = write_ctx;
	sh->user = user;
	nc_le_init(&sh->le, write, write_ctx, PROMPT);
	nc_le_set_completer(&sh->le, complete, sh);
}

/* Command lists: commands separated by `;` (then the next), `&&` (the next
 * if this one succeeded), `||` (the next if it failed) and `&` (this one in
 * the background, then the next). */
typedef enum { SEP_END, SEP_SEQ, SEP_AND, SEP_OR, SEP_BG } sep_t;

static const char *const sep_text[] = { "", ";", "&&", "||", "&" };

/* The command at line[*pos..len): *end gets where it ends, *pos moves past
 * the separator after it, which is returned. Separators inside quotes or
 * escaped do not count; the quoting rules are lib/args': '...' is literal,
 * "..." honours \" and \\, a backslash outside quotes escapes the next
 * byte (an unterminated quote runs to the end of the line, and the word
 * split reports it). */
static sep_t next_command(const char *line, size_t len, size_t *pos, size_t *end)
{
	char quote = 0;
	for (size_t i = *pos; i < len; i++) {
		char c = line[i], d = i + 1 < len ? line[i + 1] : 0;
		if (quote != '\'' && c == '\\') {
			i++;
		} else if (!quote && (c == '\'' || c == '"')) {
			quote = c;
		} else if (quote && c == quote) {
			quote = 0;
		} else if (!quote && (c == ';' || c == '&' || c == '|')) {
			sep_t sep = c == ';' ? SEP_SEQ : c == '|' ? (d == '|' ? SEP_OR : SEP_END) : d == '&' ? SEP_AND : SEP_BG;
			if (sep == SEP_END)
				continue; /* a single `|`: a word of its own (no pipelines) */
			*end = i;
			*pos = i + 1 + (sep == SEP_AND || sep == SEP_OR);
			return sep;
		}
	}
	*end = *pos = len;
	return SEP_END;
}

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

/* Whether every separator of line has a command before it, and `&&` and `||`
 * one after it too (else said why). */
static bool list_ok(shell_t *sh, const char *line, size_t len)
{
	sep_t sep = SEP_SEQ;
	for (size_t pos = 0, start, end; pos < len || sep != SEP_END;) {
		sep_t prev = sep;
		start = pos;
		sep = next_command(line, len, &pos, &end);
		if (!blank(line + start, end - start))
			continue;
		if (sep != SEP_END) {
			shell_printf(sh, "shell: '%s' needs a command before it\n", sep_text[sep]);
			return false;
		}
		if (prev == SEP_AND || prev == SEP_OR) {
			shell_printf(sh, "shell: '%s' needs a command after it\n", sep_text[prev]);
			return false;
		}
	}
	return true;
}

/* Take a final `> FILE` / `>> FILE` (or `>FILE`) off argv: *path gets the file (NULL: none).
 * SHELL_ERR_USAGE when a word starting with `>` is not at the end or names no file. */
static shell_err_t take_redirect(shell_t *sh, int *argc, const char **path, bool *append)
{
	*path = NULL;
	for (int i = 1; i < *argc; i++) {
		const char *w = sh->argv[i];
		if (w[0] != '>')
			continue;
		*append = w[1] == '>';
		const char *rest = w + 1 + *append;
		int used = *rest ? 1 : 2;
		if (i + used != *argc || (used == 2 && !sh->argv[i + 1][0]) || rest[0] == '>') {
			shell_printf(sh, "shell: '>' and '>>' take one file name at the end of the line\n");
			return SHELL_ERR_USAGE;
		}
		*path = *rest ? rest : sh->argv[i + 1];
		*argc = i;
		sh->argv[i] = NULL;
		return SHELL_OK;
	}
	return SHELL_OK;
}

/* Run cmd with its output in path (opened through sh->redirect); a command that hands the
 * file to the program it starts keeps the terminal for its own messages. */
static shell_err_t run_redirected(shell_t *sh, const shell_cmd_t *cmd, int argc, const char *path, bool append)
{
	if (!sh->redirect) {
		shell_printf(sh, "shell: output redirection is not available here\n");
		return SHELL_ERR_UNSUPPORTED;
	}
	nc_le_write_fn term_write = sh->write, file_write;
	void *term_ctx = sh->write_ctx, *file_ctx;
	shell_err_t err = sh->redirect->open(sh, cmd, path, append, &file_write, &file_ctx);
	if (err)
		return err;
	if (file_write) {
		sh->write = file_write;
		sh->write_ctx = file_ctx;
		sh->redirected = true;
	}
	err = cmd->fn(sh, argc, sh->argv);
	sh->redirected = false;
	sh->write = term_write;
	sh->write_ctx = term_ctx;
	sh->redirect->close(sh, file_ctx);
	return err;
}

/* Run the one command of line[0..len) (no separators), in the background if asked. */
static shell_err_t execute_one(shell_t *sh, const char *line, size_t len, bool background)
{
	int argc;
	nc_args_err_t aerr = nc_args_split(line, len, sh->words, sizeof sh->words, sh->argv,
					   SHELL_MAX_ARGS, &argc);
	if (aerr) {
		shell_printf(sh, "shell: %s\n", nc_args_err_name(aerr));
		return SHELL_ERR_WORDS;
	}
	if (argc == 0)
		return SHELL_OK;
	const shell_cmd_t *cmd = shell_find(sh, sh->argv[0]);
	if (!cmd) {
		shell_printf(sh, "%s: command not found (try 'help')\n", sh->argv[0]);
		return SHELL_ERR_NOT_FOUND;
	}
	if (background && !cmd->background) {
		shell_printf(sh, "%s: cannot run in the background\n", cmd->name);
		return SHELL_ERR_USAGE;
	}
	const char *path;
	bool append = false;
	shell_err_t err = take_redirect(sh, &argc, &path, &append);
	if (err)
		return err;
	sh->background = background;
	err = path ? run_redirected(sh, cmd, argc, path, append) : cmd->fn(sh, argc, sh->argv);
	sh->background = false;
	if (err == SHELL_ERR_USAGE)
		shell_printf(sh, "usage: %s\n", cmd->usage);
	return err;
}

shell_err_t shell_execute(shell_t *sh, const char *line)
{
	size_t len = nc_str_len(line), pos = 0, start, end;
	if (!list_ok(sh, line, len))
		return SHELL_ERR_USAGE;
	shell_err_t status = SHELL_OK;
	bool run = true;
	while (pos < len) {
		start = pos;
		sep_t sep = next_command(line, len, &pos, &end);
		if (run && !blank(line + start, end - start))
			status = execute_one(sh, line + start, end - start, sep == SEP_BG);
		if (status == SHELL_EXIT)
			return status;
		run = sep == SEP_AND ? status == SHELL_OK : sep == SEP_OR ? status != SHELL_OK : true;
	}
	return status;
}

void shell_enter_mode(shell_t *sh, shell_line_fn fn, const char *prompt)
{
	sh->mode = fn;
	nc_le_set_prompt(&sh->le, prompt);
}

void shell_leave_mode(shell_t *sh)
{
	sh->mode = NULL;
	nc_le_set_prompt(&sh->le, PROMPT);
}

void shell_set_prompt(shell_t *sh, const char *prompt)
{
	nc_le_set_prompt(&sh->le, prompt);
}

/* Draw a fresh prompt, after the platform's hook had its say. */
static void start_line(shell_t *sh)
{
	if (sh->before_prompt)
		sh->before_prompt(sh);
	nc_le_start(&sh->le);
}

/* A line or Ctrl-D while a mode is active. */
static void feed_mode(shell_t *sh, const char *line)
{
	shell_line_fn fn = sh->mode;
	if (!line)
		shell_leave_mode(sh);
	fn(sh, line);
	start_line(sh);
}

shell_err_t shell_feed(shell_t *sh, uint8_t byte)
{
	nc_le_event_t ev = nc_le_feed(&sh->le, byte);
	if (sh->mode && (ev == NC_LE_LINE || ev == NC_LE_EOF)) {
		feed_mode(sh, ev == NC_LE_LINE ? nc_le_line(&sh->le) : NULL);
		return SHELL_OK;
	}
	switch (ev) {
	case NC_LE_EOF:
		return SHELL_EXIT;
	case NC_LE_LINE:
		sh->last_status = shell_execute(sh, nc_le_line(&sh->le));
		if (sh->last_status == SHELL_EXIT)
			return SHELL_EXIT;
		start_line(sh);
		return SHELL_OK;
	case NC_LE_CANCEL:
		start_line(sh);
		return SHELL_OK;
	case NC_LE_NONE:
		break;
	}
	return SHELL_OK;
}

const char *shell_err_name(shell_err_t err)
{
	switch (err) {
	case SHELL_OK: return "ok";
	case SHELL_EXIT: return "exit";
	case SHELL_ERR_USAGE: return "usage error";
	case SHELL_ERR_NOT_FOUND: return "not found";
	case SHELL_ERR_WORDS: return "cannot split the line into words";
	case SHELL_ERR_GRANT: return "bad --grant (want ACTION=SCOPE, e.g. fs.read=/etc)";
	case SHELL_ERR_DENIED: return "capability denied";
	case SHELL_ERR_SYSTEM: return "system error";
	case SHELL_ERR_UNSUPPORTED: return "unsupported";
	}
	return "unknown shell error";
}
