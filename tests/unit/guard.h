/* Places test input at the very end of a mapped page, followed by an
 * unmapped page, so that a parser reading one byte too far faults instead
 * of passing by luck. Header-only. */
#ifndef CGIHANDLERD_GUARD_H
#define CGIHANDLERD_GUARD_H

#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* A fault while armed jumps back to the sigsetjmp(fault_env, 1) of the
 * case under test, so that one bad case is one "not ok" and the rest
 * still run. */
static sigjmp_buf fault_env;
static volatile sig_atomic_t armed; /* fault_env is live */

static void on_fault(int sig)
{
	if (!armed) {
		signal(sig, SIG_DFL);
		return;
	}
	armed = 0;
	siglongjmp(fault_env, sig);
}

__attribute__((unused))
static void catch_faults(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fault;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
}

struct guarded {
	char *map;
	size_t map_len;
	char *data;
};

/* Copies src[0..len) so that its last byte is the last byte of a page. */
static char *guard_copy(struct guarded *g, const void *src, size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t pages = (len + page - 1) / page + 1;
	g->map_len = (pages + 1) * page;
	g->map = mmap(NULL, g->map_len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g->map == MAP_FAILED)
		return NULL;
	mprotect(g->map + pages * page, page, PROT_NONE);
	g->data = g->map + pages * page - len;
	memcpy(g->data, src, len);
	return g->data;
}

static void guard_free(struct guarded *g)
{
	munmap(g->map, g->map_len);
}

#endif
