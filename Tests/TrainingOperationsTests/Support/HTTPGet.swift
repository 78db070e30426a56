import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One HTTP GET over a real connection: status and body text.
func httpGet(_ url: String, headers: [(String, String)] = []) async throws -> (status: Int, body: String) {
    var request = HTTPClientRequest(url: url)
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    // Generous: at the suite's start the speech tests hold both cores for about a minute, and
    // the admin listener answers late then (a scrape once took over 10 s in a clean-clone run).
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(90))
    let body = try await response.body.collect(upTo: 8 << 20)
    return (Int(response.status.code), String(buffer: body))
}
