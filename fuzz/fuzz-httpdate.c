/* Fuzzes HTTP dates: httpdate_parse on any If-Modified-Since value (a
 * result is a real date from 1970 to 9999, taken as written, that formats
 * and parses back to itself), and httpdate_format / httpdate_format_log
 * on any time_t (well-formed dates). The input is a header value; its
 * first eight bytes are also read as a time_t. */
#include <stdbool.h>
#include <strings.h>
#include <time.h>

#include "fuzz.h"
#include "httpdate.h"

/* 9999-12-31T23:59:59Z and 0000-01-01T00:00:00Z: the times an
 * IMF-fixdate can say (four digits of year). */
#define LAST_SECOND 253402300799LL
#define FIRST_SECOND (-62167219200LL)

static const char *const wdays[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

static bool one_of(const char *s, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (strncmp(s, names[i], 3) == 0)
			return true;
	return false;
}

/* n digits from s, within [min, max]. */
static bool number(const char *s, int n, int min, int max)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	return v >= min && v <= max;
}

/* "Sun, 06 Nov 1994 08:49:37 GMT" */
static bool imf_fixdate(const char *d)
{
	return strlen(d) == HTTPDATE_LEN - 1 && one_of(d, wdays, 7) &&
		strncmp(d + 3, ", ", 2) == 0 && number(d + 5, 2, 1, 31) &&
		d[7] == ' ' && one_of(d + 8, months, 12) && d[11] == ' ' &&
		number(d + 12, 4, 0, 9999) && d[16] == ' ' &&
		number(d + 17, 2, 0, 23) && d[19] == ':' &&
		number(d + 20, 2, 0, 59) && d[22] == ':' &&
		number(d + 23, 2, 0, 59) && strcmp(d + 25, " GMT") == 0;
}

/* "06/Nov/1994:08:49:37 +0000" */
static bool log_date(const char *d)
{
	return strlen(d) == 26 && number(d, 2, 1, 31) && d[2] == '/' &&
		one_of(d + 3, months, 12) && d[6] == '/' &&
		number(d + 7, 4, 0, 9999) && d[11] == ':' &&
		number(d + 12, 2, 0, 23) && d[14] == ':' &&
		number(d + 15, 2, 0, 59) && d[17] == ':' &&
		number(d + 18, 2, 0, 59) && strcmp(d + 20, " +0000") == 0;
}

/* Fills the 16 KiB of stack below the stack pointer with 0xff, where the
 * next call's frame will be, so that a struct tm that gmtime_r left unset
 * holds -1s, every run, not whatever was there by chance. Inline asm on
 * x86-64, as a called function's own frame would not cover the slots;
 * elsewhere a best effort. Only from a function that is not a leaf (no
 * red zone in use). */
#if defined(__x86_64__)
#define poison_stack() __asm__ volatile( \
	"lea -16384(%%rsp), %%rdi\n\t" \
	"mov $16384, %%ecx\n\t" \
	"mov $0xff, %%eax\n\t" \
	"rep stosb" ::: "rdi", "rcx", "rax", "memory", "cc")
#else
__attribute__((noinline)) static void poison_stack(void)
{
	volatile char junk[16384];
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (char)0xff;
}
#endif

/* Any time_t gives a well-formed date: a file's mtime is whatever its
 * owner set (tmpfs keeps 64 bits of it). */
static void check_format(time_t t)
{
	char date[HTTPDATE_LEN + 8], log[64];
	memset(date, 'x', sizeof date);
	poison_stack();
	httpdate_format(t, date);
	CHECK(memchr(date, '\0', HTTPDATE_LEN) != NULL, "date not terminated");
	CHECK(date[HTTPDATE_LEN] == 'x', "date overflows");
	CHECK(imf_fixdate(date), "time %lld formats as '%s'", (long long)t, date);
	poison_stack();
	httpdate_format_log(t, log, sizeof log);
	CHECK(memchr(log, '\0', sizeof log) != NULL, "log date not terminated");
	CHECK(log_date(log), "time %lld formats for the log as '%s'",
	      (long long)t, log);
	if (t >= 0 && t <= LAST_SECOND) {
		time_t back;
		CHECK(httpdate_parse(date, &back) == 0 && back == t,
		      "'%s' does not parse back to %lld", date, (long long)t);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	time_t t;
	if (httpdate_parse(s, &t) == 0) {
		CHECK(t >= 0 && t <= LAST_SECOND, "'%s' is %lld", s, (long long)t);
		check_format(t);
		/* A real date, taken as it is: formatting gives the same day,
		 * month, year and time back (no 31 Feb rolled into March). */
		char date[HTTPDATE_LEN];
		httpdate_format(t, date);
		if (strlen(s) == HTTPDATE_LEN - 1 && s[3] == ',')
			CHECK(strncasecmp(s + 5, date + 5, 20) == 0,
			      "'%s' taken as '%s'", s, date);
	}
	free(s);

	long long raw = 0;
	memcpy(&raw, data, size < sizeof raw ? size : sizeof raw);
	check_format((time_t)raw);
	return 0;
}
