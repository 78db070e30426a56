import ArgumentParser
import Foundation

/// Why `stt-service` could not start: one line on standard error and an exit status a supervisor
/// can act on (sysexits.h numbers, as `78` for a bad configuration already was). The
/// start-up table of docs/stt-service.md lists them.
struct StartupFailure: Error {
    enum Kind: Int32 {
        /// The port is taken, or the host is not an address of this machine (EX_UNAVAILABLE).
        case cannotListen = 69
        /// The data directory cannot be created or written (EX_CANTCREAT).
        case dataDirectory = 73
        /// Another process holds the data directory's SQLite registry (EX_TEMPFAIL: retry once it
        /// has stopped).
        case dataDirectoryInUse = 75
        /// The configuration file is missing, unreadable or invalid (EX_CONFIG).
        case configuration = 78
    }

    var kind: Kind
    var message: String

    /// Prints the line and exits.
    func exit() -> ExitCode {
        FileHandle.standardError.write(Data("stt-service: \(message)\n".utf8))
        return ExitCode(kind.rawValue)
    }
}
