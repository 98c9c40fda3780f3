/* The page's C program with the parent waiting for its child (erratum E-fork-orphan).
 * Unchanged otherwise. Without wait(), the parent may exit before the child calls getppid(),
 * and the child then reports the process that adopted it instead of its parent. */
#include <unistd.h>
#include <stdio.h>
#include <sys/wait.h>   /* lab: corrected */

int main(int argc, char const *argv[])
{
    int pid;
    pid = fork();    // 使用 fork 函数

    if (pid < 0) {
        printf("Fail to create process\n");
    }
    else if (pid == 0) {
        printf("I am child process (%d) and my parent is (%d)\n", getpid(), getppid());
    }
    else {
        printf("I (%d) just created a child process (%d)\n", getpid(), pid);
        fflush(stdout);   /* lab: corrected */
        wait(NULL);       /* lab: corrected */
    }
    return 0;
}
