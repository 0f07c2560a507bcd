/* Creating, renaming and removing files and directories, hard and symbolic
 * links, and the errors POSIX promises for each misuse. `fs_ops strict` adds
 * readlink into a short buffer (POSIX truncates; Node's WASI fails). */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static void show_file(const char* path) {
  char buf[64] = {0};
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    printf("  %s: %s\n", path, errname(errno));
    return;
  }
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  printf("  %s: \"%.*s\"\n", path, (int)(n > 0 ? n : 0), buf);
}

int main(int argc, char** argv) {
  printf("-- directories\n");
  TRY(mkdir("d1", 0755));
  TRY(mkdir("d1", 0755));            /* EEXIST */
  TRY(mkdir("d1/sub", 0755));
  TRY(mkdir("missing/sub", 0755));   /* ENOENT */
  TRY(rmdir("d1"));                  /* ENOTEMPTY */
  TRY(rmdir("d1/sub"));
  TRY(rmdir("d1/sub"));              /* ENOENT */
  write_file("plain", "plain file\n");
  TRY(rmdir("plain"));               /* ENOTDIR */
  TRY(mkdir("plain/x", 0755));       /* ENOTDIR */

  printf("-- files\n");
  TRY(open("new", O_WRONLY | O_CREAT | O_EXCL, 0644));
  TRY(open("new", O_WRONLY | O_CREAT | O_EXCL, 0644)); /* EEXIST */
  TRY(open("absent", O_RDONLY));                        /* ENOENT */
  TRY(open("plain", O_RDONLY | O_DIRECTORY));           /* ENOTDIR */
  TRY(open("d1", O_WRONLY));                            /* EISDIR */
  TRY(unlink("d1"));                                    /* EISDIR */
  TRY(unlink("new"));
  TRY(unlink("new"));                                   /* ENOENT */
  TRY(unlink("plain/"));                                /* ENOTDIR */

  printf("-- rename\n");
  write_file("a.txt", "contents of a\n");
  write_file("b.txt", "contents of b\n");
  TRY(rename("a.txt", "d1/moved.txt"));
  TRY(rename("b.txt", "d1/moved.txt"));                 /* replaces */
  show_file("d1/moved.txt");
  show_file("b.txt");
  TRY(mkdir("d2", 0755));
  TRY(rename("d2", "d1/d2"));
  TRY(rename("d1", "d1/d2/inside"));                    /* EINVAL: into itself */
  TRY(rename("absent", "x"));                           /* ENOENT */
  write_file("d1/d2/f", "f\n");
  TRY(mkdir("d3", 0755));
  TRY(rename("d3", "d1/d2"));                           /* ENOTEMPTY */
  TRY(rename("plain", "d3"));                           /* EISDIR */

  printf("-- links\n");
  TRY(link("d1/moved.txt", "hard"));
  struct stat st;
  CHECK(stat("hard", &st) == 0);
  printf("hard link count: %llu\n", (unsigned long long)st.st_nlink);
  TRY(link("d1", "dirlink"));                           /* EPERM: no hard links to directories */
  TRY(symlink("d1/moved.txt", "soft"));
  TRY(symlink("anything", "soft"));                     /* EEXIST */
  char target[64] = {0};
  ssize_t n = readlink("soft", target, sizeof target - 1);
  printf("readlink soft -> \"%.*s\"\n", (int)n, target);
  if (strict_mode(argc, argv)) {
    n = readlink("soft", target, 4);
    printf("readlink into 4 bytes -> %zd \"%.*s\"\n", n, (int)n, target);
  }
  TRY(readlink("plain", target, sizeof target));        /* EINVAL: not a link */
  show_file("soft");
  CHECK(lstat("soft", &st) == 0);
  printf("lstat soft is a link: %s\n", S_ISLNK(st.st_mode) ? "yes" : "no");
  CHECK(stat("soft", &st) == 0);
  printf("stat soft is a file of %lld bytes\n", (long long)st.st_size);
  TRY(symlink("nowhere", "dangling"));
  show_file("dangling");                                /* ENOENT */
  TRY(open("dangling", O_WRONLY | O_CREAT, 0644));      /* creates the target through the link */
  show_file("nowhere");
  TRY(unlink("soft"));                                  /* removes the link, not the target */
  show_file("d1/moved.txt");
  TRY(rmdir("d3"));
  return 0;
}
