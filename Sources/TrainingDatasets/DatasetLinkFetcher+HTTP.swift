import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
import TrainingCore

extension DatasetLinkFetcher {
    /// Downloads an `http(s)://` dataset into the model's `datasets/` folder: every hop's host is
    /// checked against the address guard, redirects are followed by hand (so each is checked),
    /// Content-Length is compared with the limit before the body, and the body is streamed to disk
    /// and counted. Anything the consumer can fix is a ``DatasetRejected`` with the reason.
    func download(_ start: URL, files: ModelFiles, modelID: String, maxBytes: UInt64?) async throws -> DatasetReference {
        try await withClient(timeout: policy.downloadTimeout) { client, guardian in
            let (response, url) = try await self.follow(start, method: .GET, client: client, guardian: guardian)
            guard response.status == .ok else {
                throw DatasetRejected("The dataset link answered HTTP \(response.status.code) \(response.status.reasonPhrase). Check the link.")
            }
            let declared = response.headers.first(name: "content-length").flatMap(UInt64.init)
            if let maxBytes, let declared, declared > maxBytes {
                throw DatasetRejected(self.tooLarge(maxBytes))
            }
            return try await self.store(
                response.body, name: url.lastPathComponent, declaredBytes: declared, files: files, modelID: modelID, maxBytes: maxBytes
            )
        }
    }

    /// Runs `body` with a client that follows no redirects on its own, shut down afterwards, and
    /// the whole under `timeout`.
    private func withClient<T: Sendable>(
        timeout: Duration,
        _ body: @escaping @Sendable (HTTPClient, NetworkAddressGuard) async throws -> T
    ) async throws -> T {
        let guardian: NetworkAddressGuard
        do {
            guardian = try NetworkAddressGuard(allowedHosts: policy.allowedHosts)
        } catch {
            throw TrainingError.internalError("The service's allowed_hosts setting is invalid: \(error)")
        }
        let configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .nanoseconds(policy.connectTimeout.nanoseconds), read: .seconds(60))
        )
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            // At the limit the client is shut down as well as the task cancelled: shutting down fails
            // every request in flight, so the download ends at the limit even where a request does
            // not answer its task's cancellation (it would run on to the read timeout).
            let result = try await withTimeout(timeout, onTimeout: { try? await client.shutdown() }) { try await body(client, guardian) }
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// Requests `start`, following redirects by hand so each hop's host is checked; returns the
    /// first non-redirect response and its URL.
    private func follow(
        _ start: URL, method: HTTPMethod, client: HTTPClient, guardian: NetworkAddressGuard
    ) async throws -> (HTTPClientResponse, URL) {
        var url = start
        for _ in 0...policy.maxRedirects {
            guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", let host = url.host(), !host.isEmpty else {
                throw DatasetRejected("The dataset link (or a redirect) \(url.absoluteString) is not an http or https URL.")
            }
            try guardian.check(host: host)
            var request = HTTPClientRequest(url: url.absoluteString)
            request.method = method
            let response: HTTPClientResponse
            do {
                response = try await client.execute(request, timeout: .seconds(Int64(policy.downloadTimeout.components.seconds)))
            } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
                throw DatasetRejected(timedOut)
            } catch let error as HTTPClientError {
                throw DatasetRejected("The dataset link could not be fetched (\(error)). Check that \(host) is reachable.")
            }
            guard (300..<400).contains(response.status.code) else { return (response, url) }
            guard let location = response.headers.first(name: "location"), let next = URL(string: location, relativeTo: url)?.absoluteURL else {
                throw DatasetRejected("The dataset link redirected (HTTP \(response.status.code)) without a usable Location.")
            }
            url = next
        }
        throw DatasetRejected("The dataset link redirected more than \(policy.maxRedirects) times.")
    }

    /// Streams the body to disk. A Content-Length is checked against the disk reserve before the
    /// first byte; every write is checked again, since a body may run on without one.
    private func store(
        _ body: HTTPClientResponse.Body, name: String, declaredBytes: UInt64?, files: ModelFiles, modelID: String, maxBytes: UInt64?
    ) async throws -> DatasetReference {
        let writer = try DatasetFileWriter(files: files, modelID: modelID, expectedBytes: declaredBytes)
        do {
            var total: UInt64 = 0
            for try await buffer in body {
                try Task.checkCancellation()
                total += UInt64(buffer.readableBytes)
                if let maxBytes, total > maxBytes { throw DatasetRejected(tooLarge(maxBytes)) }
                try writer.write(Data(buffer.readableBytesView))
            }
            return try writer.commit(originalName: name.isEmpty ? "dataset" : name)
        } catch {
            writer.discard()
            throw error
        }
    }

    var timedOut: String {
        "Downloading the dataset took longer than \(policy.downloadTimeout.components.seconds) seconds. Use a faster host or a smaller dataset."
    }

    func tooLarge(_ maxBytes: UInt64) -> String {
        "The linked dataset is larger than this method's limit of \(maxBytes.mebibytesForMessage) (dataset_max_size_mb)."
    }

    private func withTimeout<T: Sendable>(
        _ limit: Duration, onTimeout: @escaping @Sendable () async -> Void, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let expired = ExpiryFlag()
        return try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await clock.sleep(for: limit)
                expired.value.store(true, ordering: .sequentiallyConsistent)
                await onTimeout()
                throw DatasetRejected(timedOut)
            }
            defer { group.cancelAll() }
            do {
                return try await group.next()!
            } catch {
                // The body, failed by `onTimeout`, may finish first: the limit is still the reason.
                if expired.value.load(ordering: .sequentiallyConsistent) { throw DatasetRejected(timedOut) }
                throw error
            }
        }
    }
}

/// Whether a download's time limit has passed, shared by the timer and the task waiting on both.
private final class ExpiryFlag: Sendable {
    let value = Atomic<Bool>(false)
}
