import Foundation

/// Where a process's resident memory lies, by mapping, from `/proc/PID/smaps`: what glibc's malloc
/// holds (its main heap and its thread arenas), large blocks it mapped on their own, thread stacks,
/// and the executable's and libraries' pages.
struct ResidentBreakdown: Sendable {
    /// `[heap]`: glibc's main arena (the brk heap).
    var mainHeap = 0
    /// glibc's thread arenas: anonymous heaps it maps 64 MiB-aligned, each followed by its reserved
    /// (inaccessible) rest.
    var threadArenas = 0
    var threadArenaCount = 0
    /// The stacks of the process's threads (the mapping each thread's stack pointer lies in).
    var threadStacks = 0
    var threadCount = 0
    /// Other anonymous mappings: blocks malloc mapped on their own (above its mmap threshold) and
    /// whatever else maps memory directly.
    var otherAnonymous = 0
    /// Mappings of files: the executable, libraries and mapped files (their private, written pages too).
    var files = 0

    /// The glibc heap size: the arenas are `HEAP_MAX_SIZE` (2 x the 32 MiB mmap threshold maximum) apart.
    private static let arenaAlignment = 64 << 20

    private struct Mapping {
        var start: Int
        var end: Int
        var permissions: Substring
        var name: Substring
        var resident = 0
    }

    /// Reads `/proc/<process>/smaps`, and each thread's stack pointer from `/proc/<process>/task/*/syscall`
    /// (readable by the process's parent or root; unreadable stacks count as other anonymous memory).
    init(process: String) {
        // Read to the end: the kernel hands smaps out a page at a time, and a single read of the
        // file's size (0 for /proc) gets only the first mappings.
        guard let handle = FileHandle(forReadingAtPath: "/proc/\(process)/smaps"),
            let data = try? handle.readToEnd(), let text = String(data: data, encoding: .utf8)
        else { return }
        var mappings: [Mapping] = []
        for line in text.split(separator: "\n") {
            if let mapping = Self.mapping(line) {
                mappings.append(mapping)
            } else if line.hasPrefix("Rss:"), !mappings.isEmpty {
                mappings[mappings.count - 1].resident = (line.split(separator: " ").compactMap { Int($0) }.first ?? 0) * 1024
            }
        }
        let stackPointers = Self.stackPointers(process: process)
        threadCount = stackPointers.count
        for (index, mapping) in mappings.enumerated() {
            let next = index + 1 < mappings.count ? mappings[index + 1] : nil
            if mapping.name.hasPrefix("/") {
                files += mapping.resident
            } else if mapping.name == "[heap]" {
                mainHeap += mapping.resident
            } else if mapping.name == "[stack]" || stackPointers.contains(where: { mapping.start <= $0 && $0 < mapping.end }) {
                threadStacks += mapping.resident
            } else if mapping.name.isEmpty, mapping.permissions.hasPrefix("rw"), Self.isArenaHeap(mapping, next: next) {
                threadArenas += mapping.resident
                threadArenaCount += 1
            } else if mapping.name.isEmpty || mapping.name.hasPrefix("[anon") {
                otherAnonymous += mapping.resident
            }
        }
    }

    /// A glibc heap starts 64 MiB-aligned; its accessible part is followed by its reserved rest, unless
    /// it has grown to the whole 64 MiB. (The kernel merges a block mapped just below it into its
    /// mapping, which then no longer starts aligned but still ends where the reserved rest starts.)
    private static func isArenaHeap(_ mapping: Mapping, next: Mapping?) -> Bool {
        if mapping.start % arenaAlignment == 0 { return true }
        guard let next else { return false }
        return next.start == mapping.end && next.permissions.hasPrefix("---") && next.name.isEmpty && next.end % arenaAlignment == 0
    }

    /// `start-end perms offset dev inode [name]`, or nil for a field line.
    private static func mapping(_ line: Substring) -> Mapping? {
        let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
        guard fields.count >= 5, fields[0].contains("-"), !fields[0].hasSuffix(":") else { return nil }
        let bounds = fields[0].split(separator: "-")
        guard bounds.count == 2, let start = Int(bounds[0], radix: 16), let end = Int(bounds[1], radix: 16) else { return nil }
        let name = fields.count > 5 ? Substring(fields[5].trimmingCharacters(in: .whitespaces)) : ""
        return Mapping(start: start, end: end, permissions: fields[1], name: name)
    }

    /// The stack pointer of every thread blocked in a system call (an idle process's threads all are).
    private static func stackPointers(process: String) -> [Int] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(process)/task")) ?? []
        return tasks.compactMap { task in
            guard let text = try? String(contentsOfFile: "/proc/\(process)/task/\(task)/syscall", encoding: .ascii) else { return nil }
            // "number arg1 ... arg6 sp pc" while in a system call; "running" or "-1 sp pc" otherwise.
            let fields = text.split(whereSeparator: \.isWhitespace)
            guard fields.count >= 3 else { return nil }
            return Int(fields[fields.count - 2].dropFirst(2), radix: 16)
        }
    }

    /// One line for the notes under the table.
    var summary: String {
        "main heap \(Formatting.mib(mainHeap)), \(threadArenaCount) thread arenas \(Formatting.mib(threadArenas)), "
            + "\(threadCount) thread stacks \(Formatting.mib(threadStacks)), other anonymous \(Formatting.mib(otherAnonymous)), "
            + "files \(Formatting.mib(files))"
    }
}
