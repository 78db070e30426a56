#ifndef C_ALLOCATOR_H
#define C_ALLOCATOR_H

/// Returns the free pages of every malloc arena to the kernel (glibc `malloc_trim(0)`); 1 when some
/// memory was released, 0 when none could be. A no-op returning 0 on other C libraries.
int snet_malloc_trim(void);

#endif
