/* Prints guess_type() of each argument on a line of its own, for
 * tests/unit/mime-vs-python.py to hold against Python. */
#include <stdio.h>

#include "mime.h"

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (puts(guess_type(argv[i])) == EOF)
			return 1;
	return fflush(stdout) == 0 ? 0 : 1;
}
