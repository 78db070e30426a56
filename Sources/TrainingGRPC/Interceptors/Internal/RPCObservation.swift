import Foundation
import GRPCCore
import Synchronization

/// What an interceptor learns about one RPC: the first request message, messages and bytes each
/// way, and how it ended. Both interceptors wrap the call the same way, so they share this.
struct RPCOutcome: Sendable {
    var code: String
    var messagesIn = 0
    var messagesOut = 0
    var bytesIn = 0
    var bytesOut = 0
    var modelID: String?
}

/// Counts the messages of one RPC as they flow and calls `finish` exactly once, when the response
/// stream has ended (or the call failed before producing one).
final class RPCObservation: Sendable {
    private let state = Mutex<(outcome: RPCOutcome, finished: Bool)>((RPCOutcome(code: "OK"), false))
    private let finish: @Sendable (RPCOutcome) -> Void

    init(finish: @escaping @Sendable (RPCOutcome) -> Void) {
        self.finish = finish
    }

    func received(_ message: some Sendable) {
        let size = MessageSize.of(message)
        let modelID = MessageModelID.of(message)
        state.withLock {
            $0.outcome.messagesIn += 1
            $0.outcome.bytesIn += size
            if $0.outcome.modelID == nil || $0.outcome.modelID == "", let modelID { $0.outcome.modelID = modelID }
        }
    }

    func sent(_ message: some Sendable) {
        let size = MessageSize.of(message)
        let modelID = MessageModelID.of(message)
        state.withLock {
            $0.outcome.messagesOut += 1
            $0.outcome.bytesOut += size
            // create_model's id only exists in its response.
            if $0.outcome.modelID == nil || $0.outcome.modelID == "", let modelID { $0.outcome.modelID = modelID }
        }
    }

    func end(_ error: (any Error)?) {
        let outcome: RPCOutcome? = state.withLock {
            guard !$0.finished else { return nil }
            $0.finished = true
            if let error { $0.outcome.code = StatusCodeName.of(error) }
            return $0.outcome
        }
        if let outcome { finish(outcome) }
    }

    /// `next` with its request and response wrapped so that every message is counted and the end
    /// of the call is reported once.
    func run<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        var counted = request
        counted.messages = RPCAsyncSequence(
            wrapping: request.messages.map { [self] message in
                self.received(message)
                return message
            }
        )
        var response: StreamingServerResponse<Output>
        do {
            response = try await next(counted, context)
        } catch {
            end(error)
            throw error
        }
        switch response.accepted {
        case .failure(let error):
            end(error)
        case .success(var contents):
            let producer = contents.producer
            contents.producer = { [self] writer in
                do {
                    let trailers = try await producer(RPCWriter(wrapping: CountingWriter(base: writer, observation: self)))
                    end(nil)
                    return trailers
                } catch {
                    end(error)
                    throw error
                }
            }
            response.accepted = .success(contents)
        }
        return response
    }
}

/// Counts each response message on its way to the transport.
private struct CountingWriter<Element: Sendable>: RPCWriterProtocol {
    let base: RPCWriter<Element>
    let observation: RPCObservation

    func write(_ element: Element) async throws {
        observation.sent(element)
        try await base.write(element)
    }

    func write(contentsOf elements: some Sequence<Element>) async throws {
        for element in elements { try await write(element) }
    }
}
