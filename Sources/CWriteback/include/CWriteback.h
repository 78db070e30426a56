#ifndef C_WRITEBACK_H
#define C_WRITEBACK_H

#include <stdint.h>

/// Asks the kernel to start writing the dirty pages of [offset, offset + length) of `fd` to disk,
/// without waiting for the writes to finish (Linux `sync_file_range` with SYNC_FILE_RANGE_WRITE).
/// A no-op returning 0 elsewhere. Not a durability guarantee: that is fsync's job.
int snet_start_writeback(int fd, int64_t offset, int64_t length);

#endif
