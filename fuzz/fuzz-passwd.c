/* Fuzzes the script user's lookup in /etc/passwd: passwd_search on any
 * text against a model written apart (the first line of the name decides:
 * found with its fields exactly when it is seven fields with decimal ids
 * below (uid_t)-1 and no NUL), the text cut at a random place as a read
 * cuts it, and passwd_read of the same bytes through a memfd with a random
 * buffer size. The input's first line is the name, the rest the file;
 * its first byte also picks the sizes. */
#include <stdbool.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "passwd.h"

/* What passwd_search must say, worked out the slow way. */
static enum passwd_result model(const char *text, size_t len, const char *name,
				unsigned long long *uid, unsigned long long *gid,
				size_t *home_at, size_t *home_len, size_t *line_end)
{
	size_t name_len = strlen(name);
	if (name_len == 0 || name[0] == '+' || name[0] == '-')
		return PASSWD_UNSURE;
	for (size_t i = 0; i < name_len; i++)
		if (name[i] == ':' || name[i] == '\n')
			return PASSWD_UNSURE;
	size_t start = 0;
	while (start < len) {
		size_t end = start;
		while (end < len && text[end] != '\n')
			end++;
		bool named = end - start > name_len &&
			memcmp(text + start, name, name_len) == 0 &&
			text[start + name_len] == ':';
		if (named) {
			*line_end = end;
			size_t colon[6], n = 0;
			for (size_t i = start; i < end; i++) {
				if (text[i] == '\0')
					return PASSWD_UNSURE;
				if (text[i] == ':') {
					if (n == 6)
						return PASSWD_UNSURE;
					colon[n++] = i;
				}
			}
			if (n != 6)
				return PASSWD_UNSURE;
			unsigned long long *id[2] = { uid, gid };
			for (int f = 0; f < 2; f++) {
				size_t from = colon[1 + f] + 1, to = colon[2 + f];
				if (to == from || to - from > 10)
					return PASSWD_UNSURE;
				*id[f] = 0;
				for (size_t i = from; i < to; i++) {
					if (text[i] < '0' || text[i] > '9')
						return PASSWD_UNSURE;
					*id[f] = *id[f] * 10 + (unsigned)(text[i] - '0');
				}
				if (*id[f] >= 0xffffffffULL)
					return PASSWD_UNSURE;
			}
			*home_at = colon[4] + 1;
			*home_len = colon[5] - colon[4] - 1;
			return PASSWD_FOUND;
		}
		start = end + 1;
	}
	return PASSWD_ABSENT;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *newline = memchr(data, '\n', size);
	if (newline == NULL || newline - data > 64)
		return 0;
	char name[65];
	size_t name_len = (size_t)(newline - data);
	memcpy(name, data, name_len);
	name[name_len] = '\0';
	if (strlen(name) != name_len)
		return 0;                   /* a NUL in the name: not a C string */
	size_t len = size - name_len - 1;
	/* An exact-size copy: a read one byte past the text is caught. */
	char *text = malloc(len ? len : 1);
	if (text == NULL)
		return 0;
	memcpy(text, newline + 1, len);

	unsigned long long uid = 0, gid = 0;
	size_t home_at = 0, home_len = 0, line_end = len, used;
	enum passwd_result want = model(text, len, name, &uid, &gid, &home_at, &home_len,
					&line_end);
	struct passwd_entry e;
	enum passwd_result got = passwd_search(text, len, true, name, &e, &used);
	CHECK(got == want, "passwd_search %d, the model %d", got, want);
	CHECK(used <= len, "used %zu of %zu", used, len);
	if (got == PASSWD_FOUND)
		CHECK(e.uid == uid && e.gid == gid && e.home == text + home_at &&
		      e.home_len == home_len, "entry %u:%u home at %td (%zu), the model "
		      "%llu:%llu at %zu (%zu)", (unsigned)e.uid, (unsigned)e.gid,
		      e.home - text, e.home_len, uid, gid, home_at, home_len);
	if (got == PASSWD_ABSENT)
		CHECK(used == len, "absent after %zu of %zu", used, len);

	/* Cut where a read might: only whole lines are looked at. */
	uint64_t seed = size;
	size_t cut = len ? (size_t)(fuzz_rand(&seed) % (len + 1)) : 0;
	enum passwd_result part = passwd_search(text, cut, false, name, &e, &used);
	CHECK(used <= cut && (used == 0 || text[used - 1] == '\n'),
	      "cut at %zu: used %zu, not a line's end", cut, used);
	if (part == PASSWD_ABSENT)
		CHECK(memchr(text + used, '\n', cut - used) == NULL &&
		      (want == PASSWD_ABSENT || line_end >= cut),
		      "cut at %zu: a whole line past used %zu, or the name's missed",
		      cut, used);
	else
		CHECK(part == want, "cut at %zu: %d, the whole text %d", cut, part, want);

	/* The same bytes as a file read through a buffer of 1 to 256 bytes:
	 * the same answer, or UNSURE where a line did not fit. */
	int fd = memfd_create("passwd", 0);
	if (fd >= 0) {
		char buf[256];
		size_t cap = 1 + (size ? data[0] : 0);
		if (write(fd, text, len) == (ssize_t)len && lseek(fd, 0, SEEK_SET) == 0) {
			enum passwd_result from_file = passwd_read(fd, name, buf, cap, &e);
			CHECK(from_file == want || from_file == PASSWD_UNSURE,
			      "passwd_read (buffer %zu) %d, the model %d", cap, from_file, want);
			if (from_file == PASSWD_FOUND)
				CHECK(e.uid == uid && e.gid == gid && e.home_len == home_len &&
				      memcmp(e.home, text + home_at, home_len) == 0 &&
				      e.home >= buf && e.home + e.home_len <= buf + cap,
				      "passwd_read (buffer %zu): another entry", cap);
			if (cap > len)
				CHECK(from_file == want, "passwd_read, the whole text in "
				      "the buffer: %d, the model %d", from_file, want);
		}
		close(fd);
	}
	free(text);
	return 0;
}
