/* Fault survival and isolation: each offending child must be killed with the
 * expected exception vector (Intel SDM Vol. 3A 6.15) while the runner and the
 * next test go on; system calls given bad pointers must return BAD_ADDRESS. */
#include "usertests.h"
#include <nc/fmt.h>

enum { V_DE = 0, V_UD = 6, V_GP = 13, V_PF = 14 };

#define KERNEL_TEXT 0xffffffff80000000ull /* the link address: kernel half wherever the image was slid */
#define DIRECT_MAP 0xffff800000001000ull
#define SHARED_ADDR 0x0000200000000000ull

static volatile uint64_t sink;
static volatile int depth_limit = 1 << 30;

/* addr as a pointer the compiler cannot reason about (it must not turn the
 * deliberate bad access into a trap of its own or a warning) */
static volatile uint64_t *opaque(uint64_t addr)
{
	__asm__("" : "+r"(addr));
	return (volatile uint64_t *)addr;
}

static int child_null_read(void) { sink = *opaque(0); return 0; }
static int child_null_write(void) { *opaque(8) = 1; return 0; }

static int recurse(int depth)
{
	volatile char pad[512];
	pad[0] = (char)depth;
	if (depth > depth_limit)
		return 0;
	return recurse(depth + 1) + pad[0];
}
static int child_stack_overflow(void) { return recurse(0); }
static int child_ud2(void) { __asm__ volatile("ud2"); return 0; }
static int child_divide(void)
{
	volatile int zero = 0;
	sink = (uint64_t)(100 / zero);
	return 0;
}
static int child_privileged(void) { __asm__ volatile("hlt"); return 0; }
static int child_noncanonical(void) { sink = *opaque(0x8000000000000000ull); return 0; }
static int child_kernel_read(void) { sink = *opaque(KERNEL_TEXT); return 0; }
static int child_kernel_write(void) { *opaque(KERNEL_TEXT) = 0; return 0; }
static int child_direct_map_read(void) { sink = *opaque(DIRECT_MAP); return 0; }
static int child_write_text(void) { *(volatile uint8_t *)(uint64_t)child_write_text = 0xc3; return 0; }
static int child_exec_data(void)
{
	static uint8_t ret_insn[16] = { 0xc3 };
	((void (*)(void))(uint64_t)ret_insn)();
	return 0;
}
/* Another process's memory: the parent has a page at SHARED_ADDR; here it is unmapped. */
static int child_peek_other(void) { sink = *opaque(SHARED_ADDR); return 0; }
static int child_poke_other(void) { *opaque(SHARED_ADDR) = 0xbad; return 0; }

const nc_test_child_t ut_fault_children[] = {
	{ "null_read", child_null_read }, { "null_write", child_null_write },
	{ "stack_overflow", child_stack_overflow }, { "ud2", child_ud2 }, { "divide", child_divide },
	{ "privileged", child_privileged }, { "noncanonical", child_noncanonical },
	{ "kernel_read", child_kernel_read }, { "kernel_write", child_kernel_write },
	{ "direct_map_read", child_direct_map_read }, { "write_text", child_write_text },
	{ "exec_data", child_exec_data }, { "peek_other", child_peek_other },
	{ "poke_other", child_poke_other }, { NULL, NULL },
};

static bool expect_fault(const char *child, unsigned vector)
{
	uint64_t status;
	if (!ut_run_child(child, &status))
		return false;
	if (status != ut_fault_status(vector))
		return NC_FAIL("child %s: status %#llx, expected %#llx", child, (unsigned long long)status,
			       (unsigned long long)ut_fault_status(vector));
	return true;
}

#define FAULT_TEST(name, vector) \
	static bool t_##name(void) { return expect_fault(#name, vector); }
FAULT_TEST(null_read, V_PF)
FAULT_TEST(null_write, V_PF)
FAULT_TEST(stack_overflow, V_PF)
FAULT_TEST(ud2, V_UD)
FAULT_TEST(divide, V_DE)
FAULT_TEST(privileged, V_GP)
FAULT_TEST(noncanonical, V_GP)
FAULT_TEST(kernel_read, V_PF)
FAULT_TEST(kernel_write, V_PF)
FAULT_TEST(direct_map_read, V_PF)
FAULT_TEST(write_text, V_PF)
FAULT_TEST(exec_data, V_PF)

/* The parent maps a secret at SHARED_ADDR; children reading or writing that
 * address fault, and the secret is intact afterwards. */
static bool t_other_process_memory(void)
{
	uint64_t addr;
	nc_sys_err_t err = nc_sys_mem_map(SHARED_ADDR, 4096, NC_SYS_PROT_READ | NC_SYS_PROT_WRITE, &addr);
	if (err)
		return NC_FAIL("MemMap: %s", nc_sys_err_name(err));
	volatile uint64_t *secret = (volatile uint64_t *)addr;
	*secret = 0x5ec2e7;
	bool ok = expect_fault("peek_other", V_PF) && expect_fault("poke_other", V_PF);
	if (ok && *secret != 0x5ec2e7)
		ok = NC_FAIL("secret changed to %#llx", (unsigned long long)*secret);
	nc_sys_mem_unmap(addr, 4096);
	return ok;
}

