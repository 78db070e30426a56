import Foundation
import Hummingbird
import HummingbirdAuth
import Synchronization

/// Who may see the dashboard: a request with the configured bearer token or basic credentials in
/// `Authorization`, or a browser holding a session cookie from the login form. Sessions live in
/// memory (a restart signs everyone out) and last 12 hours.
final class DashboardAccess: Sendable {
    static let cookieName = "snet_dashboard"
    static let sessionLifetime: TimeInterval = 12 * 3600

    private let credentials: DashboardCredentials
    private let sessions = Mutex<[String: Date]>([:])

    init(credentials: DashboardCredentials) {
        self.credentials = credentials
    }

    var acceptsToken: Bool { credentials.bearerToken != nil }
    var acceptsBasic: Bool { credentials.basic != nil }

    /// Whether the request carries valid credentials or a live session.
    func allows(_ request: Request) -> Bool {
        if let bearer = request.headers.bearer, let token = credentials.bearerToken {
            return Self.same(bearer.token, token)
        }
        if let basic = request.headers.basic, let expected = credentials.basic {
            return Self.same(basic.username, expected.username) && Self.same(basic.password, expected.password)
        }
        guard let session = request.cookies[Self.cookieName]?.value else { return false }
        return sessions.withLock { sessions in
            sessions = sessions.filter { $0.value > Date() }
            return sessions[session] != nil
        }
    }

    /// Checks the login form; on success, a new session id for the cookie.
    func signIn(token: String?, username: String?, password: String?) -> String? {
        var accepted = false
        if let expected = credentials.bearerToken, let token, !token.isEmpty { accepted = Self.same(token, expected) }
        if !accepted, let expected = credentials.basic, let username, let password {
            accepted = Self.same(username, expected.username) && Self.same(password, expected.password)
        }
        guard accepted else { return nil }
        var generator = SystemRandomNumberGenerator()
        let session = (0..<4).map { _ in String(generator.next() as UInt64, radix: 16) }.joined(separator: "-")
        sessions.withLock { $0[session] = Date().addingTimeInterval(Self.sessionLifetime) }
        return session
    }

    /// Compares in time that depends only on the lengths, so the token cannot be guessed byte by byte.
    private static func same(_ given: String, _ expected: String) -> Bool {
        let a = Array(given.utf8)
        let b = Array(expected.utf8)
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }
}
