/* The desktop session (session.c: start, launching, the loop; commands.c:
 * the test mode's console commands). */
#ifndef USER_DESKTOP_SESSION_H
#define USER_DESKTOP_SESSION_H

#include <nc/ulib.h>

enum {
	SESSION_APPS_MAX = 16, SESSION_NAME_MAX = 32, SESSION_INPUTS_MAX = 8, SESSION_INPUT_RESTARTS_MAX = 100,
	SESSION_TAG_LAUNCHER = 1, SESSION_TAG_CONSOLE = 2,
};
#define SESSION_REAP_NS (200ull * 1000 * 1000)

typedef struct {
	uint64_t bdf;              /* the PCI function */
	char where[16];            /* "00:03.0" */
	uint64_t pid;              /* its driver (0: not running) */
	uint32_t restarts;
} session_input_t;

typedef struct {
	bool test_mode, quit;
	nc_inbox_t inbox;
	uint64_t ctl;              /* the compositor's control channel */
	uint64_t compositor;       /* its pid (0: ended) */
	uint64_t shell;            /* the console shell's pid (0: none: test mode, or ended) */
	uint64_t launcher;         /* the panel's launcher channel (0: none) */
	struct {
		uint64_t pid;      /* 0: free */
		char name[SESSION_NAME_MAX];
	} apps[SESSION_APPS_MAX];
	session_input_t inputs[SESSION_INPUTS_MAX];
	int n_inputs;
} session_t;

extern session_t ses;

/* A new connection from the compositor (the client end). */
nc_sys_err_t session_connect(uint64_t *conn);
/* Spawn prog (an initrd path) with arg and handles; it is recorded as one of
 * the session's programs (reported when it ends, killed with the desktop). */
nc_sys_err_t session_spawn(const char *prog, const char *arg, const uint64_t *hs, uint64_t n, uint64_t *pid);
/* Start the desktop program name ("terminal", "sysmon", "files", "panel", "wintest")
 * with arg, its connection and the capabilities it needs. */
nc_sys_err_t session_launch(const char *name, const char *arg, uint64_t *pid);
/* Kill the programs the session started and reap them. */
void session_end_apps(void);
/* Print "desk: " and the line on the console (fmt a string literal). */
#define session_say(fmt, ...) nc_print("desk: " fmt "\n", ##__VA_ARGS__)

/* input.c: start the input drivers (after the compositor). */
void session_inputs_start(void);
/* A process ended: when it was an input driver, start it again (while the
 * compositor runs) and return true. */
bool session_input_ended(uint64_t pid, uint64_t status);

/* commands.c: start the thread reading console lines into the inbox. */
nc_sys_err_t session_commands_start(void);
/* Run one console command line (test mode). */
void session_command(const char *line, size_t len);

#endif
