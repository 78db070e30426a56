#include "CAllocator.h"

#include <stdlib.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

int snet_malloc_trim(void) {
#if defined(__GLIBC__)
    return malloc_trim(0);
#else
    return 0;
#endif
}

int snet_malloc_set_arena_limit(int limit) {
#if defined(__GLIBC__)
    if (limit < 1) return 0;
    return mallopt(M_ARENA_MAX, limit);
#else
    (void)limit;
    return 0;
#endif
}

void snet_malloc_figures(size_t *held, size_t *in_use) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    struct mallinfo2 info = mallinfo2();
    *held = info.arena + info.hblkhd;
    *in_use = info.uordblks + info.hblkhd;
#else
    *held = 0;
    *in_use = 0;
#endif
}
