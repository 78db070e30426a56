#ifndef C_ALLOCATOR_H
#define C_ALLOCATOR_H

#include <stddef.h>

/// Returns the free pages of every malloc arena to the kernel (glibc `malloc_trim(0)`); 1 when some
/// memory was released, 0 when none could be. A no-op returning 0 on other C libraries.
int snet_malloc_trim(void);

/// Caps how many arenas malloc makes (glibc `mallopt(M_ARENA_MAX, limit)`): threads beyond the cap
/// share arenas instead of each keeping its own. Arenas made before the call stay. 1 when set, 0
/// when not (another C library, or a limit below 1).
int snet_malloc_set_arena_limit(int limit);

/// What malloc holds from the system and what of it is in use now, in bytes (glibc `mallinfo2`:
/// arena + hblkhd, and uordblks + hblkhd). Both 0 on other C libraries.
void snet_malloc_figures(size_t *held, size_t *in_use);

#endif
