/* Directory listing: opendir/readdir/stat recursively, and fd_readdir driven
 * by hand with a tiny buffer so entries are cut and resumed by cookie. */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static int compare(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

static const char* kind(unsigned char t) {
  switch (t) {
    case DT_DIR: return "dir";
    case DT_REG: return "file";
    case DT_LNK: return "link";
    default: return "other";
  }
}

static void list(const char* path, int depth) {
  DIR* d = opendir(path);
  CHECK(d != NULL);
  char* names[256];
  int n = 0;
  struct dirent* e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    CHECK(n < 256);
    names[n] = malloc(strlen(e->d_name) + 2);
    names[n][0] = (char)e->d_type; /* keep the type with the name while sorting */
    strcpy(names[n] + 1, e->d_name);
    n++;
  }
  CHECK(closedir(d) == 0);
  qsort(names, (size_t)n, sizeof(char*), compare);
  for (int i = 0; i < n; i++) {
    unsigned char type = (unsigned char)names[i][0];
    const char* name = names[i] + 1;
    char child[512];
    snprintf(child, sizeof child, "%s/%s", path, name);
    struct stat st;
    CHECK(lstat(child, &st) == 0);
    printf("%*s%s (%s", depth * 2, "", name, kind(type));
    if (S_ISREG(st.st_mode)) printf(", %lld bytes", (long long)st.st_size);
    printf(")\n");
    if (type == DT_DIR) list(child, depth + 1);
    free(names[i]);
  }
}

/* Counts the entries of `path` other than . and .. with raw fd_readdir calls
 * through a buffer of `size` bytes. */
static int count_raw(const char* path, size_t size) {
  int fd = open(path, O_RDONLY | O_DIRECTORY);
  CHECK(fd >= 0);
  char* buf = malloc(size);
  __wasi_dircookie_t cookie = 0;
  int count = 0;
  for (;;) {
    __wasi_size_t used = 0;
    CHECK(__wasi_fd_readdir((__wasi_fd_t)fd, (uint8_t*)buf, size, cookie, &used) == 0);
    size_t at = 0;
    int whole = 0;
    while (at + sizeof(__wasi_dirent_t) <= used) {
      __wasi_dirent_t ent;
      memcpy(&ent, buf + at, sizeof ent);
      if (at + sizeof ent + ent.d_namlen > used) break; /* cut short: ask again from its cookie */
      const char* name = buf + at + sizeof ent;
      if (!(ent.d_namlen == 1 && name[0] == '.') && !(ent.d_namlen == 2 && name[0] == '.' && name[1] == '.')) count++;
      cookie = ent.d_next;
      at += sizeof ent + ent.d_namlen;
      whole++;
    }
    if (used < size) break; /* the end of the directory */
    CHECK(whole > 0);       /* the buffer holds at least one entry */
  }
  free(buf);
  close(fd);
  return count;
}

int main(void) {
  CHECK(mkdir("tree", 0755) == 0);
  CHECK(mkdir("tree/b_dir", 0755) == 0);
  CHECK(mkdir("tree/b_dir/nested", 0755) == 0);
  write_file("tree/a.txt", "alpha\n");
  write_file("tree/b_dir/c.txt", "gamma gamma\n");
  write_file("tree/b_dir/nested/deep.txt", "");
  CHECK(symlink("a.txt", "tree/link_to_a") == 0);
  CHECK(mkdir("many", 0755) == 0);
  for (int i = 0; i < 60; i++) {
    char name[64];
    snprintf(name, sizeof name, "many/file-with-a-longish-name-%02d", i);
    write_file(name, "x");
  }
  list(".", 0);
  printf("raw fd_readdir of many/: %d entries with a 64-byte buffer, %d with 4096\n", count_raw("many", 64),
         count_raw("many", 4096));
  printf("rewinddir sees the same entries again: ");
  DIR* d = opendir("many");
  int first = 0, second = 0;
  while (readdir(d)) first++;
  rewinddir(d);
  while (readdir(d)) second++;
  closedir(d);
  printf("%s\n", first == second ? "yes" : "no");
  return 0;
}
