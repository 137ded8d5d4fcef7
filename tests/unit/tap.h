/* A few lines of TAP for the C unit tests: plan at the end, one "ok"/"not ok"
 * per check, exit status 1 if any failed. Header-only. */
#ifndef CGIHANDLERD_TAP_H
#define CGIHANDLERD_TAP_H

#include <stdarg.h>
#include <stdio.h>

static unsigned tap_count, tap_failed;

__attribute__((format(printf, 2, 3)))
static int tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;
	printf("%s %u - ", cond ? "ok" : "not ok", ++tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond)
		tap_failed++;
	return cond;
}

/* Test input in a diagnostic: printable ASCII as is, the rest \xNN, cut
 * after 120 bytes. */
__attribute__((unused))
static void print_escaped(const char *s, size_t n)
{
	for (size_t i = 0; i < n && i < 120; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '\\')
			putchar(c);
		else
			printf("\\x%02x", c);
	}
	if (n > 120)
		printf("...(%zu bytes)", n);
}

static int tap_done(void)
{
	printf("1..%u\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif
