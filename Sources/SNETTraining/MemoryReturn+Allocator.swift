import CAllocator

extension MemoryReturn {
    /// Caps the process's malloc arenas at ``mallocArenas`` (process-wide; arenas made before stay).
    func applyArenaLimit() {
        if let mallocArenas { _ = snet_malloc_set_arena_limit(Int32(clamping: mallocArenas)) }
    }

    /// What malloc holds from the system and what of it is in use, in bytes (0 and 0 outside glibc).
    static func mallocFigures() -> (held: Int, inUse: Int) {
        var held = 0
        var inUse = 0
        snet_malloc_figures(&held, &inUse)
        return (held, inUse)
    }
}
