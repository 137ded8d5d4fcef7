/*
 * icount: count the user-mode instructions a program executes, exactly, by
 * single-stepping it with ptrace(2).
 *
 *     icount [-x] -- COMMAND [ARG]...
 *
 * Counting starts at the first instruction of COMMAND (after its execve)
 * and ends when it exits. With -x it ends at the next execve instead (a
 * CGI handler's own share, up to the exec of the script); without -x the
 * count goes on through execs of the same process (handler plus script).
 * Children that COMMAND forks run untraced and are not counted.
 *
 * Prints "instructions N" and, when an exec happened, "exec_at N" on
 * stderr of icount's own (fd 2 is COMMAND's too; the line is the last one
 * icount writes, so callers grep for it). Exits with COMMAND's status.
 *
 * Why not callgrind alone: valgrind 3.19 does not know openat2(2), so under
 * valgrind the handler takes its ENOSYS fallback (O_PATH + /proc checks) and
 * runs a different path than it does for real. Why not perf stat: many VMs
 * expose no hardware counters. Single-stepping runs the real binary on the
 * real kernel; it costs a few microseconds per instruction, which is fine
 * for the ~10^3..10^6 instructions one request takes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int stop_at_exec = 0, i = 1;

	if (i < argc && strcmp(argv[i], "-x") == 0) {
		stop_at_exec = 1;
		i++;
	}
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i >= argc) {
		fprintf(stderr, "usage: icount [-x] -- COMMAND [ARG]...\n");
		return 100;
	}

	pid_t pid = fork();
	if (pid < 0) {
		perror("icount: fork");
		return 111;
	}
	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) != 0) {
			perror("icount: PTRACE_TRACEME");
			_exit(111);
		}
		execvp(argv[i], argv + i);
		perror("icount: exec");
		_exit(111);
	}

	int status;
	/* The stop at the first execve: COMMAND is loaded, nothing has run. */
	if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status)) {
		fprintf(stderr, "icount: child did not stop at exec\n");
		return 111;
	}
	ptrace(PTRACE_SETOPTIONS, pid, NULL,
	       (void *)(long)(PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL));

	unsigned long long count = 0, exec_at = 0;
	int sig = 0, execed = 0;
	for (;;) {
		if (ptrace(PTRACE_SINGLESTEP, pid, NULL, (void *)(long)sig) != 0) {
			perror("icount: PTRACE_SINGLESTEP");
			return 111;
		}
		sig = 0;
		if (waitpid(pid, &status, 0) != pid) {
			perror("icount: waitpid");
			return 111;
		}
		if (WIFEXITED(status) || WIFSIGNALED(status))
			break;
		if (!WIFSTOPPED(status))
			continue;
		if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_EXEC << 8))) {
			exec_at = count;
			execed = 1;
			if (stop_at_exec) {
				ptrace(PTRACE_DETACH, pid, NULL, NULL);
				waitpid(pid, &status, 0);
				break;
			}
			continue;
		}
		if (WSTOPSIG(status) == SIGTRAP)
			count++;                 /* one instruction retired */
		else
			sig = WSTOPSIG(status);  /* pass real signals on */
	}
	if (execed)
		fprintf(stderr, "icount: exec_at %llu\n", exec_at);
	fprintf(stderr, "icount: instructions %llu\n",
		stop_at_exec && execed ? exec_at : count);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
