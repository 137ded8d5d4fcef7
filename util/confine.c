#include "confine.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ascii.h"
#include "config-build.h"
#include "status.h"
#include "text.h"

#if HAVE_OPENAT2_H
#include <linux/openat2.h>
#else
/* musl's headers do not carry the kernel's; the ABI is fixed. */
struct open_how {
	unsigned long long flags, mode, resolve;
};
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_NO_SYMLINKS 0x04
#define RESOLVE_BENEATH 0x08
#endif
#ifndef SYS_openat2
#define SYS_openat2 437
#endif

/* open(2) as the kernel has it: musl's follows an O_CLOEXEC open with an
 * fcntl for kernels older than 2.6.23, a system call per open here. */
static int open_direct(const char *path, int flags)
{
	return (int)syscall(SYS_openat, AT_FDCWD, path, flags, 0);
}

static int open_beneath(int root_fd, const char *path, int flags,
			unsigned long long resolve)
{
	struct open_how how = {
		.flags = (unsigned long long)flags,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | resolve,
	};
	return (int)syscall(SYS_openat2, root_fd, path, &how, sizeof how);
}

/* "/proc/self/fd/N", the link to what fd is open on. */
#define PROC_FD_MAX (sizeof "/proc/self/fd/" - 1 + TEXT_DECIMAL_MAX)
static void proc_fd(char link[PROC_FD_MAX], int fd)
{
	static const char prefix[] = "/proc/self/fd/";
	memcpy(link, prefix, sizeof prefix - 1);
	text_decimal(link + sizeof prefix - 1, fd < 0 ? 0 : fd);
}

/* The real path of an open fd, through /proc. */
static int fd_path(int fd, char *buf, size_t cap)
{
	char link[PROC_FD_MAX];
	proc_fd(link, fd);
	ssize_t n = readlink(link, buf, cap - 1);
	if (n < 0 || (size_t)n >= cap - 1)
		return -1;
	buf[n] = '\0';
	return 0;
}

bool confine_path_within(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	if (n == 1 && dir[0] == '/')
		return path[0] == '/';
	return ascii_starts_with(path, dir) && (path[n] == '\0' || path[n] == '/');
}

