/* Fuzzes guess_type: any name gives a non-NULL "type/subtype" of token
 * characters, and a directory in front of the name changes nothing
 * (posixpath.splitext stops at the last '/'). The input is a file name. */
#include <stdbool.h>

#include "fuzz.h"
#include "mime.h"

static bool is_tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static void check_type(const char *type, const char *name)
{
	CHECK(type != NULL, "NULL for '%s'", name);
	const char *slash = strchr(type, '/');
	CHECK(slash != NULL && slash > type && slash[1] != '\0' &&
	      strchr(slash + 1, '/') == NULL, "type '%s' for '%s'", type, name);
	for (const char *p = type; *p; p++)
		CHECK(p == slash || is_tchar((unsigned char)*p),
		      "byte 0x%02x in type '%s'", (unsigned char)*p, type);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *name = fuzz_string(data, size);
	const char *type = guess_type(name);
	check_type(type, name);

	size_t n = strlen(name);
	char *in_dir = malloc(n + 5);
	memcpy(in_dir, "d.x/", 4);
	memcpy(in_dir + 4, name, n + 1);
	const char *again = guess_type(in_dir);
	CHECK(again != NULL && strcmp(type, again) == 0,
	      "'%s' is %s, '%s' is %s", name, type, in_dir, again);
	free(in_dir);
	free(name);
	return 0;
}
