/* conditional_evaluate and conditional_if_range against RFC 9110 13.2.2,
 * case by case: each precondition alone, then the precedence between
 * them, and malformed lists and dates. conditional_etag: strong, and new
 * for every change of inode, size or nanosecond. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "conditional.h"
#include "status.h"
#include "tap.h"

#define ET "\"1a-64-5f5e1000.0\""     /* ino 26, size 100, mtime MT */
#define MT 1600000000                 /* Sun, 13 Sep 2020 12:26:40 GMT */
#define AT "Sun, 13 Sep 2020 12:26:40 GMT"
#define BEFORE "Sun, 13 Sep 2020 12:26:39 GMT"
#define AFTER "Sun, 13 Sep 2020 12:26:41 GMT"
#define OK 0
#define NM STATUS_NOT_MODIFIED
#define PF STATUS_PRECONDITION_FAILED

static const struct {
	struct preconditions pc;
	int status;
	const char *name;
} cases[] = {
	/* None: go on. */
	{ { 0 }, OK, "no precondition" },

	/* If-Match alone (strong comparison). */
	{ { .if_match = ET }, OK, "If-Match: the ETag" },
	{ { .if_match = "*" }, OK, "If-Match: *" },
	{ { .if_match = " * " }, OK, "If-Match: * with spaces" },
	{ { .if_match = "\"x\", " ET }, OK, "If-Match: list holding it" },
	{ { .if_match = "\"x\" ,\t" ET " , \"y\"" }, OK, "If-Match: list with OWS" },
	{ { .if_match = "\"x\"" }, PF, "If-Match: another tag" },
	{ { .if_match = "W/" ET }, PF, "If-Match: weak form never matches strongly" },
	{ { .if_match = "" }, PF, "If-Match: empty" },
	{ { .if_match = "1a-64-5f5e1000.0" }, PF, "If-Match: unquoted" },
	{ { .if_match = "\"1a-64-5f5e1000.0" }, PF, "If-Match: unterminated" },
	{ { .if_match = ET "x" }, PF, "If-Match: junk after the tag" },
	{ { .if_match = "*, " ET }, PF, "If-Match: * in a list is no list" },
	{ { .if_match = "\"1A-64-5F5E1000.0\"" }, PF, "If-Match: case differs" },
	{ { .if_match = "\"1a-64-5f5e1000.0 \"" }, PF, "If-Match: space inside" },
	{ { .if_match = "\"1a-64\"-5f5e1000.0\"" }, PF, "If-Match: quote inside" },
	{ { .if_match = "w/" ET }, PF, "If-Match: lower-case w/" },

	/* If-Unmodified-Since alone. */
	{ { .if_unmodified_since = AT }, OK, "IUS: = mtime" },
	{ { .if_unmodified_since = AFTER }, OK, "IUS: after mtime" },
	{ { .if_unmodified_since = BEFORE }, PF, "IUS: before mtime" },
	{ { .if_unmodified_since = "yesterday" }, OK, "IUS: not a date, ignored" },
	{ { .if_unmodified_since = "Sun, 13 Sep 2020 12:26:39 +0100" }, OK,
	  "IUS: not UTC, ignored" },

	/* If-None-Match alone (weak comparison). */
	{ { .if_none_match = ET }, NM, "INM: the ETag" },
	{ { .if_none_match = "W/" ET }, NM, "INM: weak form matches weakly" },
	{ { .if_none_match = "*" }, NM, "INM: *" },
	{ { .if_none_match = "\"a\", \"b\", " ET }, NM, "INM: last of a list" },
	{ { .if_none_match = "\"a\", \"b\"" }, OK, "INM: not in the list" },
	{ { .if_none_match = "" }, OK, "INM: empty" },
	{ { .if_none_match = "," }, OK, "INM: only a comma" },
	{ { .if_none_match = ET ";" }, OK, "INM: junk after the tag" },
	{ { .if_none_match = "W/ " ET }, OK, "INM: space after W/" },
	{ { .if_none_match = "\"\"" }, OK, "INM: empty tag" },
	{ { .if_none_match = "\"\x7f\"" }, OK, "INM: DEL inside" },

	/* If-Modified-Since alone (Python's rule). */
	{ { .if_modified_since = AT }, NM, "IMS: = mtime" },
	{ { .if_modified_since = AFTER }, NM, "IMS: after mtime" },
	{ { .if_modified_since = BEFORE }, OK, "IMS: before mtime" },
	{ { .if_modified_since = "garbage" }, OK, "IMS: not a date" },
	{ { .if_modified_since = "" }, OK, "IMS: empty" },

	/* Precedence (13.2.2): If-Match over IUS, over INM, over IMS. */
	{ { .if_match = ET, .if_unmodified_since = BEFORE }, OK,
	  "step 1 over 2: If-Match true, IUS false ignored" },
	{ { .if_match = "\"x\"", .if_unmodified_since = AFTER }, PF,
	  "step 1 over 2: If-Match false, IUS true" },
	{ { .if_match = "\"x\"", .if_none_match = ET }, PF,
	  "step 1 before 3: If-Match false wins over a 304" },
	{ { .if_match = ET, .if_none_match = ET }, NM,
	  "steps 1, 3: If-Match true, INM matches -> 304" },
	{ { .if_match = ET, .if_none_match = "\"x\"" }, OK,
	  "steps 1, 3: both true" },
	{ { .if_unmodified_since = BEFORE, .if_none_match = ET }, PF,
	  "step 2 before 3: IUS false wins over a 304" },
	{ { .if_unmodified_since = BEFORE, .if_modified_since = AT }, PF,
	  "step 2 before 4: IUS false wins over IMS" },
	{ { .if_unmodified_since = AT, .if_modified_since = AT }, NM,
	  "steps 2, 4: IUS true, IMS -> 304" },
	{ { .if_none_match = "\"x\"", .if_modified_since = AT }, OK,
	  "step 3 over 4: INM false, IMS ignored -> 200" },
	{ { .if_none_match = ET, .if_modified_since = BEFORE }, NM,
	  "step 3 over 4: INM true, IMS would say modified -> 304" },
	{ { .if_none_match = "garbage", .if_modified_since = AT }, OK,
	  "step 3 over 4: a malformed INM still hides IMS" },
	{ { .if_match = "*", .if_unmodified_since = BEFORE,
	    .if_none_match = "*", .if_modified_since = BEFORE }, NM,
	  "all four: * and * -> 304" },
	{ { .if_match = "garbage", .if_none_match = "*" }, PF,
	  "malformed If-Match fails closed" },
	{ { .if_range = "\"x\"" }, OK, "If-Range alone decides nothing here" },
};

