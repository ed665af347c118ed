/* The in-OS system-call fuzzer (xv6 grind style): NC_FUZZ_CALLS random calls
 * with random arguments from a fixed seed, spread over NC_FUZZ_THREADS threads
 * of a child process that holds only an fs.read capability, a read-only
 * process.inspect capability and the objects it makes. Afterwards the kernel
 * must still answer and, once the child is reaped, the free-frame count must
 * be back to its value before the run. Arguments mix small numbers, handle
 * values, pointers into a scratch buffer, kernel and unmapped addresses, and
 * raw 64-bit values. A few calls are tamed so the run ends: no Exit/TaskExit/
 * TaskCreate, MemMap only at kernel-chosen addresses (unmapped again at once), ShmCreate
 * of at most 16 KiB,
 * short sleeps, zero timeouts, no TaskJoin of live threads, the short IPC
 * calls (no timeout) only on values that name no handle (ipc_short_tests.c
 * has their random test). Handles do travel
 * over channels, endpoints included (the kernel refuses the sends that would
 * let queued endpoints form a cycle: docs/ipc.md). */
#include "ut_sys.h"

enum {
	NC_FUZZ_CALLS = 100000, NC_FUZZ_THREADS = 4, SCRATCH_BYTES = 64 * 1024,
	CALL_EXIT = 0, CALL_TASK_CREATE = 5, CALL_TASK_EXIT = 6, CALL_TASK_JOIN = 7, CALL_SLEEP = 9,
	CALL_MEM_MAP = 11, CALL_MEM_UNMAP = 12,
};
#define FUZZ_SEED 0x4e657861436f7265ull /* "NexaCore" */

/* The threads' scratch buffers, SCRATCH_BYTES each, from the child's heap
 * (static ones would be part of every usertests process). */
static uint8_t *scratch;
static volatile uint64_t cpu_mask, calls_done;

static uint64_t next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

static uint64_t arg_value(uint64_t *s, uint8_t *buf)
{
	uint64_t r = next(s);
	switch (r % 10) {
	case 0: return r >> 60;                                   /* 0..15 */
	case 1: return (r >> 8) % 24;                             /* handle values of slots 0..23 */
	case 2: return (uint64_t)(buf + (r >> 20) % (SCRATCH_BYTES - 512)); /* valid user memory */
	case 3: return UT_KERNEL_ADDR + (r >> 40);
	case 4: return UT_UNMAPPED_ADDR + (r >> 52);
	case 5: return (r >> 16) % 300;                           /* lengths around the limits */
	case 6: return NC_SYS_IO_MAX_BYTES + (r >> 62) - 1;
	case 7: return ~0ull - (r >> 60);
	case 8: return (r >> 32) | 1ull << 47;                    /* just above user space */
	default: return r;
	}
}

static void fuzz_one(uint64_t *s, uint8_t *buf)
{
	uint64_t num = next(s) % (NC_SYS_COUNT + 6); /* the last 6: unknown numbers */
	if (next(s) % 512 == 0)
		num = next(s);
	uint64_t a[6];
	for (int i = 0; i < 6; i++)
		a[i] = arg_value(s, buf);
	switch (num) {
	case CALL_EXIT:
	case CALL_TASK_EXIT:
	case CALL_TASK_CREATE:
		num = 8; /* Yield */
		break;
	case CALL_TASK_JOIN: a[0] |= 0x10000; break;
	case CALL_SLEEP: a[0] %= 1000; break;
	case CALL_MEM_MAP: {
		uint64_t addr;
		if (nc_sys_mem_map(0, a[1] % (4 * 4096) + 1, a[2] & 3, &addr) == NC_SYS_OK)
			nc_sys_mem_unmap(addr, a[1] % (4 * 4096) + 1);
		return;
	}
	case CALL_MEM_UNMAP: return;
	case NC_SYS_SHM_CREATE: a[0] %= 4 * 4096 + 1; break; /* small objects, as MemMap's */
	case NC_SYS_PROCESS_WAIT: a[2] = 0; break;
	case NC_SYS_FD_READ:
	case NC_SYS_FD_READ_BULK: a[3] = 0; break;
	case NC_SYS_IPC_SEND: a[4] %= NC_SYS_IPC_MSG_MAX_HANDLES + 1; a[5] = 0; break;
	case NC_SYS_IPC_RECEIVE:
	case NC_SYS_IPC_CALL:
	case NC_SYS_IPC_REPLY_RECEIVE: a[5] = 0; break;
	case NC_SYS_IPC_CALL_SHORT:
	case NC_SYS_IPC_REPLY_RECEIVE_SHORT: a[0] |= 1ull << 32; break;
	case NC_SYS_SERVICE_RECEIVE: a[5] = 0; break;
	default: break;
	}
	register uint64_t r3 __asm__("r10") = a[3];
	register uint64_t r4 __asm__("r8") = a[4];
	register uint64_t r5 __asm__("r9") = a[5];
	register uint64_t r0 __asm__("rdi") = a[0];
	register uint64_t r1 __asm__("rsi") = a[1];
	register uint64_t r2 __asm__("rdx") = a[2];
	__asm__ volatile("syscall"
			 : "+a"(num), "+d"(r2)
			 : "r"(r0), "r"(r1), "r"(r3), "r"(r4), "r"(r5)
			 : "rcx", "r11", "memory");
}

