/* text.h against snprintf, whose truncation it stands in for: every
 * split of short strings into every buffer size from 1 up, and a source
 * read no further than its NUL or the bound given (guarded pages). */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "guard.h"
#include "tap.h"
#include "text.h"

static void check_against_snprintf(void)
{
	static const char *const words[] = { "", "a", "ab", "/proc/self/cwd/",
					     "hello-c", "x?y=1" };
	const size_t n_words = sizeof words / sizeof words[0];
	unsigned long cases = 0, wrong = 0;
	for (size_t i = 0; i < n_words; i++) {
		for (size_t j = 0; j < n_words; j++) {
			for (size_t cap = 1; cap < 28; cap++, cases++) {
				char mine[32], theirs[32];
				memset(mine, '#', sizeof mine);
				memset(theirs, '#', sizeof theirs);
				size_t len = text_join(mine, cap, words[i], words[j]);
				snprintf(theirs, cap, "%s%s", words[i], words[j]);
				char copy[32], alone[32];
				size_t copied = text_copy(copy, cap, words[j]);
				snprintf(alone, cap, "%s", words[j]);
				if (memcmp(mine, theirs, cap) != 0 || len != strlen(theirs) ||
				    mine[cap] != '#' || copied != strlen(alone) ||
				    strcmp(copy, alone) != 0)
					wrong++;
			}
		}
	}
	tap_ok(wrong == 0 && cases > 900, "text_join and text_copy = snprintf's "
	       "\"%%s%%s\" and \"%%s\", every buffer size from 1 (%lu cases, %lu wrong)",
	       cases, wrong);
}

/* A host name is not NUL-terminated where the bound ends: text_append
 * takes n bytes and reads none past them. */
static void check_bounded_source(void)
{
	struct guarded in;
	const char *host = guard_copy(&in, "example.org", 7); /* "example", no NUL */
	char out[16];
	size_t n = host ? text_append(out, sizeof out, 0, host, 7) : 0;
	tap_ok(host != NULL && n == 7 && strcmp(out, "example") == 0,
	       "text_append: 7 bytes of a source with no NUL, read up to its end only");
	guard_free(&in);
	n = text_append(out, sizeof out, 0, "ab\0cd", 5);
	tap_ok(n == 2 && strcmp(out, "ab") == 0, "text_append: stops at a NUL within n");
	int wrong = 0;
	for (size_t cap = 1; cap < 14; cap++) {
		char mine[16], theirs[16];
		memset(mine, '#', sizeof mine);
		size_t got = text_append(mine, cap, 0, "abcdefghijkl", 12);
		snprintf(theirs, cap, "%.*s", 12, "abcdefghijkl");
		if (got != strlen(theirs) || strcmp(mine, theirs) != 0 || mine[cap] != '#')
			wrong++;
	}
	tap_ok(wrong == 0, "text_append: n beyond the room left is cut to it, as "
	       "snprintf's \"%%.*s\" (%d sizes wrong)", wrong);
	n = text_append(out, 4, 3, "xyz", 3);
	tap_ok(n == 3 && out[3] == '\0', "text_append: a full buffer stays as it is, terminated");
}

/* Every power of ten and its neighbours, both signs, and the ends of
 * long long: the same digits as "%lld", NUL-terminated, the length right. */
static void check_decimal(void)
{
	long long values[140];
	size_t n = 0;
	values[n++] = LLONG_MIN;
	values[n++] = LLONG_MAX;
	values[n++] = LLONG_MIN + 1;
	for (long long p = 1; n + 6 <= sizeof values / sizeof *values; p *= 10) {
		values[n++] = p - 1;
		values[n++] = p;
		values[n++] = p + 1;
		values[n++] = -p + 1;
		values[n++] = -p;
		values[n++] = -p - 1;
		if (p > LLONG_MAX / 10)
			break;
	}
	unsigned long wrong = 0;
	for (size_t i = 0; i < n; i++) {
		char mine[TEXT_DECIMAL_MAX + 1], theirs[32];
		memset(mine, '#', sizeof mine);
		size_t len = text_decimal(mine, values[i]);
		int want = snprintf(theirs, sizeof theirs, "%lld", values[i]);
		if (len != (size_t)want || strcmp(mine, theirs) != 0 ||
		    mine[TEXT_DECIMAL_MAX] != '#')
			wrong++;
	}
	tap_ok(wrong == 0 && n > 100, "text_decimal = snprintf's \"%%lld\": %zu values "
	       "from LLONG_MIN to LLONG_MAX, every power of ten (%lu wrong)", n, wrong);
}

int main(void)
{
	check_against_snprintf();
	check_bounded_source();
	check_decimal();
	return tap_done();
}