static const struct {
	const char *if_range;
	bool honoured;
	const char *name;
} range_cases[] = {
	{ NULL, true, "no If-Range" },
	{ ET, true, "If-Range: the ETag" },
	{ AT, true, "If-Range: the exact date" },
	{ "W/" ET, false, "If-Range: weak tag never" },
	{ "\"x\"", false, "If-Range: another tag" },
	{ AFTER, false, "If-Range: a later date" },
	{ BEFORE, false, "If-Range: an earlier date" },
	{ "", false, "If-Range: empty" },
	{ "garbage", false, "If-Range: neither tag nor date" },
	{ ET ", \"x\"", false, "If-Range: a list" },
	{ "*", false, "If-Range: *" },
	{ "\"1a-64-5f5e1000.0", false, "If-Range: unterminated tag" },
	{ "Sunday, 13-Sep-20 12:26:40 GMT", true, "If-Range: RFC 850 date" },
	{ "Sun, 13 Sep 2020 12:26:40 +0200", false, "If-Range: not UTC" },
};

static void check_etags(void)
{
	struct stat st = { 0 };
	char a[ETAG_MAX], b[ETAG_MAX];
	st.st_ino = 26;
	st.st_size = 100;
	st.st_mtim.tv_sec = MT;
	conditional_etag(&st, a);
	tap_ok(strcmp(a, ET) == 0, "etag: %s", a);
	tap_ok(a[0] == '"' && a[1] != '/', "etag: strong (no W/)");
	st.st_mtim.tv_nsec = 1;
	conditional_etag(&st, b);
	tap_ok(strcmp(a, b) != 0, "etag: one nanosecond later differs (%s)", b);
	st.st_mtim.tv_nsec = 0;
	st.st_size = 101;
	conditional_etag(&st, b);
	tap_ok(strcmp(a, b) != 0, "etag: size changes it");
	st.st_size = 100;
	st.st_ino = 27;
	conditional_etag(&st, b);
	tap_ok(strcmp(a, b) != 0, "etag: inode changes it");
	st.st_ino = (ino_t)-1;
	st.st_size = (off_t)0x7fffffffffffffffLL;
	st.st_mtim.tv_sec = (time_t)0x7fffffffffffffffLL;
	st.st_mtim.tv_nsec = 999999999;
	conditional_etag(&st, b);
	tap_ok(strlen(b) < ETAG_MAX - 1 && b[strlen(b) - 1] == '"',
	       "etag: largest values fit (%zu bytes)", strlen(b));
}

int main(void)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int got = conditional_evaluate(&cases[i].pc, ET, MT);
		if (!tap_ok(got == cases[i].status, "%s", cases[i].name))
			printf("# got %d, want %d\n", got, cases[i].status);
	}
	for (size_t i = 0; i < sizeof range_cases / sizeof range_cases[0]; i++) {
		struct preconditions pc = { .if_range = range_cases[i].if_range };
		tap_ok(conditional_if_range(&pc, ET, MT) == range_cases[i].honoured,
		       "%s", range_cases[i].name);
	}
	check_etags();
	return tap_done();
}
