/* Address-space rules of MemMap and ShmMap (issue 24, item 7): a MemMap
 * that lets the kernel choose never lands on (and so never replaces) a
 * mapping made at a fixed address, and the last user page below the
 * canonical hole is never mapped (sysret could otherwise return to a
 * non-canonical rip). */
#include "ut_sys.h"

enum { PAGE = 4096 };
#define USER_TOP 0x0000800000000000ull
#define LAST_PAGE (USER_TOP - PAGE)

static const uint64_t rw = NC_SYS_PROT_READ | NC_SYS_PROT_WRITE;

/* The kernel picks MemMap addresses upward with an unmapped page after each
 * mapping, so after a one-page map at a the next pick would be a + 2 pages:
 * map a page there first, at a fixed address, and mark it. */
static bool t_null_hint_never_replaces(void)
{
	uint64_t a, fixed, b, c;
	NC_EXPECT_SYS(nc_sys_mem_map(0, PAGE, rw, &a), NC_SYS_OK);
	uint64_t next = a + 2 * PAGE;
	NC_EXPECT_SYS(nc_sys_mem_map(next, PAGE, rw, &fixed), NC_SYS_OK);
	NC_REQUIRE(fixed == next);
	*(volatile uint64_t *)fixed = 0x5a5a5a5a;
	NC_EXPECT_SYS(nc_sys_mem_map(0, PAGE, rw, &b), NC_SYS_OK);
	NC_REQUIRE(b != fixed);
	NC_REQUIRE(*(volatile uint64_t *)fixed == 0x5a5a5a5a);
	/* a longer one whose pick would cover the fixed page in its middle */
	uint64_t next2 = b + 2 * PAGE;
	NC_EXPECT_SYS(nc_sys_mem_map(next2 + 2 * PAGE, PAGE, rw, &fixed), NC_SYS_OK);
	*(volatile uint64_t *)fixed = 0xa5a5a5a5;
	NC_EXPECT_SYS(nc_sys_mem_map(0, 4 * PAGE, rw, &c), NC_SYS_OK);
	NC_REQUIRE(c + 4 * PAGE <= fixed || c > fixed);
	NC_REQUIRE(*(volatile uint64_t *)fixed == 0xa5a5a5a5);
	NC_REQUIRE(*(volatile uint64_t *)(c + 2 * PAGE) == 0);
	NC_EXPECT_SYS(nc_sys_mem_unmap(a, PAGE), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_mem_unmap(next, PAGE), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_mem_unmap(b, PAGE), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_mem_unmap(fixed, PAGE), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_mem_unmap(c, 4 * PAGE), NC_SYS_OK);
	return true;
}

static bool t_last_page_never_mapped(void)
{
	uint64_t out, h;
	NC_EXPECT_SYS(nc_sys_mem_map(LAST_PAGE, PAGE, rw, &out), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_mem_map(LAST_PAGE - PAGE, 2 * PAGE, rw, &out), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_mem_map(LAST_PAGE, PAGE, NC_SYS_PROT_READ | NC_SYS_PROT_EXEC, &out), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_mem_map(LAST_PAGE - PAGE, PAGE, rw, &out), NC_SYS_OK); /* the page below is fine */
	NC_EXPECT_SYS(nc_sys_mem_unmap(out, PAGE), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_shm_create(PAGE, &h), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_shm_map(h, LAST_PAGE, 0, PAGE, NC_SYS_PROT_READ, &out), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_handle_close(h), NC_SYS_OK);
	return true;
}

const nc_test_case_t ut_mem_tests[] = {
	{ "mem.null_hint_never_replaces_a_fixed_mapping", t_null_hint_never_replaces },
	{ "mem.last_user_page_is_never_mapped", t_last_page_never_mapped },
	{ NULL, NULL },
};
