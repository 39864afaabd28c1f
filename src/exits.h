/* exits.h — the exit statuses of every gradlab program, by name: the lab
 * programs, the instructors' tools, and the processes they start. The
 * gradcheck program (gradcheck/main.c) uses the same values for the same
 * meanings: 0 all passed, 1 a check failed, 2 bad usage, and 77 from a stub
 * (gradcheck.h's GC_EXIT_NOT_IMPLEMENTED). */
#ifndef GRADLAB_EXITS_H
#define GRADLAB_EXITS_H

enum {
    GL_EXIT_DONE = 0,             /* done: every check passed, the run finished */
    GL_EXIT_FAILED = 1,           /* a check failed, a loss became NaN or a layer singular;
                                     grade: the results could not be written */
    GL_EXIT_USAGE = 2,            /* bad usage or input (a flag, a file, a table): one line
                                     on stderr says what */
    GL_EXIT_NO_MEMORY = 3,        /* memory ran out (never mistaken for a diverging loss) */
    GL_EXIT_REGRADE = 4,          /* grade: results written, but the grader failed on part of
                                     the submission (not the student's doing): grade it again */
    GL_EXIT_GRADER_GONE = 5,      /* grade-probe: the grader stopped asking mid-request */
    GL_EXIT_NOT_IMPLEMENTED = 77, /* a stub of the student release was reached */
    GL_EXIT_NO_SANDBOX = 126,     /* a sandboxed child whose sandbox could not be set up */
    GL_EXIT_NO_EXEC = 127,        /* a child whose program could not be started */
};

#endif
