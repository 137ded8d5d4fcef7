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

/* The path of fd below the root's real path ("" for the root itself, else
 * starting with '/'), as the kernel resolved it. Returns 0, or -1 when it
 * cannot be told (no /proc) or lies outside. */
int confine_relative_path(int root_fd, int fd, char *buf, size_t cap);

#endif
