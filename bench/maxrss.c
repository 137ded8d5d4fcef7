/*
 * Run a command and write its peak resident set size, in kB, to a file:
 *
 *     maxrss FILE COMMAND [ARG]...
 *
 * The figure is the largest VmHWM (/proc/PID/status) of the command's
 * processes and of every process they fork, each read just before the
 * process execs another program (a CGI script: the handler's own peak) and
 * when it exits. wait4's ru_maxrss is no good here: the kernel reads it
 * from its per-CPU counters without summing them, so a process of a few
 * dozen kB reads as 0, and it also keeps the parent's size from before the
 * exec. The process tree is followed with ptrace, stopping at system calls.
 * The command's exit status is passed on.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static long peak_kb;

static void sample(pid_t pid)
{
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, "VmHWM:", 6) == 0) {
			long kb = strtol(line + 6, NULL, 10);

			if (kb > peak_kb)
				peak_kb = kb;
			break;
		}
	fclose(f);
}

int main(int argc, char **argv)
{
	pid_t child;
	int status, exit_status = 111;
	int launched = 0;   /* has the child made its own execvp of COMMAND? */

	if (argc < 3)
		return 2;
	child = fork();
	if (child < 0)
		return 111;
	if (child == 0) {
		if (ptrace(PTRACE_TRACEME, 0, 0, 0) != 0)
			_exit(111);
		raise(SIGSTOP);
		execvp(argv[2], argv + 2);
		_exit(127);
	}
	if (waitpid(child, &status, 0) != child || !WIFSTOPPED(status))
		return 111;
	if (ptrace(PTRACE_SETOPTIONS, child, 0,
		   PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXIT | PTRACE_O_TRACEFORK |
		   PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE | PTRACE_O_EXITKILL) != 0)
		return 111;
	ptrace(PTRACE_SYSCALL, child, 0, 0);

	/* Bounded by the processes' own lifetimes: every stop is resumed. */
	for (;;) {
		pid_t pid = waitpid(-1, &status, __WALL);
		int sig = 0;

		if (pid < 0)
			break;
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (pid == child)
				exit_status = WIFEXITED(status) ? WEXITSTATUS(status)
								: 128 + WTERMSIG(status);
			continue;
		}
		if (!WIFSTOPPED(status))
			continue;
		if (WSTOPSIG(status) == (SIGTRAP | 0x80)) {
			struct __ptrace_syscall_info info;

			if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof info, &info) > 0 &&
			    info.op == PTRACE_SYSCALL_INFO_ENTRY &&
			    (info.entry.nr == SYS_execve || info.entry.nr == SYS_execveat)) {
				/* the first is this program's copy starting COMMAND */
				if (pid != child || launched)
					sample(pid);
				if (pid == child)
					launched = 1;
			}
		} else if (status >> 8 == (SIGTRAP | PTRACE_EVENT_EXIT << 8)) {
			sample(pid);
		} else if (WSTOPSIG(status) != SIGTRAP && WSTOPSIG(status) != SIGSTOP) {
			sig = WSTOPSIG(status);   /* a real signal: deliver it */
		}
		ptrace(PTRACE_SYSCALL, pid, 0, sig);
	}
	FILE *f = fopen(argv[1], "w");
	if (!f || fprintf(f, "%ld\n", peak_kb) < 0 || fclose(f) != 0)
		return 111;
	return exit_status;
}