/* Bad pointers handed to the kernel give BAD_ADDRESS, never a kernel fault. */
static bool t_syscall_bad_pointers(void)
{
	uint64_t v;
	static const char path[] = "init.manifest";
	if (nc_sys_write_console((const void *)KERNEL_TEXT, 8) != NC_SYS_ERR_BAD_ADDRESS)
		return NC_FAIL("WriteConsole(kernel address) accepted");
	if (nc_sys_write_console((const void *)0x10, 8) != NC_SYS_ERR_BAD_ADDRESS)
		return NC_FAIL("WriteConsole(unmapped) accepted");
	if (nc_sys_write_console((const void *)0x00007ffffffffff0ull, 64) != NC_SYS_ERR_BAD_ADDRESS)
		return NC_FAIL("WriteConsole(range crossing the user top) accepted");
	if (nc_sys_initrd_read(path, sizeof path - 1, (void *)DIRECT_MAP, 16, 0, &v) != NC_SYS_ERR_BAD_ADDRESS)
		return NC_FAIL("InitrdRead into the direct map accepted");
	if (nc_sys_initrd_read(path, sizeof path - 1, (void *)(uint64_t)t_syscall_bad_pointers, 16, 0, &v) !=
	    NC_SYS_ERR_BAD_ADDRESS)
		return NC_FAIL("InitrdRead into read-only text accepted");
	if (nc_sys_process_wait(0, (void *)KERNEL_TEXT, NC_SYS_TIMEOUT_INFINITE, &v) != NC_SYS_ERR_BAD_ADDRESS)
		return NC_FAIL("ProcessWait(kernel status pointer) accepted");
	return true;
}

/* Unknown numbers and out-of-range arguments give their documented errors. */
static bool t_syscall_bad_arguments(void)
{
	uint64_t err = 9999, res = 0, v;
	__asm__ volatile("syscall" : "+a"(err), "+d"(res) : : "rcx", "r11", "memory");
	if (err != NC_SYS_ERR_UNKNOWN_CALL)
		return NC_FAIL("call 9999 gave %llu", (unsigned long long)err);
	if (nc_sys_mem_map(0, 4096, NC_SYS_PROT_WRITE | NC_SYS_PROT_EXEC | NC_SYS_PROT_READ, &v) !=
	    NC_SYS_ERR_INVALID)
		return NC_FAIL("MemMap W+X accepted");
	if (nc_sys_mem_map(0x1234, 4096, NC_SYS_PROT_READ, &v) != NC_SYS_ERR_INVALID)
		return NC_FAIL("MemMap unaligned accepted");
	if (nc_sys_mem_map(0xffffffff80000000ull, 4096, NC_SYS_PROT_READ, &v) != NC_SYS_ERR_INVALID)
		return NC_FAIL("MemMap over the kernel accepted");
	if (nc_sys_write_console("x", 5000) != NC_SYS_ERR_INVALID)
		return NC_FAIL("WriteConsole of 5000 bytes accepted");
	if (nc_sys_system_info(99, &v) != NC_SYS_ERR_INVALID)
		return NC_FAIL("SystemInfo(99) accepted");
	if (nc_sys_process_spawn("nonexistent", 11, "", 0, NULL, NC_SYS_SPAWN_INHERIT, &v) != NC_SYS_ERR_NOT_FOUND)
		return NC_FAIL("spawn of a missing file did not give NOT_FOUND");
	if (nc_sys_process_spawn("init.manifest", 13, "", 0, NULL, NC_SYS_SPAWN_INHERIT, &v) != NC_SYS_ERR_BAD_EXECUTABLE)
		return NC_FAIL("spawn of a text file did not give BAD_EXECUTABLE");
	if (nc_sys_process_wait(12345, &v, NC_SYS_TIMEOUT_INFINITE, &v) != NC_SYS_ERR_NO_CHILD)
		return NC_FAIL("wait for a stranger did not give NO_CHILD");
	if (nc_sys_process_kill(1) != NC_SYS_ERR_NO_CHILD)
		return NC_FAIL("killing init (not a child) did not give NO_CHILD");
	return true;
}

const nc_test_case_t ut_fault_tests[] = {
	{ "fault.null_read", t_null_read }, { "fault.null_write", t_null_write },
	{ "fault.stack_overflow", t_stack_overflow }, { "fault.ud2", t_ud2 },
	{ "fault.divide_by_zero", t_divide }, { "fault.privileged_instruction", t_privileged },
	{ "fault.noncanonical_address", t_noncanonical }, { "isolation.kernel_read", t_kernel_read },
	{ "isolation.kernel_write", t_kernel_write }, { "isolation.direct_map_read", t_direct_map_read },
	{ "isolation.write_own_text", t_write_text }, { "isolation.execute_data", t_exec_data },
	{ "isolation.other_process_memory", t_other_process_memory },
	{ "syscall.bad_pointers", t_syscall_bad_pointers },
	{ "syscall.bad_arguments", t_syscall_bad_arguments }, { NULL, NULL },
};
