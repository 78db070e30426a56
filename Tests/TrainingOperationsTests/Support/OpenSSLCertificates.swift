import Foundation

/// A CA and a server certificate made by the `openssl` command, as an operator makes them, in a
/// temporary directory. The server certificate names only what `subjectAltName` lists (e.g.
/// `IP:127.0.0.1`): no DNS name, no common name a client could fall back on.
struct OpenSSLCertificates {
    let directory: URL
    var caCertificate: String { path("ca.pem") }
    var serverChain: String { path("server.pem") }
    var serverKey: String { path("server.key") }

    static func make(subjectAltName: String) throws -> OpenSSLCertificates {
        let directory = FileManager.default.temporaryDirectory.appending(path: "snet-openssl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let made = OpenSSLCertificates(directory: directory)
        try Data("subjectAltName=\(subjectAltName)\nextendedKeyUsage=serverAuth\nbasicConstraints=critical,CA:FALSE\n".utf8)
            .write(to: directory.appending(path: "server.ext"))
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
        try made.openssl(
            ["req", "-x509"] + ec + [
                "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=snet-training openssl test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign",
            ])
        try made.openssl(["req"] + ec + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/O=snet-training test server"])
        try made.openssl([
            "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "server.pem", "-days", "2", "-extfile", "server.ext",
        ])
        return made
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    private func path(_ name: String) -> String { directory.appending(path: name).path(percentEncoded: false) }

    private func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(filePath: "/usr/bin/openssl")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw OpenSSLFailed(arguments: arguments) }
    }
}

struct OpenSSLFailed: Error, CustomStringConvertible {
    let arguments: [String]
    var description: String { "openssl \(arguments.joined(separator: " ")) failed" }
}
