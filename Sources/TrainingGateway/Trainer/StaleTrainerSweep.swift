import Foundation
import Glibc
import Logging

/// Ends trainer processes that a previous run of the gateway left behind. A graceful shutdown stops
/// every trainer itself, but a gateway that was killed (SIGKILL, a crash, the OOM killer) cannot:
/// its trainers, in sessions of their own, would keep running. At start-up, before any job runs,
/// every process whose environment carries this gateway's run marker is killed, with its group,
/// and the old working directories are removed. Only processes of the same user can be read, and
/// the marker names this gateway's work root, so other gateways and programs are never touched.
enum StaleTrainerSweep {
    static func run(workRoot: URL, logger: Logger) {
        let marker = Array("\(TrainerProcess.runMarker)=\(workRoot.path(percentEncoded: false))".utf8)
        let own = getpid()
        var killed = 0
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = pid_t(entry), pid != own,
                let environ = FileManager.default.contents(atPath: "/proc/\(entry)/environ")
            else { continue }
            if environ.split(separator: 0).contains(where: { Array($0) == marker }) {
                let group = getpgid(pid)
                if group > 1, group != getpgrp() { _ = kill(-group, SIGKILL) }
                _ = kill(pid, SIGKILL)
                killed += 1
            }
        }
        if killed > 0 { logger.notice("stopped trainer processes left by a previous run", metadata: ["count": "\(killed)"]) }
        try? FileManager.default.removeItem(at: workRoot)
        try? FileManager.default.createDirectory(at: workRoot, withIntermediateDirectories: true)
    }
}
