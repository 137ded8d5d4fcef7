/*
 * The floor: the least a fork-and-exec-per-connection HTTP server can do.
 * Read the request head from fd 0 until the empty line (or EOF), write one
 * fixed HTTP/1.1 200 response (a 100-byte body) with Connection: close to
 * fd 1, exit.
 *
 * No stdio, no allocation, no parsing: whatever this costs per request is
 * the cost of the process itself (fork and exec in the superserver, the
 * loader, libc start-up, exit). bench/run builds it twice, dynamically
 * against glibc and statically with musl, and reports every other binary
 * as a ratio to the static one.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

static const char response[] =
	"HTTP/1.1 200 OK\r\n"
	"Content-Type: text/plain\r\n"
	"Content-Length: 100\r\n"
	"Connection: close\r\n"
	"\r\n"
	/* a 100-byte body, the size of bench/run's smallest file */
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n";

/* Has the head ended? Only the last bytes read can complete "\r\n\r\n",
 * so search from a little before them. */
static int head_ended(const char *buf, size_t len, size_t from)
{
	static const char end[] = "\r\n\r\n";
	size_t i = from >= 3 ? from - 3 : 0;

	for (; i + 4 <= len; i++)
		if (memcmp(buf + i, end, 4) == 0)
			return 1;
	return 0;
}

int main(void)
{
	char buf[16384];
	size_t len = 0;

	while (len < sizeof buf) {
		ssize_t n = read(0, buf + len, sizeof buf - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (head_ended(buf, len, len - (size_t)n))
			break;
	}
	for (size_t off = 0; off < sizeof response - 1;) {
		ssize_t n = write(1, response + off, sizeof response - 1 - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 1;
		off += (size_t)n;
	}
	return 0;
}