int confine_root_open(struct confine_root *root, const char *dir)
{
	root->fd = open_direct(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	root->dir = dir;
	root->path = &root->path_storage;
	root->path->known = false;
	return root->fd < 0 ? -1 : 0;
}

/* The readlink is paid only by the requests that compare real paths. */
static const struct confine_root_path *learnt(const struct confine_root *root)
{
	struct confine_root_path *p = root->path;
	if (!p->known) {
		p->verifiable = fd_path(root->fd, p->real, sizeof p->real) == 0;
		if (!p->verifiable && realpath(root->dir, p->real) == NULL)
			snprintf(p->real, sizeof p->real, "%s", root->dir);
		p->known = true;
	}
	return p;
}

const char *confine_root_real(const struct confine_root *root)
{
	return learnt(root)->real;
}

bool confine_root_verifiable(const struct confine_root *root)
{
	return learnt(root)->verifiable;
}

void confine_root_replace(struct confine_root *root, int fd, const char *dir,
			  const char *real)
{
	bool verifiable = confine_root_verifiable(root);
	close(root->fd);
	root->fd = fd;
	root->dir = dir;
	snprintf(root->path->real, sizeof root->path->real, "%s", real);
	root->path->verifiable = verifiable;
	root->path->known = true;
}

/* Follows the path as open(2) would, then proves the result is the root or
 * below it. O_PATH first, so that nothing outside is ever opened for
 * reading, not even a device. */
static int open_verified(const struct confine_root *root, const char *path,
			 int flags, int *fd, const char **why)
{
	int probe = openat(root->fd, path, O_PATH | O_CLOEXEC);
	if (probe < 0) {
		*why = "cannot open path";
		return status_from_errno(errno);
	}
	char real[REAL_PATH_MAX];
	if (!confine_root_verifiable(root) || fd_path(probe, real, sizeof real) < 0) {
		close(probe);
		*why = "cannot verify path (is /proc mounted?)";
		return STATUS_FORBIDDEN;
	}
	if (!confine_path_within(real, root->path->real)) {
		close(probe);
		*why = "symlink leads outside the root";
		return STATUS_FORBIDDEN;
	}
	char again[PROC_FD_MAX];
	proc_fd(again, probe);
	*fd = open_direct(again, flags);
	int err = errno;
	close(probe);
	if (*fd < 0) {
		*why = "cannot open path";
		return status_from_errno(err);
	}
	return 0;
}

int confine_open(const struct confine_root *root, const char *path, int flags,
		 int *fd, const char **why)
{
	/* openat2 refuses O_NOCTTY beside O_PATH (EINVAL), and needs none. */
	flags |= O_CLOEXEC | ((flags & O_PATH) ? 0 : O_NOCTTY);
	*fd = open_beneath(root->fd, path, flags, 0);
	if (*fd >= 0)
		return 0;
	/* ENOSYS: a kernel before 5.6; EPERM: a seccomp filter that does
	 * not know openat2 (open(2) never says EPERM for our flags). EXDEV:
	 * a symlink on the way is absolute or climbs out; it may still land
	 * inside, so look. */
	if (errno == ENOSYS || errno == EPERM || errno == EXDEV)
		return open_verified(root, path, flags, fd, why);
	*why = errno == ENOENT || errno == ENOTDIR ? "file not found" :
		"cannot open path";
	return status_from_errno(errno);
}

/* The file behind an O_PATH fd, opened anew with flags: the same inode
 * through /proc's link, else (no /proc) by its path again, accepted only
 * if it is still the same inode. */
int confine_reopen(const struct confine_root *root, const char *path,
		   int path_fd, const struct stat *st, int flags, int *fd,
		   const char **why)
{
	char link[PROC_FD_MAX];
	proc_fd(link, path_fd);
	*fd = open_direct(link, flags | O_CLOEXEC | O_NOCTTY);
	if (*fd >= 0)
		return 0;
	if (errno != ENOENT) {
		*why = "cannot open path";
		return status_from_errno(errno);
	}
	int status = confine_open(root, path, flags, fd, why);
	if (status)
		return status;
	struct stat again;
	if (fstat(*fd, &again) != 0 || again.st_dev != st->st_dev ||
	    again.st_ino != st->st_ino) {
		close(*fd);
		*fd = -1;
		*why = "file changed while it was opened";
		return STATUS_FORBIDDEN;
	}
	return 0;
}

/* The usual request, a regular file or a directory with no symlink on
 * its way, in three calls rather than the four of an O_PATH open and a
 * reopen: its type is asked first (fstatat, which may follow symlinks,
 * but only the answer "regular" or "directory" is used), so a FIFO or a
 * device is still never opened for reading, then it is opened beneath
 * the root without symlinks, and the fd must be that same inode. Anything
 * else (not found, a symlink, a race) is left to the careful way. */
static bool open_usual(const struct confine_root *root, const char *path,
		       int *fd, struct stat *st)
{
	struct stat before;
	if (path[0] == '\0' ||
	    fstatat(root->fd, path, &before, AT_SYMLINK_NOFOLLOW) != 0 ||
	    !(S_ISREG(before.st_mode) || S_ISDIR(before.st_mode)))
		return false;
	int flags = S_ISDIR(before.st_mode) ? O_RDONLY | O_DIRECTORY :
		O_RDONLY | O_NONBLOCK;
	int opened = open_beneath(root->fd, path, flags | O_NOCTTY | O_CLOEXEC,
				  RESOLVE_NO_SYMLINKS);
	if (opened < 0)
		return false;
	if (fstat(opened, st) == 0 && st->st_dev == before.st_dev &&
	    st->st_ino == before.st_ino &&
	    (st->st_mode & S_IFMT) == (before.st_mode & S_IFMT)) {
		*fd = opened;
		return true;
	}
	close(opened);
	memset(st, 0, sizeof *st);
	return false;
}

int confine_open_readable(const struct confine_root *root, const char *path,
			  int *fd, struct stat *st, bool *symlink_free,
			  const char **why)
{
	int path_fd;
	*fd = -1;
	memset(st, 0, sizeof *st);
	if (open_usual(root, path, fd, st)) {
		*symlink_free = true;
		return 0;
	}
	/* Most paths cross no symlink, and then what the URL says of them is
	 * what the kernel reached: said so, it saves the real-path checks. */
	path_fd = open_beneath(root->fd, path, O_PATH | O_CLOEXEC,
			       RESOLVE_NO_SYMLINKS);
	*symlink_free = path_fd >= 0;
	int status = 0;
	if (path_fd < 0 && errno != ENOENT && errno != ENOTDIR)
		status = confine_open(root, path, O_PATH, &path_fd, why);
	else if (path_fd < 0) {
		*why = "file not found";
		status = STATUS_NOT_FOUND;
	}
	if (status)
		return status;
	if (fstat(path_fd, st) != 0) {
		int err = errno;
		close(path_fd);
		*why = "cannot stat file";
		return status_from_errno(err);
	}
	if (S_ISREG(st->st_mode) || S_ISDIR(st->st_mode))
		status = confine_reopen(root, path, path_fd, st,
				S_ISDIR(st->st_mode) ? O_RDONLY | O_DIRECTORY :
				O_RDONLY | O_NONBLOCK, fd, why);
	else {
		*why = "not a regular file";
		status = STATUS_FORBIDDEN;
	}
	close(path_fd);
	return status;
}

int confine_dir_symlink_free(const struct confine_root *root, const char *path)
{
	int fd = open_beneath(root->fd, path, O_PATH | O_DIRECTORY | O_CLOEXEC,
			      RESOLVE_NO_SYMLINKS);
	if (fd >= 0) {
		close(fd);
		return 1;
	}
	return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
}

int confine_relative_path(const struct confine_root *root, int fd, char *buf,
			  size_t cap)
{
	char real[REAL_PATH_MAX];
	if (!confine_root_verifiable(root) || fd_path(fd, real, sizeof real) < 0 ||
	    !confine_path_within(real, root->path->real))
		return -1;
	size_t n = strcmp(root->path->real, "/") == 0 ? 0 :
		strlen(root->path->real);
	if (strlen(real + n) >= cap)
		return -1;
	strcpy(buf, real + n);
	return 0;
}
