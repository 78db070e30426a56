// Neither Glibc's Swift overlay nor any package exposes sync_file_range (it needs _GNU_SOURCE):
// this file is compiled as C, where the macro takes effect.
#define _GNU_SOURCE
#include <fcntl.h>
#include "CWriteback.h"

int snet_start_writeback(int fd, int64_t offset, int64_t length) {
#ifdef __linux__
    return sync_file_range(fd, (off64_t)offset, (off64_t)length, SYNC_FILE_RANGE_WRITE);
#else
    (void)fd;
    (void)offset;
    (void)length;
    return 0;
#endif
}