static int fuzz_thread(void *arg)
{
	uint64_t index = (uint64_t)arg, s = FUZZ_SEED ^ (index + 1) * 0x9e3779b97f4a7c15ull, cpu;
	for (int i = 0; i < NC_FUZZ_CALLS / NC_FUZZ_THREADS; i++) {
		fuzz_one(&s, scratch + index * SCRATCH_BYTES);
		if (i % 256 == 0 && nc_sys_system_info(NC_SYS_INFO_CURRENT_CPU, &cpu) == NC_SYS_OK)
			__atomic_or_fetch(&cpu_mask, 1ull << cpu, __ATOMIC_RELAXED);
	}
	__atomic_add_fetch(&calls_done, NC_FUZZ_CALLS / NC_FUZZ_THREADS, __ATOMIC_RELAXED);
	return 0;
}

/* Runs with handles 1 = fs.read on /, 2 = process.inspect. Exit code: the
 * CPU mask seen (low 16 bits) with bit 16 set when every call was made. */
static int child_fuzz(void)
{
	uint64_t e[2], h;
	scratch = nc_malloc(NC_FUZZ_THREADS * SCRATCH_BYTES);
	if (!scratch)
		return 0;
	nc_sys_ipc_create_channel(e);
	nc_sys_fs_open("/hello.txt", 10, 0, &h);
	nc_sys_fs_open("/", 1, NC_SYS_OPEN_DIR, &h);
	nc_thread_t t[NC_FUZZ_THREADS - 1];
	for (uint64_t i = 1; i < NC_FUZZ_THREADS; i++)
		if (nc_thread_start(&t[i - 1], fuzz_thread, (void *)i))
			return 0;
	fuzz_thread((void *)0);
	for (uint64_t i = 1; i < NC_FUZZ_THREADS; i++) {
		uint64_t code;
		nc_thread_join(&t[i - 1], &code);
	}
	return (int)((cpu_mask & 0xffff) | (calls_done == NC_FUZZ_CALLS ? 1u << 16 : 0));
}

static bool t_fuzz(void)
{
	uint64_t fs, insp, before, after, st, v;
	NC_EXPECT_SYS(ut_attenuate("fs", "fs.read", "/", NC_SYS_RIGHTS_ALL, 0, &fs), NC_SYS_OK);
	NC_EXPECT_SYS(ut_attenuate("process", "process.inspect", "*", NC_SYS_RIGHTS_ALL, 0, &insp), NC_SYS_OK);
	uint64_t hs[2] = { fs, insp };
	NC_EXPECT_SYS(nc_sys_system_info(NC_SYS_INFO_FREE_FRAMES, &before), NC_SYS_OK);
	if (!ut_spawn_with("fuzz", hs, 2, &st))
		return false;
	NC_EXPECT_SYS(nc_sys_system_info(NC_SYS_INFO_FREE_FRAMES, &after), NC_SYS_OK);
	nc_sys_handle_close(fs);
	nc_sys_handle_close(insp);
	if (!(st & 1u << 16) || (st & ~0x1ffffull))
		return NC_FAIL("fuzz child ended with status %#llx", (unsigned long long)st);
	if (after != before)
		return NC_FAIL("free frames %llu before, %llu after", (unsigned long long)before,
			       (unsigned long long)after);
	NC_EXPECT_SYS(nc_sys_abi_version(&v), NC_SYS_OK); /* still answering */
	nc_print("# fuzz: %u calls, %u threads, CPUs seen %#llx\n", NC_FUZZ_CALLS, NC_FUZZ_THREADS,
		 (unsigned long long)(st & 0xffff));
	return true;
}

const nc_test_case_t ut_fuzz_tests[] = {
	{ "fuzz.syscalls_100k", t_fuzz },
	{ NULL, NULL },
};

const nc_test_child_t ut_fuzz_children[] = {
	{ "fuzz", child_fuzz },
	{ NULL, NULL },
};
