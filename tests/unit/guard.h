/* Places test input at the very end of a mapped page, followed by an
 * unmapped page, so that a parser reading one byte too far faults instead
 * of passing by luck. Header-only. */
#ifndef CGIHANDLERD_GUARD_H
#define CGIHANDLERD_GUARD_H

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

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
