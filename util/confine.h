/* Opening a path beneath the document root and nowhere else. The kernel
 * enforces it with openat2(RESOLVE_BENEATH); where that is missing, or a
 * symlink needs it, the opened file's real path is checked instead. Does
 * file-system I/O only. */
#ifndef CGIHANDLERD_CONFINE_H
#define CGIHANDLERD_CONFINE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

/* The longest path the kernel resolves (PATH_MAX), and so the longest real
 * path there is to compare. */
#define REAL_PATH_MAX 4096

/* The document root, opened once at start-up with the facts about it that
 * hold for the whole process. Its real path is learnt on first need
 * (confine_root_real): a static file opened beneath the root without
 * symlinks needs none, and that is most requests. */
struct confine_root_path {
	bool known;                 /* the two below are filled */
	bool verifiable;            /* /proc tells real paths: real is its word */
	char real[REAL_PATH_MAX];   /* the root's real path (by realpath(3)
				     * when /proc cannot tell), "/" included */
};

struct confine_root {
	int fd;                     /* O_PATH|O_DIRECTORY */
	const char *dir;            /* as given, for realpath(3) */
	/* Points at path_storage: the stages that only read the root hold
	 * it const, and learning its real path changes no answer of theirs. */
	struct confine_root_path *path;
	struct confine_root_path path_storage;
};

/* Opens dir as the root. Returns 0, or -1 with errno set. */
int confine_root_open(struct confine_root *root, const char *dir);

/* The root's real path, "/" included; and whether /proc can tell real
 * paths at all (without it, a chroot, the URL checks stand alone). */
const char *confine_root_real(const struct confine_root *root);
bool confine_root_verifiable(const struct confine_root *root);

/* Makes the root dir, whose real path is real (a virtual host's site). */
void confine_root_replace(struct confine_root *root, int fd, const char *dir,
			  const char *real);

/* Opens path (relative, no "..", as url_path.fs) beneath the root with
 * flags (O_CLOEXEC and O_NOCTTY added). Returns 0 with *fd set, or an HTTP
 * status with *why set. */
int confine_open(const struct confine_root *root, const char *path, int flags,
		 int *fd, const char **why);

/* Opens path beneath the root for reading (a directory for listing) if
 * it is a regular file or a directory, and fills *st. Anything else (a
 * FIFO, a device, a socket) is never opened for reading, which would
 * release a FIFO's writer or wake a device: 403. *symlink_free says that
 * no symlink was on the way. Returns 0 with *fd set, or an HTTP status
 * with *why set. */
int confine_open_readable(const struct confine_root *root, const char *path,
			  int *fd, struct stat *st, bool *symlink_free,
			  const char **why);

/* The file behind path_fd (an O_PATH fd of path, whose stat is st)
 * opened anew with flags: the same inode through /proc, else by its path
 * again, accepted only if it is still that inode. Returns 0 with *fd, or
 * an HTTP status with *why. */
int confine_reopen(const struct confine_root *root, const char *path,
		   int path_fd, const struct stat *st, int flags, int *fd,
		   const char **why);

/* 1 when the directory path exists below the root and no symlink is on
 * its way, 0 when there is no such directory, -1 when a symlink is on
 * its way (or it cannot be told). */
int confine_dir_symlink_free(const struct confine_root *root, const char *path);

/* Whether path is dir or below it, as whole components ("/a/bc" is not
 * below "/a/b"); every path is below "/". */
bool confine_path_within(const char *path, const char *dir);

/* The path of fd below the root ("" for the root itself, else starting
 * with '/'). Returns 0, or -1 when it cannot be told or lies outside. */
int confine_relative_path(const struct confine_root *root, int fd, char *buf,
			  size_t cap);

#endif
