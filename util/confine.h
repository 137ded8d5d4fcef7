/* Opening a path beneath the document root and nowhere else. The kernel
 * enforces it with openat2(RESOLVE_BENEATH); where that is missing, or a
 * symlink needs it, the opened file's real path is checked instead. Does
 * file-system I/O only. */
#ifndef CGIHANDLERD_CONFINE_H
#define CGIHANDLERD_CONFINE_H

#include <stddef.h>

/* Opens path (relative, no "..", as url_path.fs) beneath root_fd with
 * flags (O_CLOEXEC and O_NOCTTY added). Returns 0 with *fd set, or an HTTP
 * status with *why set. */
int confine_open(int root_fd, const char *path, int flags, int *fd,
		 const char **why);

/* The real path of an open fd, as the kernel resolved it (through /proc).
 * Returns 0, or -1 when it cannot be told. */
int confine_real_path(int fd, char *buf, size_t cap);

/* The path of fd below root, a real path from confine_real_path ("" for
 * the root itself, else starting with '/'). Returns 0, or -1 when it
 * cannot be told or lies outside. */
int confine_relative_path(const char *root, int fd, char *buf, size_t cap);

#endif
